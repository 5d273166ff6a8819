"""The ontology's documentation page: ``ontology/yuegang.ttl`` → one self-contained HTML file.

Every term the ontology defines (classes, object and datatype properties, concept schemes, and
the agency-kind, place-kind and role concepts) gets a section with its IRI, its Chinese and
English labels, its comments in every language, and its relations (sub-class/sub-property of,
domain, range, functional, scheme, notation). Terms of the ontology link to each other by
``#fragment``; terms of reused vocabularies (ORG, SKOS, DCTERMS, PROV-O, Web Annotation, WGS84)
are shown as prefixed names with their IRI as text, never as links or resources, so the page
loads nothing and holds no ``http(s)`` attribute. Text goes through Jinja2's autoescaping. The
same ontology gives byte-identical HTML.

Why not pyLODE: the project targets Python 3.11; pyLODE ≥ 3.4.2 (and so ≥ 3.6) requires Python
3.12, and 3.4.1, the last release for 3.11, fails on import (its ``version.py`` opens a
``pyproject.toml`` that the wheel does not ship). 3.3.4 works, but it prints the zh and en labels
run together (``工作事项work item``) and shows one comment language, links every term to its
external IRI, and takes ~5 s. A small generator over rdflib and Jinja2 gives bilingual sections,
no external reference and deterministic output in ~0.1 s.

Example
-------
>>> html = render_ontology_html()
>>> '<section class="term" id="yg-WorkItem">' in html and "工作事项" in html
True
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

__all__ = ["Term", "ontology_terms", "render_ontology_html", "write_ontology_docs"]

ONTOLOGY_IRI = URIRef("https://w3id.org/yuegang/ontology")
YG = "https://w3id.org/yuegang/ontology#"

#: Prefixes used to show IRIs as prefixed names (longest namespace wins).
PREFIXES = {
    "yg": YG,
    "agencykind": "https://w3id.org/yuegang/agency-kind/",
    "placekind": "https://w3id.org/yuegang/place-kind/",
    "role": "https://w3id.org/yuegang/role/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

#: Sections of the page: (key, zh heading, en heading).
GROUPS = (
    ("class", "类", "Classes"),
    ("object-property", "对象属性", "Object properties"),
    ("datatype-property", "数据属性", "Datatype properties"),
    ("scheme", "概念体系", "Concept schemes"),
    (
        "concept",
        "概念（单位类型、地点类型、分工角色）",
        "Concepts (agency kinds, place kinds, roles)",
    ),
)


@dataclass
class Term:
    """One term of the ontology, as the page shows it."""

    iri: str
    name: str  # prefixed name, e.g. yg:WorkItem
    anchor: str  # HTML id
    group: str  # one of the GROUPS keys
    labels: dict[str, list[str]] = field(default_factory=dict)  # language → labels
    comments: dict[str, list[str]] = field(default_factory=dict)
    relations: list[tuple[str, list[tuple[str, str | None]]]] = field(default_factory=list)

    @property
    def label_zh(self) -> str:
        return "；".join(self.labels.get("zh", []))

    @property
    def label_en(self) -> str:
        return "; ".join(self.labels.get("en", []))


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _anchor(name: str) -> str:
    return name.replace(":", "-")


def _by_lang(values: Iterable) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        if isinstance(value, Literal):
            out.setdefault(value.language or "", []).append(str(value))
    order = {"zh": 0, "en": 1}  # Chinese first, then English, then any other language
    ranked = sorted(out.items(), key=lambda kv: (order.get(kv[0], 2), kv[0]))
    return {lang: sorted(texts) for lang, texts in ranked}


def _group(g: Graph, s: URIRef) -> str | None:
    types = set(g.objects(s, RDF.type))
    if OWL.Class in types or RDFS.Class in types:
        return "class"
    if OWL.ObjectProperty in types:
        return "object-property"
    if OWL.DatatypeProperty in types or OWL.AnnotationProperty in types:
        return "datatype-property"
    if SKOS.ConceptScheme in types:
        return "scheme"
    if any((t, RDFS.subClassOf, SKOS.Concept) in g for t in types) or SKOS.Concept in types:
        return "concept"
    return None


_RELATIONS = (
    ("rdfs:subClassOf", RDFS.subClassOf),
    ("rdfs:subPropertyOf", RDFS.subPropertyOf),
    ("rdfs:domain", RDFS.domain),
    ("rdfs:range", RDFS.range),
    ("rdf:type", RDF.type),
    ("skos:inScheme", SKOS.inScheme),
    ("skos:notation", SKOS.notation),
    ("skos:broader", SKOS.broader),
)


def ontology_terms(g: Graph) -> list[Term]:
    """The terms *g* defines in the project's namespaces, sorted by group then name."""
    ours = tuple(PREFIXES[p] for p in ("yg", "agencykind", "placekind", "role"))
    defined = {}
    for s in set(g.subjects(RDF.type, None)):
        if isinstance(s, URIRef) and str(s).startswith(ours):
            group = _group(g, s)
            if group:
                defined[s] = group
    terms = []
    for s, group in defined.items():
        name = _curie(str(s))
        term = Term(str(s), name, _anchor(name), group)
        term.labels = _by_lang([*g.objects(s, RDFS.label), *g.objects(s, SKOS.prefLabel)])
        term.labels = {k: sorted(set(v)) for k, v in term.labels.items()}
        term.comments = _by_lang([*g.objects(s, RDFS.comment), *g.objects(s, SKOS.definition)])
        for label, predicate in _RELATIONS:
            values = []
            for o in sorted(g.objects(s, predicate), key=str):
                if predicate == RDF.type and o in (
                    OWL.Class,
                    OWL.ObjectProperty,
                    OWL.DatatypeProperty,
                ):
                    continue
                if isinstance(o, URIRef):
                    values.append(
                        (_curie(str(o)), _anchor(_curie(str(o))) if o in defined else None)
                    )
                else:
                    values.append((str(o), None))
            if values:
                term.relations.append((label, values))
        used_as = [
            ("used as domain of / 定义域", RDFS.domain),
            ("used as range of / 值域", RDFS.range),
        ]
        for label, predicate in used_as:
            props = sorted(_curie(str(p)) for p in g.subjects(predicate, s) if p in defined)
            if props:
                term.relations.append((label, [(p, _anchor(p)) for p in props]))
        terms.append(term)
    order = {key: i for i, (key, _, _) in enumerate(GROUPS)}
    return sorted(terms, key=lambda t: (order[t.group], t.name.lower(), t.name))


_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title_zh }} · {{ title_en }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
       "WenQuanYi Micro Hei", system-ui, sans-serif; margin: 0 auto; max-width: 60rem;
       padding: 1rem 1.5rem 4rem; line-height: 1.5; color: #1f2328; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d7de; }
h3 { margin: 1.8rem 0 .3rem; font-size: 1.1rem; } code { font-size: .9em; color: #0a3069; }
.en { color: #57606a; } .term { border-left: 3px solid #d0d7de; padding-left: .8rem; }
table { border-collapse: collapse; } td, th { text-align: left; vertical-align: top; padding: .15rem .6rem .15rem 0; }
th { font-weight: 600; white-space: nowrap; color: #57606a; } nav ul { columns: 2; }
.lang { font-size: .75rem; color: #fff; background: #8c959f; border-radius: 3px; padding: 0 .3rem; margin-right: .3rem; }
</style>
</head>
<body>
<h1>{{ title_zh }}</h1>
<p class="en">{{ title_en }}</p>
<table>
<tr><th>IRI</th><td><code>{{ ontology_iri }}</code></td></tr>
<tr><th>namespace 命名空间</th><td><code>{{ namespace }}</code> (prefix <code>yg:</code>)</td></tr>
{% if version %}<tr><th>version 版本</th><td>{{ version }}</td></tr>{% endif %}
{% if license %}<tr><th>licence 许可</th><td><code>{{ license }}</code></td></tr>{% endif %}
</table>
{% for lang, texts in descriptions.items() %}{% for text in texts %}
<p><span class="lang">{{ lang or "–" }}</span>{{ text }}</p>
{% endfor %}{% endfor %}
<h2>目录 Contents</h2>
<nav><ul>
{% for key, zh, en in groups if grouped[key] %}<li><a href="#group-{{ key }}">{{ zh }} {{ en }}</a> ({{ grouped[key]|length }})</li>
{% endfor %}</ul></nav>
{% for key, zh, en in groups if grouped[key] %}
<h2 id="group-{{ key }}">{{ zh }} · {{ en }}</h2>
<ul>{% for t in grouped[key] %}<li><a href="#{{ t.anchor }}"><code>{{ t.name }}</code></a> {{ t.label_zh }} <span class="en">{{ t.label_en }}</span></li>{% endfor %}</ul>
{% for t in grouped[key] %}
<section class="term" id="{{ t.anchor }}">
<h3><code>{{ t.name }}</code> {{ t.label_zh }} <span class="en">/ {{ t.label_en }}</span></h3>
<table>
<tr><th>IRI</th><td><code>{{ t.iri }}</code></td></tr>
{% for lang, labels in t.labels.items() %}<tr><th>label 标签 ({{ lang or "–" }})</th><td>{{ labels|join("；") }}</td></tr>
{% endfor %}{% for lang, texts in t.comments.items() %}{% for text in texts %}<tr><th>comment 说明 ({{ lang or "–" }})</th><td>{{ text }}</td></tr>
{% endfor %}{% endfor %}{% for label, values in t.relations %}<tr><th>{{ label }}</th><td>{% for text, anchor in values %}{% if anchor %}<a href="#{{ anchor }}"><code>{{ text }}</code></a>{% else %}<code>{{ text }}</code>{% endif %}{% if not loop.last %}, {% endif %}{% endfor %}</td></tr>
{% endfor %}</table>
</section>
{% endfor %}{% endfor %}
<h2>前缀 Prefixes</h2>
<table>{% for prefix, ns in prefixes %}<tr><th><code>{{ prefix }}:</code></th><td><code>{{ ns }}</code></td></tr>{% endfor %}</table>
</body>
</html>
"""


def _ontology_graph(source: str | Path | Graph | None) -> Graph:
    if isinstance(source, Graph):
        return source
    if source is None:
        from graph.rdf.build import ontology_path

        source = ontology_path()
    return Graph().parse(Path(source), format="turtle")


def render_ontology_html(source: str | Path | Graph | None = None) -> str:
    """The documentation page of the ontology *source* (a Turtle path or a Graph; None: the
    bundled ``yuegang.ttl``) as an HTML string."""
    g = _ontology_graph(source)
    terms = ontology_terms(g)
    grouped = {key: [t for t in terms if t.group == key] for key, _, _ in GROUPS}
    titles = _by_lang(g.objects(ONTOLOGY_IRI, DCTERMS.title)) or _by_lang(
        g.objects(ONTOLOGY_IRI, RDFS.label)
    )
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
    return env.from_string(_TEMPLATE).render(
        title_zh="；".join(titles.get("zh", [])) or "yuegang-graph 本体",
        title_en="; ".join(titles.get("en", [])) or "yuegang-graph ontology",
        ontology_iri=str(ONTOLOGY_IRI),
        namespace=YG,
        version=next((str(v) for v in g.objects(ONTOLOGY_IRI, OWL.versionInfo)), None),
        license=next((str(v) for v in g.objects(ONTOLOGY_IRI, DCTERMS.license)), None),
        descriptions=_by_lang(g.objects(ONTOLOGY_IRI, DCTERMS.description)),
        groups=GROUPS,
        grouped=grouped,
        prefixes=sorted(PREFIXES.items()),
    )


def write_ontology_docs(path: str | Path, source: str | Path | Graph | None = None) -> Path:
    """Write the documentation page to *path* (UTF-8); return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_ontology_html(source).encode("utf-8"))
    return path


if __name__ == "__main__":  # python -m graph.rdf.ontology_docs [OUT.html]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("ontology.html")
    print(write_ontology_docs(target))
