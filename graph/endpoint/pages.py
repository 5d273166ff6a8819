"""What the SPARQL endpoint shows besides query results: editor page, resource pages, service
description. Pure functions from data to text; the HTTP layer is :mod:`graph.endpoint.server`.

All document text goes through Jinja2 with autoescaping, and the editor's configuration is
embedded as JSON in a non-executed ``<script type="application/json">`` block with ``<``
escaped, so a label such as ``</script><img onerror=…>`` stays text.

>>> resource_iri("/agency/gd-hmao")
'https://w3id.org/yuegang/agency/gd-hmao'
>>> local_path("https://w3id.org/yuegang/doc/yuefuhan-2017-38/item/5")
'/doc/yuefuhan-2017-38/item/5'
>>> local_path("http://www.wikidata.org/entity/Q15174") is None
True
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize

from graph.rdf.iris import BASE, PREFIXES

__all__ = [
    "EDITOR_DIR",
    "inline_parameters",
    "sparql_term",
    "editor_page",
    "example_queries",
    "local_path",
    "resource_iri",
    "resource_page",
    "resource_queries",
    "service_description",
    "static_files",
]

EDITOR_DIR = Path(__file__).resolve().parent / "templates" / "editor"

# Characters allowed in an IRI path taken from a request: RFC 3986 pchar and "/". Anything
# else (quotes, <, >, spaces, braces) never reaches a query string.
_PATH_RE = re.compile(r"^/[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+$")

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_LABEL_PROPERTIES = (
    _RDFS_LABEL,
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
)
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@functools.lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(EDITOR_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def resource_iri(path: str) -> str | None:
    """The graph IRI that a request path stands for (base ``https://w3id.org/yuegang/``).

    Returns None for paths that cannot be IRIs of this graph (so they are never put in a query).
    """
    if not _PATH_RE.match(path) or "/../" in path + "/" or "//" in path:
        return None
    return BASE + path[1:]


def local_path(iri: str) -> str | None:
    """The server path of a graph IRI, or None for IRIs outside the base."""
    if iri.startswith(BASE) and len(iri) > len(BASE) and "#" not in iri:
        return "/" + iri[len(BASE) :]
    return None


def curie(iri: str) -> str:
    """Shorten *iri* with the project prefixes (longest namespace wins)."""
    best = ""
    name = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, name = namespace, prefix
    return f"{name}:{iri[len(best) :]}" if best else iri


def resource_queries(iri: str) -> tuple[str, str, str]:
    """SPARQL for a resource page: outgoing rows, incoming rows, and a CONSTRUCT for RDF clients.

    *iri* must come from :func:`resource_iri` (already restricted to IRI-safe characters).
    """
    labels = " ".join(f"<{p}>" for p in _LABEL_PROPERTIES)
    outgoing = (
        "SELECT ?p ?o ?label WHERE { "
        f"<{iri}> ?p ?o . "
        f"OPTIONAL {{ VALUES ?lp {{ {labels} }} ?o ?lp ?label . FILTER(isLiteral(?label)) }} }} "
        "LIMIT 5000"
    )
    incoming = (
        "SELECT ?s ?p ?label WHERE { "
        f"?s ?p <{iri}> . "
        f"OPTIONAL {{ VALUES ?lp {{ {labels} }} ?s ?lp ?label . FILTER(isLiteral(?label)) }} }} "
        "LIMIT 5000"
    )
    construct = (
        f"CONSTRUCT {{ <{iri}> ?p ?o . ?s ?q <{iri}> }} WHERE {{ "
        f"{{ <{iri}> ?p ?o }} UNION {{ ?s ?q <{iri}> }} }}"
    )
    return outgoing, incoming, construct


def _term(binding: Mapping[str, str] | None) -> dict[str, Any] | None:
    """A SPARQL JSON term as template data: text, link (local path or IRI), language, datatype."""
    if binding is None:
        return None
    value = binding["value"]
    if binding["type"] == "uri":
        # Only web links leave the page: an IRI such as javascript:… is shown, never linked.
        web = value if value.startswith(("http://", "https://")) else None
        return {
            "text": curie(value),
            "iri": value,
            "href": local_path(value) or web,
            "lang": None,
            "datatype": None,
        }
    if binding["type"] == "bnode":
        return {"text": "_:" + value, "iri": None, "href": None, "lang": None, "datatype": None}
    datatype = binding.get("datatype")
    return {
        "text": value,
        "iri": None,
        "href": None,
        "lang": binding.get("xml:lang"),
        "datatype": curie(datatype) if datatype else None,
    }


def _group(rows: Iterable[Mapping[str, Any]], key: str, other: str) -> list[dict[str, Any]]:
    """Merge result rows that differ only in ``label`` (one row per key/other pair)."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        ident = (json.dumps(row[key], sort_keys=True), json.dumps(row[other], sort_keys=True))
        entry = merged.setdefault(
            ident, {key: _term(row[key]), other: _term(row[other]), "labels": []}
        )
        label = row.get("label")
        if label and label["value"] not in [lab["text"] for lab in entry["labels"]]:
            entry["labels"].append({"text": label["value"], "lang": label.get("xml:lang")})
    return sorted(merged.values(), key=lambda e: (e["p"]["text"], json.dumps(e, sort_keys=True)))


def resource_page(
    iri: str, outgoing: Mapping[str, Any], incoming: Mapping[str, Any], endpoint: str = "/sparql"
) -> str | None:
    """The HTML description of *iri* from the SPARQL JSON results of :func:`resource_queries`.

    Returns None when the graph says nothing about *iri* (the caller answers 404).
    """
    out_rows = outgoing["results"]["bindings"]
    in_rows = incoming["results"]["bindings"]
    if not out_rows and not in_rows:
        return None
    properties = _group(out_rows, "p", "o")
    names = sorted(
        {
            (e["o"].get("lang") or "", e["o"]["text"])
            for e in properties
            if e["p"]["iri"] in _LABEL_PROPERTIES and e["o"]["iri"] is None
        },
        key=lambda pair: (not pair[0].startswith("zh"), pair),
    )
    names = [{"text": text, "lang": lang or None} for lang, text in names]
    types = [e["o"] for e in properties if e["p"]["iri"] == _RDF_TYPE]
    return (
        _env()
        .get_template("resource.html")
        .render(
            iri=iri,
            names=names,
            types=types,
            properties=properties,
            links=_group(in_rows, "p", "s"),
            endpoint=endpoint,
            truncated=len(out_rows) >= 5000 or len(in_rows) >= 5000,
        )
    )


_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
    r"|[?$][A-Za-z_]\w*"
    r"|\w+|\s+|.",
    re.S,
)


def sparql_term(value: str, kind: str = "string") -> str:
    """*value* written as a SPARQL term: ``integer`` as a number, ``iri`` as ``<…>``, else a
    quoted string.

    >>> sparql_term('say "hi"'), sparql_term("2018", "integer"), sparql_term("urn:x", "iri")
    ('"say \\\\"hi\\\\""', '2018', '<urn:x>')
    """
    if kind == "integer":
        return str(int(value))
    if kind == "iri":
        if not re.fullmatch(r"[^<>\"{}|^`\\\s]+", value):
            raise ValueError(f"not an IRI: {value!r}")
        return f"<{value}>"
    return json.dumps(value, ensure_ascii=False)


def inline_parameters(text: str, values: Mapping[str, str]) -> str:
    """Write parameter *values* (SPARQL terms by variable name) into a query's text.

    The standard-SPARQL equivalent of binding the variables before evaluation (what
    ``graph.rdf.query`` does with Oxigraph substitutions): in the ``SELECT`` clause ``?v`` becomes
    ``(value AS ?v)``, in ``GROUP BY``/``ORDER BY``/``HAVING`` ``(value)``, and in the pattern the
    value itself. Strings, IRIs and comments are left alone. Any SPARQL 1.1 store can run the
    result, and a reader sees the value in the query and can change it.

    >>> inline_parameters('SELECT ?a ?n WHERE { ?x ?p ?a } ORDER BY ?a', {"a": '"x"'})
    'SELECT ("x" AS ?a) ?n WHERE { ?x ?p "x" } ORDER BY ("x")'
    """
    out: list[str] = []
    region = "prologue"  # prologue → select → where → modifiers
    braces = parens = 0
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        upper = token.upper()
        if region == "prologue" and upper == "SELECT":
            region = "select"
        elif token == "{":
            braces += 1
            if region in ("prologue", "select"):
                region = "where"
        elif token == "}":
            braces -= 1
            if braces == 0 and region == "where":
                region = "modifiers"
        elif token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif token[0] in "?$" and token[1:] in values:
            value = values[token[1:]]
            if region == "select" and parens == 0:
                token = f"({value} AS ?{token[1:]})"
            elif region == "modifiers":
                token = f"({value})"
            else:
                token = value
        out.append(token)
    return "".join(out)


def example_queries() -> list[dict[str, str]]:
    """The ready-made queries of :mod:`graph.rdf.query` as editor examples.

    Parameters with a default get it written into the text (:func:`inline_parameters`), so
    each example runs as-is in any SPARQL editor and answers like ``yuegang query NAME``.
    """
    from graph.rdf.query import ready_made

    examples = []
    for ready in ready_made():
        values = {
            p.name: sparql_term(p.default, p.type) for p in ready.params if p.default is not None
        }
        text = ready.text
        if values:
            note = ", ".join(f"?{name} = {value}" for name, value in values.items())
            text = inline_parameters(text, values)
            lines = text.split("\n")
            header = 0
            while header < len(lines) and lines[header].startswith("#"):
                header += 1
            lines.insert(header, f"# parameters written into this query (edit them): {note}")
            text = "\n".join(lines)
        examples.append(
            {
                "name": ready.name,
                "title": ready.title,
                "description": ready.description,
                "query": text,
            }
        )
    return examples


def editor_page(examples: list[dict[str, str]], endpoint: str = "sparql", triples: int = 0) -> str:
    """The query editor page (YASGUI, served from the package) with *examples* listed."""
    config = {"endpoint": endpoint, "examples": examples}
    config_json = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    return (
        _env()
        .get_template("index.html")
        .render(config_json=config_json, examples=examples, endpoint=endpoint, triples=triples)
    )


def static_files() -> dict[str, Path]:
    """Files the server may send under ``/editor/`` (a fixed list: no path from a request is
    ever joined to a directory)."""
    files = {}
    for path in sorted(EDITOR_DIR.rglob("*")):
        if path.is_file() and path.suffix in {".js", ".css", ".md", ".txt"}:
            files["/editor/" + path.relative_to(EDITOR_DIR).as_posix()] = path
    return files


_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"


def service_description(endpoint_url: str, triples: int, fmt: RdfFormat) -> bytes:
    """A SPARQL 1.1 Service Description of the endpoint at *endpoint_url*, in *fmt*."""
    service = NamedNode(endpoint_url)
    dataset = NamedNode(endpoint_url + "#dataset")
    graph = NamedNode(endpoint_url + "#default-graph")
    a = NamedNode(_RDF_TYPE)
    sd = {name: NamedNode(_SD + name) for name in ("Service", "Dataset", "Graph")}
    statements = [
        Triple(service, a, sd["Service"]),
        Triple(service, NamedNode(_SD + "endpoint"), service),
        Triple(service, NamedNode(_SD + "supportedLanguage"), NamedNode(_SD + "SPARQL11Query")),
        Triple(service, NamedNode(_SD + "defaultDataset"), dataset),
        Triple(dataset, a, sd["Dataset"]),
        Triple(dataset, NamedNode(_SD + "defaultGraph"), graph),
        Triple(graph, a, sd["Graph"]),
        Triple(
            graph,
            NamedNode("http://rdfs.org/ns/void#triples"),
            Literal(str(triples), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        Triple(
            service,
            NamedNode("http://purl.org/dc/terms/title"),
            Literal("yuegang-graph SPARQL endpoint (read-only)", language="en"),
        ),
    ]
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "JSON-LD",
        "N-Triples",
        "RDF_XML",
    ):
        statements.append(
            Triple(service, NamedNode(_SD + "resultFormat"), NamedNode(_FORMATS + name))
        )
    prefixes = {"sd": _SD, "formats": _FORMATS, "void": "http://rdfs.org/ns/void#"}
    return serialize(statements, format=fmt, prefixes=prefixes if fmt == RdfFormat.TURTLE else None)
