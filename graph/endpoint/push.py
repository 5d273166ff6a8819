"""Upload the built graph to a SPARQL 1.1 Graph Store Protocol endpoint: ``yuegang push``.

Any triple store that speaks the Graph Store HTTP Protocol takes the graph this way (Oxigraph
``/store``, Apache Jena Fuseki ``/dataset/data``, GraphDB ``/repositories/NAME/rdf-graphs/service``,
Virtuoso ``/sparql-graph-crud``). The triples go in batches of N-Triples, each one a
``POST URL?graph=IRI`` (or ``?default``), so a large corpus never sits in one request.

Blank nodes are local to one request: the batches keep every group of triples linked by a
blank node together, so a blank node is never split into two.

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
from urllib.parse import quote, urlsplit

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple, parse, serialize

from graph.errors import YuegangError

__all__ = ["PushError", "PushResult", "load_triples", "plan_batches", "push_graph", "target_url"]


class PushError(YuegangError):
    """The upload failed: names the batch, the URL and what the server said."""


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
        fmt = RdfFormat.from_extension(path.suffix.lstrip(".")) or RdfFormat.TURTLE
        try:
            with path.open("rb") as handle:
                quads = list(parse(handle, format=fmt, base_iri=path.resolve().as_uri()))
        except SyntaxError as exc:
            raise PushError(f"{path}: not valid {fmt.name}: {exc}") from exc
        return [q.triple for q in quads]
    data = source.serialize(format="nt", encoding="utf-8")
    return [q.triple for q in parse(data, format=RdfFormat.N_TRIPLES)]


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
    request = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/n-triples; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace").strip()
        raise PushError(
            f"{where}: {method} {url} answered HTTP {exc.code} {exc.reason}"
            + (f": {detail}" if detail else "")
        ) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PushError(f"{where}: cannot reach {url}: {reason}") from exc


def push_graph(
    url: str,
    source: Any = None,
    *,
    graph_iri: str | None = None,
    batch_size: int = 10_000,
    replace: bool = False,
    timeout: float = 120.0,
    progress: Callable[[int, int], None] | None = None,
) -> PushResult:
    """Send the triples of *source* (see :func:`load_triples`) to the store at *url*.

    Each batch is POSTed (added to what the graph holds); with *replace* the first batch is a
    PUT, which replaces the graph's content. *progress(sent, total)* is called after each batch.
    Raises :class:`PushError` naming the failed batch; batches before it stay in the store.
    """
    request_url = target_url(url, graph_iri)
    triples = load_triples(source)
    batches = list(plan_batches(triples, batch_size))
    start = time.perf_counter()
    sent = 0
    if progress is not None:
        progress(0, len(triples))
    if replace and not batches:
        _send(request_url, "PUT", b"", timeout, "empty graph")
    for number, batch in enumerate(batches, start=1):
        body = serialize(batch, format=RdfFormat.N_TRIPLES)
        method = "PUT" if replace and number == 1 else "POST"
        where = f"batch {number}/{len(batches)} (triples {sent + 1}–{sent + len(batch)})"
        _send(request_url, method, body, timeout, where)
        sent += len(batch)
        if progress is not None:
            progress(sent, len(triples))
    return PushResult(len(triples), len(batches), request_url, time.perf_counter() - start)


def _example_triples() -> list[Triple]:
    """Three triples, two of them sharing a blank node (for the module example)."""
    a, p, b = NamedNode("http://example.org/a"), NamedNode("http://example.org/p"), BlankNode()
    return [Triple(a, p, NamedNode("http://example.org/c")), Triple(a, p, b), Triple(b, p, a)]
