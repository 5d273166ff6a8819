"""Upload the built graph to a SPARQL 1.1 Graph Store Protocol endpoint: ``yuegang push``.

Any triple store that speaks the Graph Store HTTP Protocol takes the graph this way (Oxigraph
``/store``, Apache Jena Fuseki ``/dataset/data``, GraphDB ``/repositories/NAME/rdf-graphs/service``,
Virtuoso ``/sparql-graph-crud``). The triples go in batches of N-Triples, each one a
``POST URL?graph=IRI`` (or ``?default``), so a large corpus never sits in one request.

Blank nodes are local to one request: the batches keep every group of triples linked by a
blank node together, so a blank node is never split into two.

A push cannot report success while triples are lost:

- redirects: 307/308 are followed with the same method and body; 301/302/303 are refused with
  an error naming the new location (urllib would resend a write as a body-less GET);
- after the last batch the store is asked for the graph (Graph Store ``GET``) and the push
  fails unless it holds what was sent (with ``replace``: exactly as many distinct triples;
  without: every sent triple without a blank node, and at least as many blank-node triples);
- a failed batch names the batches that landed and the ``--resume-from N`` that sends the rest
  (batches are planned the same way from the same file every time).

>>> batches = list(plan_batches(_example_triples(), 2))
>>> [len(batch) for batch in batches]
[1, 2]
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from graph.errors import EXIT_FAILED, YuegangError

__all__ = ["PushError", "PushResult", "load_triples", "plan_batches", "push_graph", "target_url"]


class PushError(YuegangError):
    """The upload failed: names the batch, the URL, what the server said and what landed."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, *, landed: int = 0, resume_from: int | None = None):
        super().__init__(message)
        self.landed = landed  # batches known to be in the store
        self.resume_from = resume_from


class _Redirect(Exception):
    def __init__(self, code: int, location: str):
        super().__init__(code, location)
        self.code = code
        self.location = location


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never let urllib follow a redirect: :func:`_send` decides what a write may follow."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())
_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class PushResult:
    """What was sent: triples, batches, the request URL and the seconds it took."""

    triples: int
    batches: int
    url: str
    seconds: float


def target_url(url: str, graph_iri: str | None = None) -> str:
    """The Graph Store Protocol request URL for *graph_iri* (None = the default graph).

    >>> target_url("http://localhost:7878/store", "https://w3id.org/yuegang/graph/2017")
    'http://localhost:7878/store?graph=https%3A%2F%2Fw3id.org%2Fyuegang%2Fgraph%2F2017'
    >>> target_url("http://localhost:3030/ds/data")
    'http://localhost:3030/ds/data?default'
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PushError(f"{url}: not an http(s) URL of a Graph Store Protocol endpoint")
    if graph_iri is not None:
        iri = urlsplit(graph_iri)
        if not iri.scheme or any(c in graph_iri for c in '<>" {}|\\^`'):
            raise PushError(f"--graph {graph_iri!r} is not an absolute IRI")
    separator = "&" if parts.query else "?"
    suffix = f"graph={quote(graph_iri, safe='')}" if graph_iri is not None else "default"
    return f"{url}{separator}{suffix}"


def load_triples(source: Any = None) -> list[Triple]:
    """The triples to push from a graph file, a build directory, an rdflib Graph, or None.

    None means ``./yuegang-out/graph.ttl`` when it exists, else the bundled notice built in
    memory (the same default as ``yuegang serve``).
    """
    if source is None:
        local = Path("yuegang-out") / "graph.ttl"
        if local.is_file():
            source = local
        else:
            from graph.extract.notice import extract_file
            from graph.rdf.build import build_graph

            source = build_graph([extract_file(None)])
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            path = path / "graph.ttl"
        if not path.is_file():
            raise PushError(f"{path}: no such graph file (run `yuegang build` first)")
        data = _parse_isolated(path)  # an untrusted file: parsed under limits, no network
        return [q.triple for q in parse(data, format=RdfFormat.N_QUADS)]
    data = source.serialize(format="nt", encoding="utf-8")
    return [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]


LOAD_MEMORY_MB = 4096
LOAD_TIMEOUT = 900.0


def _parse_isolated(path: Path) -> bytes:
    """Parse *path* in a forked child (no network, memory and time limits); N-Quads back.

    A billion-laughs RDF/XML or an endless file is then a :class:`PushError`, not a machine
    out of memory; the parent reads only the plain N-Quads the child wrote.
    """
    from graph.rdf.isolated import ChildEnded, ChildTimeout, run_in_child

    try:
        status, payload = run_in_child(
            _parse_child, (path,), timeout=LOAD_TIMEOUT, memory_mb=LOAD_MEMORY_MB
        )
    except ChildTimeout:
        raise PushError(f"{path}: reading took longer than {LOAD_TIMEOUT:g} s; stopped") from None
    except ChildEnded as exc:
        if exc.out_of_memory:
            raise PushError(
                f"{path}: reading needed more than {LOAD_MEMORY_MB} MB of memory; stopped "
                "(an RDF/XML file that expands entities, or a file far too large)"
            ) from None
        raise PushError(f"{path}: the reader ended without an answer") from None
    if status != "ok":
        raise PushError(payload)
    return payload


def _parse_child(path: Path) -> tuple[str, Any]:
    """In the isolated child: the file's quads as N-Quads bytes, or an error message."""
    fmt = RdfFormat.from_extension(path.suffix.lstrip(".")) or RdfFormat.TURTLE
    try:
        with path.open("rb") as handle:
            quads = parse(handle, format=fmt, base_iri=path.resolve().as_uri())
            return "ok", serialize(quads, format=RdfFormat.N_QUADS) or b""
    except SyntaxError as exc:
        return "error", f"{path}: not valid {fmt.name}: {exc}"
    except (OSError, MemoryError) as exc:
        return "error", f"{path}: cannot read: {exc}"


def _blank_nodes(triple: Triple) -> list[BlankNode]:
    return [t for t in (triple.subject, triple.object) if isinstance(t, BlankNode)]


def plan_batches(triples: Sequence[Triple], batch_size: int) -> Iterator[list[Triple]]:
    """Split *triples* into batches of about *batch_size*, never splitting a blank-node group.

    Triples that share a blank node (directly or through other blank nodes) form one group,
    sent in one request; a group larger than *batch_size* becomes one larger batch.
    """
    if batch_size < 1:
        raise PushError(f"--batch-size must be at least 1, got {batch_size}")
    parent: dict[BlankNode, BlankNode] = {}

    def find(node: BlankNode) -> BlankNode:
        root = node
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for triple in triples:
        nodes = _blank_nodes(triple)
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups: dict[BlankNode, list[Triple]] = {}
    batch: list[Triple] = []
    for triple in triples:
        nodes = _blank_nodes(triple)
        if nodes:
            groups.setdefault(find(nodes[0]), []).append(triple)
            continue
        batch.append(triple)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    for group in groups.values():
        if batch and len(batch) + len(group) > batch_size:
            yield batch
            batch = []
        batch.extend(group)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _send(url: str, method: str, body: bytes, timeout: float, where: str) -> None:
    """Send one batch; follow 307/308 with the same method and body, refuse other redirects."""
    for _ in range(_MAX_REDIRECTS + 1):
        try:
            _request(url, method, body, timeout, where)
            return
        except _Redirect as redirect:
            target = urljoin(url, redirect.location)
            if redirect.code not in (307, 308):
                raise PushError(
                    f"{where}: {method} {url} answered HTTP {redirect.code} redirecting to "
                    f"{target}; a write cannot follow it (it would arrive as a GET without the "
                    f"triples): push to {target} instead"
                ) from None
            if urlsplit(target).scheme not in ("http", "https"):
                raise PushError(
                    f"{where}: {url} redirects to {target}, not an http(s) URL"
                ) from None
            url = target
    raise PushError(f"{where}: more than {_MAX_REDIRECTS} redirects starting at {url}")


def _request(
    url: str, method: str, body: bytes | None, timeout: float, where: str, accept: str = "*/*"
) -> tuple[str, bytes]:
    headers = {"Accept": accept}
    if body is not None:
        headers["Content-Type"] = "application/n-triples; charset=utf-8"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise _Redirect(exc.code, exc.headers.get("Location") or "(no Location)") from exc
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise PushError(
            f"{where}: {method} {url} answered HTTP {exc.code} {exc.reason}"
            + (f": {detail}" if detail else "")
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{where}: cannot reach {url}: {reason}") from exc


def fetch_graph(request_url: str, timeout: float) -> list[Triple]:
    """The triples the store holds in the target graph (Graph Store Protocol GET)."""
    where = "checking what the store holds"
    url = request_url
    for _ in range(_MAX_REDIRECTS + 1):
        try:
            ctype, data = _request(
                url, "GET", None, timeout, where, "application/n-triples, text/turtle;q=0.9"
            )
            break
        except _Redirect as redirect:
            url = urljoin(url, redirect.location)
    else:
        raise PushError(f"{where}: too many redirects from {request_url}")
    media = ctype.split(";")[0].strip().lower()
    fmt = RdfFormat.from_media_type(media) if media else None
    try:
        return [q.triple for q in parse(data, format=fmt or RdfFormat.N_TRIPLES)]
    except SyntaxError as exc:
        raise PushError(f"{where}: GET {url} did not answer RDF ({media}): {exc}") from exc


def _key(triple: Triple) -> tuple[str, str, str]:
    """A triple as compared with the store's copy (stores may normalise literal datatypes)."""
    obj = triple.object
    return (
        str(triple.subject),
        str(triple.predicate),
        obj.value if isinstance(obj, Literal) else str(obj),
    )


def check_landed(sent: Sequence[Triple], held: Sequence[Triple], replace: bool) -> str | None:
    """None when *held* (the store's graph) holds what was *sent*, else what is missing."""
    ground = {_key(t) for t in sent if not _blank_nodes(t)}
    blank = sum(1 for t in set(sent) if _blank_nodes(t))
    held_ground = {_key(t) for t in held if not _blank_nodes(t)}
    held_blank = sum(1 for t in held if _blank_nodes(t))
    missing = ground - held_ground
    problems = []
    if missing:
        example = " ".join(sorted(missing)[0])
        problems.append(f"{len(missing)} of {len(ground)} triples are missing (e.g. {example})")
    if held_blank < blank:
        problems.append(f"{blank - held_blank} of {blank} blank-node triples are missing")
    if replace and len(held_ground) > len(ground):
        problems.append(f"the graph holds {len(held_ground) - len(ground)} triples not sent")
    return "; ".join(problems) or None


def push_graph(
    url: str,
    source: Any = None,
    *,
    graph_iri: str | None = None,
    batch_size: int = 10_000,
    replace: bool = False,
    timeout: float = 120.0,
    progress: Callable[[int, int], None] | None = None,
    resume_from: int = 1,
    verify: bool = True,
) -> PushResult:
    """Send the triples of *source* (see :func:`load_triples`) to the store at *url*.

    Each batch is POSTed (added to what the graph holds); with *replace* the first batch is a
    PUT, which replaces the graph's content. *resume_from* skips the batches before it (a
    failed push says which). With *verify* the store's graph is read back at the end.
    *progress(sent, total)* is called after each batch. Raises :class:`PushError` naming the
    failed batch, the batches that landed and where to resume.
    """
    request_url = target_url(url, graph_iri)
    triples = load_triples(source)
    batches = list(plan_batches(triples, batch_size))
    if resume_from < 1 or (batches and resume_from > len(batches)):
        raise PushError(f"--resume-from {resume_from}: there are {len(batches)} batches")
    start = time.perf_counter()
    skipped = sum(len(b) for b in batches[: resume_from - 1])
    sent = skipped
    if progress is not None:
        progress(sent, len(triples))
    if replace and not batches:
        _send(request_url, "PUT", b"", timeout, "empty graph")
    for number, batch in enumerate(batches, start=1):
        if number < resume_from:
            continue
        body = serialize(batch, format=RdfFormat.N_TRIPLES)
        method = "PUT" if replace and number == 1 else "POST"
        where = f"batch {number}/{len(batches)} (triples {sent + 1}–{sent + len(batch)})"
        try:
            _send(request_url, method, body, timeout, where)
        except PushError as exc:
            raise _failed(exc, number, sent, request_url, timeout) from exc
        sent += len(batch)
        if progress is not None:
            progress(sent, len(triples))
    if verify:
        held = fetch_graph(request_url, timeout)
        problem = check_landed(triples, held, replace)
        if problem is not None:
            raise PushError(
                f"the store at {request_url} does not hold what was sent: {problem} "
                f"(it holds {len(held)} triples; {len(triples)} were sent in {len(batches)} "
                "batches); the store may have dropped or redirected writes",
                landed=0,
            )
    return PushResult(len(triples), len(batches), request_url, time.perf_counter() - start)


def _failed(exc: PushError, number: int, sent: int, url: str, timeout: float) -> PushError:
    """The error for batch *number*: what landed before it and how to resume."""
    landed = number - 1
    done = f"batches 1–{landed} landed ({sent} triples)" if landed else "no batch landed"
    unsure = "timed out" in str(exc) or "cannot reach" in str(exc)
    maybe = f" batch {number} may have landed in part;" if unsure else ""
    try:
        holds = f" the graph now holds {len(fetch_graph(url, min(timeout, 30)))} triples;"
    except PushError:
        holds = ""
    return PushError(
        f"{exc}\n{done};{maybe}{holds} rerun with --resume-from {number} to send the rest",
        landed=landed,
        resume_from=number,
    )


def _example_triples() -> list[Triple]:
    """Three triples, two of them sharing a blank node (for the module example)."""
    a, p, b = NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), BlankNode()
    return [Triple(a, p, NamedNode("http://example.org/c")), Triple(a, p, b), Triple(b, p, a)]
