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


_YG = "https://w3id.org/yuegang/ontology#"
_ZH_NAME = "<http://www.w3.org/2004/02/skos/core#prefLabel>"
#: Marks the rows of the incoming query that list an agency's partners (not a real property).
_PARTNER = "urn:yuegang:page:partner"


def resource_queries(iri: str) -> tuple[str, str, str]:
    """SPARQL for a resource page: outgoing rows, incoming rows, and a CONSTRUCT for RDF clients.

    Besides each statement, the outgoing rows of an item's assignments carry the unit, its role,
    position and Chinese name (``?agency ?role ?position ?name``), and the incoming rows carry
    each referring item's number and text (``?number ?text``), the role of an agency's
    assignments (``?role ?owner``) and, as extra rows marked ``_PARTNER``, the agency's partners
    (``?partner ?name``), so the page can lead with what a reader wants.

    *iri* must come from :func:`resource_iri` (already restricted to IRI-safe characters).
    """
    labels = " ".join(f"<{p}>" for p in _LABEL_PROPERTIES)
    outgoing = (
        "SELECT ?p ?o ?label ?agency ?role ?position ?name WHERE { "
        f"<{iri}> ?p ?o . "
        f"OPTIONAL {{ VALUES ?lp {{ {labels} }} ?o ?lp ?label . FILTER(isLiteral(?label)) }} "
        f"OPTIONAL {{ FILTER(?p = <{_YG}assignment>) "
        f"?o <{_YG}agency> ?agency ; <{_YG}role> ?role . "
        f"OPTIONAL {{ ?o <{_YG}position> ?position }} "
        f'OPTIONAL {{ ?agency {_ZH_NAME} ?name FILTER(lang(?name) = "zh") }} }} }} '
        "LIMIT 5000"
    )
    incoming = (
        "SELECT ?s ?p ?label ?number ?text ?role ?owner ?partner ?name WHERE { "
        f"{{ ?s ?p <{iri}> . "
        f"OPTIONAL {{ VALUES ?lp {{ {labels} }} ?s ?lp ?label . FILTER(isLiteral(?label)) }} "
        f"OPTIONAL {{ ?s <{_YG}number> ?number ; <{_YG}text> ?text }} "
        f"OPTIONAL {{ FILTER(?p = <{_YG}agency>) ?s <{_YG}role> ?role . "
        f"?owner <{_YG}assignment> ?s }} }} "
        f"UNION {{ SELECT DISTINCT ?s ?p ?partner ?name WHERE {{ "
        f"?s <{_YG}responsibleAgency> <{iri}> , ?partner . FILTER(?partner != <{iri}>) "
        f'OPTIONAL {{ ?partner {_ZH_NAME} ?name FILTER(lang(?name) = "zh") }} '
        f"BIND(<{_PARTNER}> AS ?p) }} }} }} "
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
    all_in = incoming["results"]["bindings"]
    in_rows = [r for r in all_in if r.get("p", {}).get("value") != _PARTNER]
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
    type_iris = {t["iri"] for t in types}
    item = _item_summary(out_rows) if _YG + "WorkItem" in type_iris else None
    agency = _agency_summary(all_in) if _YG + "Agency" in type_iris else None
    return (
        _env()
        .get_template("resource.html")
        .render(
            iri=iri,
            names=names,
            types=types,
            item=item,
            agency=agency,
            properties=properties,
            links=_group(in_rows, "p", "s"),
            endpoint=endpoint,
            truncated=len(out_rows) >= 5000 or len(all_in) >= 5000,
        )
    )


def _value(row: Mapping[str, Any], key: str) -> str | None:
    return row[key]["value"] if key in row else None


def _first(rows: Iterable[Mapping[str, Any]], prop: str, lang: str | None = None) -> Any:
    """The object of the first row whose property is *prop* (and language *lang*), as a term."""
    for row in rows:
        if _value(row, "p") == prop and (lang is None or row["o"].get("xml:lang") == lang):
            return _term(row["o"])
    return None


def _role(iri: str | None) -> str:
    return (iri or "").rsplit("/", 1)[-1]


def _int(text: str | None) -> int:
    return int(text) if text and text.lstrip("-").isdigit() else 10**9


def _item_summary(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Number, text, section, sub-section, document and units (printed order, roles) of an item."""
    units: dict[str, dict[str, Any]] = {}
    for row in rows:
        if _value(row, "p") == _YG + "assignment" and "agency" in row:
            agency = _term(row["agency"])
            units.setdefault(
                row["o"]["value"],
                {
                    "agency": agency,
                    "name": _value(row, "name") or agency["text"],
                    "role": _role(_value(row, "role")),
                    "position": _value(row, "position"),
                },
            )
    ordered = sorted(units.values(), key=lambda u: (_int(u["position"]), u["name"]))

    def linked(prop: str) -> dict[str, Any] | None:
        term = _first(rows, prop)
        if term is None:
            return None
        labels = [_value(r, "label") for r in rows if _value(r, "p") == prop and "label" in r]
        return {**term, "label": next((lab for lab in labels if lab), None)}

    return {
        "number": (_first(rows, _YG + "number") or {}).get("text"),
        "text": (_first(rows, _YG + "text") or {}).get("text"),
        "document": linked(_YG + "inDocument"),
        "section": linked(_YG + "inSection"),
        "subsection": linked(_YG + "inSubsection"),
        "units": ordered,
    }


def _agency_summary(rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    """An agency's items (number, text, its role) and partners (name, shared items)."""
    roles: dict[str, str] = {}
    for row in rows:
        if _value(row, "p") == _YG + "agency" and "owner" in row:
            roles[row["owner"]["value"]] = _role(_value(row, "role"))
    items: dict[str, dict[str, Any]] = {}
    partners: dict[str, dict[str, Any]] = {}
    for row in rows:
        p = _value(row, "p")
        if p == _YG + "responsibleAgency" and row["s"]["value"] not in items:
            items[row["s"]["value"]] = {
                "item": _term(row["s"]),
                "number": _value(row, "number"),
                "text": _value(row, "text") or "",
                "role": roles.get(row["s"]["value"], ""),
            }
        elif p == _PARTNER and "partner" in row:
            entry = partners.setdefault(
                row["partner"]["value"],
                {"agency": _term(row["partner"]), "name": _value(row, "name"), "items": set()},
            )
            entry["items"].add(row["s"]["value"])
    listed = sorted(items.values(), key=lambda i: (_int(i["number"]), i["item"]["iri"]))
    shared = [
        {**p, "shared": len(p["items"])}
        for p in sorted(
            partners.values(),
            key=lambda p: (-len(p["items"]), p["name"] or "", p["agency"]["iri"]),
        )
    ]
    return {"work": listed, "partners": shared}


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
    """The query editor page (YASGUI, served from the package) with *examples* listed; a new
    tab opens on the ``item`` example (item 24 with its units: ``yg:`` terms), or the first."""
    start = next((e for e in examples if e["name"] == "item"), examples[0] if examples else None)
    config = {"endpoint": endpoint, "examples": examples, "start": start["query"] if start else ""}
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
