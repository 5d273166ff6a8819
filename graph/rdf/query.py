"""Run SPARQL on a built graph: safely, with a time limit, on the faster store.

Queries run on Oxigraph (``pyoxigraph.Store``, loaded natively from the Turtle) by default; plain
rdflib stays available (``engine="rdflib"``). ``scripts/bench_store.py`` measures both. Every
query first passes :func:`graph.rdf.sparql_safety.assert_safe` (no update, no ``SERVICE``, no
``FROM``), then runs in a forked child process that is killed when the time limit passes
(Oxigraph cannot cancel a query and an rdflib thread cannot be stopped).

Parameters (``--param name=value``) are bound as RDF terms by the engine (Oxigraph
substitutions, rdflib ``initBindings``), never pasted into the query text. With Oxigraph a
parameter must be a variable of the ``SELECT`` clause; the ready-made queries project theirs.

Ready-made queries live in ``graph/rdf/queries/*.rq``; each starts with a comment header::

    # title: Agencies sharing items with an agency
    # description: ...
    # param: agency (string, default 省港澳办, names agency): the agency's short name ...

``names agency|theme|place|item`` says what a parameter's value names: when such a query returns
no row, :func:`check_names` looks the value up among every name of that kind and raises
:class:`QueryError` naming the closest ones (``agency=港澳办: … did you mean 省港澳办?``), so
a typo is never mistaken for an empty answer.

Example
-------
>>> store = open_store()                                   # doctest: +SKIP
>>> result = run_query("agency-partners", store, params={"agency": "省商务厅"})  # doctest: +SKIP
>>> result.records()[0]["name"]                            # doctest: +SKIP
'省港澳办'
"""

from __future__ import annotations

import csv
import io
import json
import multiprocessing
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib import XSD

from graph.errors import LimitExceeded, YuegangError
from graph.rdf.iris import PREFIXES
from graph.rdf.isolated import ChildEnded, ChildTimeout, run_in_child
from graph.rdf.sparql_safety import QueryRefused, assert_safe

__all__ = [
    "DEFAULT_GRAPH",
    "DEFAULT_TIMEOUT",
    "Cell",
    "QueryError",
    "QueryRefused",
    "QueryResult",
    "QueryStore",
    "QueryTimeout",
    "ReadyQuery",
    "open_store",
    "ready_made",
    "ready_query",
    "resolve_query",
    "run_isolated",
    "run_query",
]

DEFAULT_GRAPH = Path("yuegang-out") / "graph.ttl"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_MB = 2048
Engine = Literal["oxigraph", "rdflib"]
_FORMATS = {
    ".ttl": ("turtle", ox.RdfFormat.TURTLE),
    ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
    ".jsonld": ("json-ld", ox.RdfFormat.JSON_LD),
    ".json": ("json-ld", ox.RdfFormat.JSON_LD),
    ".rdf": ("xml", ox.RdfFormat.RDF_XML),
    ".owl": ("xml", ox.RdfFormat.RDF_XML),
}


class QueryError(YuegangError, ValueError):
    """A query that cannot run: syntax error, unknown ready-made name, bad parameter."""


class QueryTimeout(LimitExceeded, TimeoutError):
    """A query that ran longer than its time limit (it was stopped)."""


class QueryMemoryError(LimitExceeded, MemoryError):
    """Loading the graph or running the query needed more memory than its limit."""


# --------------------------------------------------------------------------- results


class Cell(NamedTuple):
    """One RDF term of a result, in plain, picklable form."""

    kind: Literal["uri", "literal", "bnode"]
    value: str
    lang: str | None = None
    datatype: str | None = None

    def to_python(self) -> Any:
        """The value as Python: int/float/bool/date for typed literals, else the string."""
        if self.kind == "literal" and self.datatype:
            return rdflib.Literal(self.value, datatype=self.datatype).toPython()
        return self.value

    def n3(self) -> str:
        """N-Triples form (used by TSV output)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        text = json.dumps(self.value, ensure_ascii=False)
        if self.lang:
            return f"{text}@{self.lang}"
        if self.datatype and self.datatype != str(XSD.string):
            return f"{text}^^<{self.datatype}>"
        return text

    def short(self) -> str:
        """Readable form for tables: IRIs with the project's prefixes, literals as their value."""
        if self.kind == "uri":
            for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
                if self.value.startswith(ns) and len(self.value) > len(ns):
                    return f"{prefix}:{self.value[len(ns) :]}"
            return f"<{self.value}>"
        return self.value


@dataclass
class QueryResult:
    """Rows of a SELECT, the answer of an ASK, or the triples of a CONSTRUCT/DESCRIBE."""

    kind: Literal["select", "ask", "graph"]
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Cell | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    seconds: float = 0.0  # wall time of run_query's execution (child process included)
    engine_seconds: float = 0.0  # time inside the store: query and reading the answer

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values (None where unbound)."""
        return [
            {
                c: (v.to_python() if v is not None else None)
                for c, v in zip(self.columns, row, strict=True)
            }
            for row in self.rows
        ]

    def column(self, name: str) -> list[Any]:
        """The Python values of one column."""
        i = self.columns.index(name)
        return [row[i].to_python() if row[i] is not None else None for row in self.rows]

    def to_dataframe(self):  # noqa: ANN201 - pandas is imported lazily
        """The rows as a pandas DataFrame (Python values)."""
        import pandas as pd

        return pd.DataFrame(self.records(), columns=self.columns)

    def to_csv(self) -> str:
        """SPARQL 1.1 Query Results CSV (plain values, CRLF line ends)."""
        out = io.StringIO()
        writer = csv.writer(out)
        if self.kind == "ask":
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
        else:
            writer.writerow(self.columns)
            for row in self.rows:
                writer.writerow(["" if v is None else v.value for v in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 Query Results TSV (terms in N-Triples form)."""
        if self.kind == "ask":
            return "?boolean\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{c}" for c in self.columns)]
        for row in self.rows:
            lines.append("\t".join("" if v is None else _tsv_safe(v.n3()) for v in row))
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """SPARQL 1.1 Query Results JSON."""
        if self.kind == "ask":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)}, indent=1) + "\n"
        bindings = []
        for row in self.rows:
            binding = {}
            for name, cell in zip(self.columns, row, strict=True):
                if cell is None:
                    continue
                term: dict[str, str] = {"type": cell.kind, "value": cell.value}
                if cell.lang:
                    term["xml:lang"] = cell.lang
                elif cell.datatype and cell.datatype != str(XSD.string):
                    term["datatype"] = cell.datatype
                binding[name] = term
            bindings.append(binding)
        doc = {"head": {"vars": self.columns}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _tsv_safe(text: str) -> str:
    return text.replace("\t", "\\t").replace("\n", "\\n")


# --------------------------------------------------------------------------- stores


@dataclass
class QueryStore:
    """A loaded graph ready for queries: an Oxigraph store or an rdflib graph."""

    engine: Engine
    store: Any  # pyoxigraph.Store | rdflib.Graph
    source: str
    load_seconds: float = 0.0

    def __len__(self) -> int:
        return len(self.store)


def open_store(
    source: str | Path | rdflib.Graph | None = None, *, engine: Engine = "oxigraph"
) -> QueryStore:
    """Load a graph for querying.

    *source* is a graph file (Turtle, N-Triples, JSON-LD by extension), an ``rdflib.Graph``,
    or None: ``./yuegang-out/graph.ttl`` if it exists, else the bundled notice built in memory.
    """
    if engine not in ("oxigraph", "rdflib"):
        raise QueryError(f"unknown engine {engine!r}; use 'oxigraph' or 'rdflib'")
    start = time.perf_counter()
    if source is None:
        source = DEFAULT_GRAPH if DEFAULT_GRAPH.exists() else _bundled_graph()
    if isinstance(source, rdflib.Graph):
        label = "<in-memory graph>"
        if engine == "rdflib":
            store: Any = source
        else:
            from graph.rdf.build import serialize_nt

            store = ox.Store()
            store.load(serialize_nt(source), format=ox.RdfFormat.N_TRIPLES)
    else:
        path = Path(source)
        label = str(path)
        if path.exists() and not path.is_file():
            kind = "a folder" if path.is_dir() else "not a regular file (a device or a pipe)"
            raise QueryError(f"{path}: {kind}; give a graph file such as graph.ttl")
        if not path.is_file():
            raise QueryError(f"{path}: graph file not found (run `yuegang build` first)")
        rdflib_format, ox_format = _FORMATS.get(path.suffix.lower(), _FORMATS[".ttl"])
        try:
            if engine == "rdflib":
                store = rdflib.Graph().parse(path, format=rdflib_format)
            else:
                store = ox.Store()
                store.load(path=str(path), format=ox_format)
        except RecursionError as exc:
            raise QueryError(
                f"{path}: cannot read the graph: nested too deeply (brackets, lists or "
                "JSON objects inside each other thousands of levels deep)"
            ) from exc
        except (MemoryError, YuegangError):
            raise
        except Exception as exc:  # noqa: BLE001 - parsers raise many types on bad input
            raise QueryError(f"{path}: cannot read the graph: {exc}") from exc
    return QueryStore(engine, store, label, time.perf_counter() - start)


def _bundled_graph() -> rdflib.Graph:
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    return build_graph([extract_file(None)])


# --------------------------------------------------------------------------- ready-made queries


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a ready-made query (bound to the SELECT variable of the same name)."""

    name: str
    type: str  # "string" | "integer" | "iri"
    default: str | None
    description: str
    names: str | None = None  # what the value names ("agency", "theme", "place", "item")


@dataclass(frozen=True)
class ReadyQuery:
    """A ready-made query shipped in ``graph/rdf/queries``."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    path: Path


_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(r"^(\w+)\s*\(([^)]*)\)\s*:\s*(.*)$")


def parse_header(text: str, name: str = "<query>") -> tuple[str, str, tuple[QueryParam, ...]]:
    """Title, description and parameters from a query's leading comment lines."""
    fields: list[list[str]] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        if match := _HEADER.match(line):
            fields.append([match[1], match[2].strip()])
        elif (match := _CONTINUATION.match(line)) and fields:
            fields[-1][1] += " " + match[1].strip()
    title = next((v for k, v in fields if k == "title"), name)
    description = " ".join(v for k, v in fields if k == "description")
    params = []
    for key, value in fields:
        if key != "param":
            continue
        match = _PARAM.match(value)
        if not match:
            raise QueryError(f"{name}: cannot read parameter line {value!r}")
        opts = [o.strip() for o in match[2].split(",")]
        default = next((o[len("default") :].strip() for o in opts if o.startswith("default")), None)
        names = next((o[len("names") :].strip() for o in opts if o.startswith("names ")), None)
        params.append(QueryParam(match[1], opts[0] or "string", default, match[3].strip(), names))
    return title, description, tuple(params)


@lru_cache(maxsize=1)
def ready_made() -> tuple[ReadyQuery, ...]:
    """The ready-made queries, sorted by name."""
    folder = resources.files("graph.rdf.queries")
    queries = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        name = entry.name[: -len(".rq")]
        title, description, params = parse_header(text, name)
        queries.append(ReadyQuery(name, title, description, params, text, Path(str(entry))))
    return tuple(queries)


def ready_query(name: str) -> ReadyQuery:
    """The ready-made query called *name* (QueryError naming the known ones otherwise)."""
    for query in ready_made():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in ready_made())
    raise QueryError(f"no ready-made query {name!r}; known: {known}")


def resolve_query(spec: str) -> tuple[str, ReadyQuery | None]:
    """Query text from a ready-made name, a ``.rq`` file path, or SPARQL text itself."""
    names = {q.name: q for q in ready_made()}
    if spec in names:
        return names[spec].text, names[spec]
    if spec.endswith((".rq", ".sparql")) or ("\n" not in spec and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"{spec}: query file not found")
        text = path.read_text(encoding="utf-8")
        title, description, params = parse_header(text, path.stem)
        return text, ReadyQuery(path.stem, title, description, params, text, path)
    if re.fullmatch(r"[\w-]+", spec.strip()):
        raise QueryError(
            f"{spec!r} is neither SPARQL, a .rq file nor a ready-made query; "
            f"known: {', '.join(names)}"
        )
    return spec, None


# --------------------------------------------------------------------------- running


def run_query(
    query: str,
    store: QueryStore | rdflib.Graph | str | Path | None = None,
    *,
    params: Mapping[str, str | int] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: Engine = "oxigraph",
) -> QueryResult:
    """Run a SPARQL query (text, ``.rq`` path or ready-made name) on *store*.

    Parameters
    ----------
    query : str
        SPARQL text, a ``.rq`` file, or the name of a ready-made query.
    store : QueryStore, rdflib.Graph, path or None
        What to query; anything but a :class:`QueryStore` is opened with :func:`open_store`.
    params : mapping
        Values for the query's parameters, bound as literals (``integer`` parameters as
        ``xsd:integer``); ready-made defaults fill the others.
    timeout : float or None
        Seconds before the query is stopped (:class:`QueryTimeout`); None runs in-process
        without a limit.

    Raises
    ------
    QueryRefused
        For updates, ``SERVICE`` and ``FROM`` (nothing is run).
    QueryError, QueryTimeout
    """
    text, ready = resolve_query(query)
    text = assert_safe(text)  # run the text that was checked (one reading)
    if not isinstance(store, QueryStore):
        store = open_store(store, engine=engine)
    bindings = _bindings(ready, params or {})
    start = time.perf_counter()
    if timeout is None:
        status, payload = _execute(store, text, bindings)
    else:
        status, payload = _execute_with_timeout(store, text, bindings, timeout)
    if status == "error":
        raise QueryError(payload)
    if status == "timeout":
        raise QueryTimeout(f"query stopped after {timeout:g} s (time limit; see --timeout)")
    payload.seconds = time.perf_counter() - start
    if ready is not None and payload.kind == "select" and not payload.rows:
        check_names(store, ready, bindings)  # no rows: say which value named nothing
    return payload


# --------------------------------------------------------------------------- parameter values

#: For a parameter declared ``names KIND``: each thing of that kind (?thing), every value that
#: names it (?name) and its Chinese name (?zh), shown in suggestions.
_NAME_QUERIES = {
    "agency": """
        SELECT ?thing ?name ?zh WHERE {
          ?thing a yg:Agency .
          { ?thing skos:prefLabel|skos:altLabel|yg:fullName ?name }
          UNION { BIND (STRAFTER(STR(?thing), "https://w3id.org/yuegang/agency/") AS ?name) }
          OPTIONAL { ?thing skos:prefLabel ?zh FILTER (lang(?zh) = "zh") }
        }""",
    "theme": """
        SELECT ?thing ?name ?zh WHERE {
          ?thing skos:inScheme yg:Themes ; skos:prefLabel|skos:altLabel|skos:notation ?name .
          OPTIONAL { ?thing skos:prefLabel ?zh FILTER (lang(?zh) = "zh") }
        }""",
    "place": """
        SELECT ?thing ?name ?zh WHERE {
          ?thing a yg:Place .
          { ?thing skos:prefLabel|skos:altLabel ?name }
          UNION { BIND (STRAFTER(STR(?thing), "https://w3id.org/yuegang/place/") AS ?name) }
          OPTIONAL { ?thing skos:prefLabel ?zh FILTER (lang(?zh) = "zh") }
        }""",
    "item": "SELECT ?thing ?name ?zh WHERE { ?thing a yg:WorkItem ; yg:number ?name }",
}
_NAME_PREFIXES = (
    "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)


def known_names(store: QueryStore, kind: str) -> dict[str, str]:
    """Every value that names a thing of *kind* (``agency``, ``theme``, ``place``, ``item``),
    mapped to that thing's Chinese name (the value itself when it has none)."""
    status, payload = _execute(store, _NAME_PREFIXES + _NAME_QUERIES[kind], {})
    if status != "ok":
        raise QueryError(payload)
    names: dict[str, str] = {}
    for _thing, name, zh in sorted(
        payload.rows, key=lambda r: tuple(c.value if c else "" for c in r)
    ):
        if name is not None and name.value:
            names.setdefault(name.value, zh.value if zh is not None else name.value)
    return names


def closest(value: str, candidates: Mapping[str, str], n: int = 3) -> list[str]:
    """Up to *n* suggestions for *value* among *candidates* (name → the thing's Chinese name),
    one per thing: names that start with *value*, then that contain it (or sit inside it),
    then difflib's close matches; case is ignored. A suggestion reads ``name`` when it is the
    Chinese name, else ``name (中文名)``."""
    import difflib

    want = value.strip().casefold()
    if not want:
        return []
    folded = {c.casefold(): c for c in sorted(candidates, key=lambda c: (len(c), c))}

    def rank(f: str) -> tuple[int, int, str]:
        return (0 if f.startswith(want) else 1, abs(len(f) - len(want)), f)

    inside = sorted((f for f in folded if want in f or (len(f) > 1 and f in want)), key=rank)
    fuzzy = difflib.get_close_matches(want, list(folded), n=n, cutoff=0.5)
    out: dict[str, str] = {}  # thing → suggestion
    for f in [*inside, *fuzzy]:
        name = folded[f]
        zh = candidates[name]
        if zh not in out:
            out[zh] = name if name == zh else f"{name} ({zh})"
    return list(out.values())[:n]


def check_names(store: QueryStore, ready: ReadyQuery, bindings: dict[str, Cell]) -> None:
    """Raise :class:`QueryError` naming the closest matches when a parameter of *ready* that
    names an agency, theme, place or item matches none (``did you mean 省港澳办?``)."""
    for param in ready.params:
        cell = bindings.get(param.name)
        if not param.names or param.names not in _NAME_QUERIES or cell is None:
            continue
        known = known_names(store, param.names)
        if cell.value in known:
            continue
        if param.names == "item":
            numbers = sorted(int(k) for k in known if k.lstrip("-").isdigit())
            span = f"items run {numbers[0]}–{numbers[-1]}" if numbers else "the graph has no item"
            raise QueryError(f"{param.name}={cell.value}: no item has that number ({span})")
        near = closest(cell.value, known)
        if near:
            hint = f"did you mean {' or '.join(near)}?"
        else:
            shown = sorted(set(known.values()))
            hint = (
                f"known {param.names}s: "
                + ", ".join(shown[:20])
                + (" …" if len(shown) > 20 else "")
            )
        raise QueryError(f"{param.name}={cell.value}: no {param.names} has that name; {hint}")


def run_isolated(
    query: str,
    source: str | Path | None = None,
    *,
    params: Mapping[str, str | int] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    engine: Engine = "oxigraph",
    memory_mb: int | None = DEFAULT_MEMORY_MB,
) -> QueryResult:
    """Load *source* and run *query* in a child process cut off from the network.

    For untrusted graph files and queries (``yuegang query``): the child has no network (a
    network namespace of its own where the kernel allows it, and an audit hook that stops
    Python's URL fetching such as a JSON-LD remote ``@context`` in any case), at most
    *memory_mb* of data memory, and *timeout* seconds for loading *and* running together.

    Raises :class:`QueryRefused` before anything is loaded, :class:`QueryTimeout`,
    :class:`QueryMemoryError`, or :class:`QueryError` (unreadable file, crash of a parser).
    """
    if timeout is None or timeout <= 0:
        raise QueryError(f"--timeout must be positive, got {timeout}")
    text, ready = resolve_query(query)
    text = assert_safe(text)
    bindings = _bindings(ready, params or {})
    label = str(source) if source is not None else "the bundled graph"
    start = time.perf_counter()
    args = (source, engine, text, bindings, ready)
    try:
        status, payload = run_in_child(_isolated_child, args, timeout=timeout, memory_mb=memory_mb)
    except ChildTimeout:
        raise QueryTimeout(
            f"stopped after {timeout:g} s (time limit for loading {label} and running the "
            "query; see --timeout)"
        ) from None
    except ChildEnded as exc:
        raise _child_failure(exc.exitcode, label, memory_mb) from None
    if status == "memory":
        raise _child_failure(-6, label, memory_mb)
    if status == "error":
        raise QueryError(payload)
    payload.seconds = time.perf_counter() - start
    return payload


def _child_failure(code: int | None, label: str, memory_mb: int | None) -> YuegangError:
    """The error for a child that ended without an answer (killed by a signal or a limit)."""
    import signal

    if code in (-signal.SIGABRT, -signal.SIGKILL, 3):
        return QueryMemoryError(
            f"loading {label} or running the query needed more than the memory limit of "
            f"{memory_mb} MB (see --memory-limit); an untrusted file may expand entities "
            "(billion laughs) or nest without end"
        )
    if code == -signal.SIGSEGV:
        return QueryError(
            f"the parser crashed reading {label} (segmentation fault): the file is probably "
            "nested too deeply"
        )
    return QueryError(f"the query process ended without an answer (exit code {code})")


def _isolated_child(
    source: str | Path | None,
    engine: Engine,
    text: str,
    bindings: dict[str, Cell],
    ready: ReadyQuery | None = None,
) -> tuple[str, Any]:
    """In the isolated child (:func:`graph.rdf.isolated.run_in_child`): load, run, answer."""
    _forbid_fetching()
    try:
        store = open_store(source, engine=engine)
        status, payload = _execute(store, text, bindings)
        if status == "ok" and ready is not None and payload.kind == "select" and not payload.rows:
            check_names(store, ready, bindings)  # no rows: say which value named nothing
        return status, payload
    except MemoryError:
        return "memory", None
    except YuegangError as exc:
        return "error", str(exc)
    except RecursionError:
        return "error", f"{source}: nested too deeply to read"


def _forbid_fetching() -> None:
    """Stop any URL fetch by Python code in this process (rdflib's JSON-LD ``@context``)."""
    import sys

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "urllib.Request":
            raise QueryError(
                f"refused to fetch {args[0]}: loading a graph or running a query never goes "
                "online (a remote JSON-LD @context? put the context inline)"
            )
        if event == "socket.connect" and args and getattr(args[0], "family", None) in (2, 10):
            raise QueryError(f"refused to connect to {args[1]}: queries never go online")

    sys.addaudithook(hook)


def _bindings(ready: ReadyQuery | None, params: Mapping[str, str | int]) -> dict[str, Cell]:
    declared = {p.name: p for p in ready.params} if ready else {}
    for name in params:
        if declared and name not in declared:
            raise QueryError(
                f"query {ready.name!r} has no parameter {name!r}; "
                f"its parameters: {', '.join(declared) or '(none)'}"
            )
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise QueryError(f"parameter name {name!r} is not a SPARQL variable name")
    values: dict[str, tuple[str, str]] = {}
    for param in declared.values():
        if param.default is not None:
            values[param.name] = (param.default, param.type)
    for name, value in params.items():
        kind = declared[name].type if name in declared else _guess_type(value)
        values[name] = (str(value), kind)
    cells = {}
    for name, (value, kind) in values.items():
        if kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise QueryError(f"parameter {name} must be an integer, got {value!r}")
            cells[name] = Cell("literal", str(int(value)), None, str(XSD.integer))
        elif kind == "iri":
            cells[name] = Cell("uri", value)
        else:
            cells[name] = Cell("literal", value, None, None)
    return cells


def _guess_type(value: str | int) -> str:
    return "integer" if isinstance(value, int) else "string"


def _execute_with_timeout(
    store: QueryStore, text: str, bindings: dict[str, Cell], timeout: float
) -> tuple[str, Any]:
    """Run in a forked child (it inherits the loaded store); kill it at the time limit."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" not in methods:  # pragma: no cover - Linux and macOS have fork
        return _execute(store, text, bindings)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, store, text, bindings), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            return "timeout", None
        try:
            return receiver.recv()
        except EOFError:
            return (
                "error",
                f"the query process ended without an answer (exit code {child.exitcode})",
            )
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()


def _child(sender: Any, store: QueryStore, text: str, bindings: dict[str, Cell]) -> None:
    try:
        sender.send(_execute(store, text, bindings))
    finally:
        sender.close()


def _execute(store: QueryStore, text: str, bindings: dict[str, Cell]) -> tuple[str, Any]:
    start = time.perf_counter()
    try:
        if store.engine == "oxigraph":
            result = _run_oxigraph(store.store, text, bindings)
        else:
            result = _run_rdflib(store.store, text, bindings)
        result.engine_seconds = time.perf_counter() - start
        return "ok", result
    except QueryError as exc:
        return "error", str(exc)
    except MemoryError:
        raise
    except RecursionError:
        return "error", "query failed: nested too deeply"
    except (SyntaxError, ValueError, RuntimeError, TypeError, OSError) as exc:
        return "error", f"query failed: {exc}"
    except Exception as exc:  # noqa: BLE001 - rdflib raises many types while evaluating
        return "error", f"query failed: {type(exc).__name__}: {exc}"


def _run_oxigraph(store: ox.Store, text: str, bindings: dict[str, Cell]) -> QueryResult:
    substitutions = {ox.Variable(k): _cell_to_ox(v) for k, v in bindings.items()}
    try:
        answer = store.query(text, substitutions=substitutions or None)
    except RuntimeError as exc:
        if "projection" in str(exc) and bindings:
            raise QueryError(
                f"{exc}: with Oxigraph a parameter must be a variable of the SELECT clause "
                "(or use --engine rdflib)"
            ) from exc
        raise
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        rows = [(_ox_cell(t.subject), _ox_cell(t.predicate), _ox_cell(t.object)) for t in answer]
        return QueryResult("graph", ["subject", "predicate", "object"], sorted(rows))
    columns = [v.value for v in answer.variables]
    rows = [tuple(_ox_cell(solution[c]) for c in columns) for solution in answer]
    return QueryResult("select", columns, rows)


def _cell_to_ox(cell: Cell) -> ox.NamedNode | ox.Literal:
    if cell.kind == "uri":
        return ox.NamedNode(cell.value)
    if cell.datatype:
        return ox.Literal(cell.value, datatype=ox.NamedNode(cell.datatype))
    return ox.Literal(cell.value)


def _ox_cell(term: Any) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value if term.datatype is not None else None
        return Cell("literal", term.value, term.language, None if term.language else datatype)
    raise TypeError(f"unsupported result term {term!r}")


def _run_rdflib(g: rdflib.Graph, text: str, bindings: dict[str, Cell]) -> QueryResult:
    import rdflib.plugins.sparql as rdflib_sparql

    rdflib_sparql.SPARQL_LOAD_GRAPHS = False  # belt and braces: FROM is refused already
    init = {k: _cell_to_rdflib(v) for k, v in bindings.items()}
    answer = g.query(text, initBindings=init or None)
    if answer.type == "ASK":
        return QueryResult("ask", boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        rows = [(_rdflib_cell(s), _rdflib_cell(p), _rdflib_cell(o)) for s, p, o in answer]
        return QueryResult("graph", ["subject", "predicate", "object"], sorted(rows))
    columns = [str(v) for v in answer.vars]
    rows = [tuple(_rdflib_cell(value) for value in row) for row in answer]
    return QueryResult("select", columns, rows)


def _cell_to_rdflib(cell: Cell) -> rdflib.term.Node:
    if cell.kind == "uri":
        return rdflib.URIRef(cell.value)
    return rdflib.Literal(cell.value, datatype=cell.datatype)


def _rdflib_cell(term: Any) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return Cell("uri", str(term))
    if isinstance(term, rdflib.BNode):
        return Cell("bnode", str(term))
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        if datatype is None and not term.language:
            datatype = str(XSD.string)
        return Cell("literal", str(term), term.language, None if term.language else datatype)
    raise TypeError(f"unsupported result term {term!r}")


def format_result(result: QueryResult, fmt: str) -> str:
    """The result as ``csv``, ``tsv`` or ``json`` text."""
    writers = {"csv": result.to_csv, "tsv": result.to_tsv, "json": result.to_json}
    if fmt not in writers:
        raise QueryError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    return writers[fmt]()


def describe_ready_made() -> list[dict[str, Any]]:
    """Name, title, description and parameters of each ready-made query (for ``--list``)."""
    return [
        {
            "name": q.name,
            "title": q.title,
            "description": q.description,
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                | ({"names": p.names} if p.names else {})
                for p in q.params
            ],
        }
        for q in ready_made()
    ]
