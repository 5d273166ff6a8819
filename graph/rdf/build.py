"""Extraction dicts → one RDF graph (ontology terms of ``ontology/yuegang.ttl``), and its files.

:func:`build_graph` turns the extraction dicts of one or more notices (the contract of
``docs/architecture.md``, as :func:`graph.extract.notice.extract_file` returns them) into an
``rdflib.Graph``: the notice, its sections and items, the responsible agencies described from
the register (shared across notices: same register id, same IRI), the qualified assignments, the
places and themes (the full gazetteer and SKOS theme scheme), keywords, target years, and each
item's provenance (source file, SHA-256, character spans of its text and responsibility list).

:func:`write_graph` writes Turtle, N-Triples and JSON-LD that are byte-identical for the same
graph: triples are sorted, and Turtle and N-Triples are written by Oxigraph's native serializer
(``scripts/bench_store.py`` measures it against rdflib's).

Example
-------
>>> from graph.extract.notice import extract_file          # doctest: +SKIP
>>> g = build_graph([extract_file(None)])           # doctest: +SKIP
>>> paths = write_graph(g, "yuegang-out")           # doctest: +SKIP
>>> sorted(paths)                                   # doctest: +SKIP
['jsonld', 'nt', 'ttl']
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import YuegangError
from graph.extract import gazetteer
from graph.extract.register import Agency, Register, load_register
from graph.extract.text import matching_form
from graph.rdf.corrections import correction_triples
from graph.rdf.iris import (
    BASE,
    DCTERMS,
    GEO,
    OA,
    ORG,
    PREFIXES,
    PROV,
    SKOS,
    WD,
    YG,
    agency_iri,
    agency_kind_iri,
    assignment_iri,
    document_iri,
    document_slug,
    item_iri,
    place_iri,
    place_kind_iri,
    role_iri,
    section_iri,
    selector_iri,
    theme_iri,
)

__all__ = [
    "GraphInputError",
    "GraphWarning",
    "build_graph",
    "load_ontology",
    "ontology_path",
    "serialize_jsonld",
    "serialize_nt",
    "serialize_turtle",
    "write_graph",
]

ROLES = ("lead", "support", "responsible")
PLACE_CLASSES = {
    "city": YG.City,
    "sar": YG.SpecialAdministrativeRegion,
    "zone": YG.Zone,
    "district": YG.District,
}
# Prefixes left out of Turtle: their local parts contain "/" (written relative to @base instead).
TURTLE_UNPREFIXED = frozenset({"doc"})
# The files write_graph produces, by key.
FILES = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld"}


class GraphInputError(YuegangError, ValueError):
    """An extraction dict that does not follow the contract (names the source and the item)."""


class GraphWarning(UserWarning):
    """Something in the input the graph cannot represent fully (e.g. a place not in the gazetteer)."""


# --------------------------------------------------------------------------- ontology


def ontology_path() -> Path:
    """Path of the bundled ontology file ``yuegang.ttl``."""
    return Path(str(resources.files("graph.ontology") / "yuegang.ttl"))


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[tuple[Node, Node, Node], ...]:
    g = Graph()
    g.parse(ontology_path(), format="turtle")
    return tuple(g)


def load_ontology() -> Graph:
    """The ontology as a fresh graph (parsed once per process)."""
    g = _new_graph()
    for triple in _ontology_triples():
        g.add(triple)
    return g


# --------------------------------------------------------------------------- build


def build_graph(
    extractions: Sequence[Mapping[str, Any]],
    *,
    include_ontology: bool = True,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> Graph:
    """Build one RDF graph from the extraction dicts of one or more notices.

    Parameters
    ----------
    extractions : list of dict
        Extraction dicts (``graph.extract.notice.extract_file`` output). Several notices share their
        agencies (same register id → same IRI). The same notice given twice is kept once.
    include_ontology : bool
        Add the ontology's triples (classes, properties, kinds, roles) so the graph describes
        itself.
    register, places, themes
        Reference data; default to the bundled register, gazetteer and theme list.

    Raises
    ------
    GraphInputError
        When a dict lacks a key of the contract, or two different files carry the same
        document identifier.

    Warns
    -----
    GraphWarning
        For a place or theme name the gazetteer does not know (the link is left out).
    """
    register = register if register is not None else load_register()
    places = tuple(places if places is not None else gazetteer.load_places())
    themes = tuple(themes if themes is not None else gazetteer.load_themes())
    g = load_ontology() if include_ontology else _new_graph()
    builder = _Builder(g, register, places, themes)
    builder.add_themes()
    builder.add_places()
    seen: dict[str, str] = {}
    for extraction in extractions:
        document = _require(extraction, "document", "the extraction")
        source = str(document.get("source") or "<extraction>")
        slug = document_slug(document)
        checksum = str(document.get("sha256") or "")
        if slug in seen:
            if seen[slug] == checksum:
                warnings.warn(
                    f"{source}: document {slug} given twice; kept once", GraphWarning, stacklevel=2
                )
                continue
            raise GraphInputError(
                f"{source}: document {document.get('identifier') or slug} is already in the graph "
                "from a different file; give each notice once"
            )
        seen[slug] = checksum
        builder.add_extraction(extraction, slug)
        for triple in correction_triples(extraction, slug):  # corrected lists: provenance
            g.add(triple)
    builder.add_agencies()
    return g


def _new_graph() -> Graph:
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    return g


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if not isinstance(mapping, Mapping):
        raise GraphInputError(f"{where}: expected a JSON object, got {type(mapping).__name__}")
    if key not in mapping:
        raise GraphInputError(f"{where}: missing key {key!r}")
    return mapping[key]


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _int(value: int) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _decimal(value: float) -> Literal:
    return Literal(Decimal(repr(float(value))), datatype=XSD.decimal)


class _Builder:
    """Adds triples to *g*; collects the agencies to describe once all notices are in."""

    def __init__(
        self,
        g: Graph,
        register: Register,
        places: tuple[gazetteer.Place, ...],
        themes: tuple[gazetteer.Theme, ...],
    ) -> None:
        self.g = g
        self.register = register
        self.places = places
        self.themes = themes
        self.place_by_name = _names_index(places)
        self.place_by_id = {p.id: p for p in places}
        self.theme_by_name = _names_index(themes)
        self.named_agencies: dict[str, Agency] = {}  # yg:Agency (named in a responsibility list)
        self.other_orgs: dict[str, Agency] = {}  # issuers: org:Organization
        self.add = g.add

    # ---- reference data

    def add_themes(self) -> None:
        add, scheme = self.add, YG.Themes
        add((scheme, RDF.type, SKOS.ConceptScheme))
        ids = {t.id for t in self.themes}
        for theme in self.themes:
            iri = theme_iri(theme.id)
            add((iri, RDF.type, SKOS.Concept))
            add((iri, SKOS.inScheme, scheme))
            add((iri, SKOS.notation, Literal(theme.id)))
            self.add_labels(iri, theme.name, theme.name_en, theme.aliases)
            if theme.comment:
                add((iri, RDFS.comment, _en(theme.comment)))
            if theme.broader:
                if theme.broader not in ids:
                    warnings.warn(
                        f"themes: {theme.id} has broader {theme.broader!r}, which is not a theme",
                        GraphWarning,
                        stacklevel=3,
                    )
                add((iri, SKOS.broader, theme_iri(theme.broader)))
                add((theme_iri(theme.broader), SKOS.narrower, iri))
            else:
                add((iri, SKOS.topConceptOf, scheme))
                add((scheme, SKOS.hasTopConcept, iri))

    def add_labels(self, iri: URIRef, name: str, name_en: str, aliases: tuple[str, ...]) -> None:
        """skos:prefLabel and rdfs:label in zh (and en when known), skos:altLabel per alias."""
        self.add((iri, SKOS.prefLabel, _zh(name)))
        self.add((iri, RDFS.label, _zh(name)))
        if name_en:
            self.add((iri, SKOS.prefLabel, _en(name_en)))
            self.add((iri, RDFS.label, _en(name_en)))
        for alias in aliases:
            self.add((iri, SKOS.altLabel, _zh(alias)))

    def add_places(self) -> None:
        add = self.add
        for place in self.places:
            iri = place_iri(place.id)
            add((iri, RDF.type, YG.Place))
            if place.kind in PLACE_CLASSES:
                add((iri, RDF.type, PLACE_CLASSES[place.kind]))
            add((iri, YG.placeKind, place_kind_iri(place.kind or "other")))
            self.add_labels(iri, place.name, place.name_en, place.aliases)
            if place.lat is not None and place.long is not None:
                add((iri, GEO.lat, _decimal(place.lat)))
                add((iri, GEO.long, _decimal(place.long)))
            if place.wikidata:
                add((iri, OWL.sameAs, WD[place.wikidata]))
            if place.parent:
                if place.parent in self.place_by_id:
                    add((iri, YG.locatedIn, place_iri(place.parent)))
                else:
                    warnings.warn(
                        f"places: {place.id} lies in {place.parent!r}, which is not a place",
                        GraphWarning,
                        stacklevel=3,
                    )

    # ---- one notice

    def add_extraction(self, extraction: Mapping[str, Any], slug: str) -> None:
        document = extraction["document"]
        source = str(document.get("source") or "<extraction>")
        doc = document_iri(slug)
        self._add_document(doc, document)
        for section in _require(extraction, "sections", source):
            self._add_section(doc, slug, section, source)
        for item in _require(extraction, "items", source):
            self._add_item(doc, slug, item, source)

    def _add_document(self, doc: URIRef, document: Mapping[str, Any]) -> None:
        add = self.add
        add((doc, RDF.type, YG.PolicyDocument))
        add((doc, RDF.type, PROV.Entity))
        identifier = document.get("identifier")
        title = document.get("title")
        if identifier:
            add((doc, DCTERMS.identifier, Literal(identifier)))
        if title:
            add((doc, DCTERMS.title, _zh(title)))
        label = identifier or title or document.get("source")
        if label:
            add((doc, RDFS.label, _zh(str(label))))
        if document.get("date"):
            add((doc, DCTERMS.issued, Literal(document["date"], datatype=XSD.date)))
        issuer = document.get("issuer")
        if issuer:
            add((doc, YG.issuerName, _zh(issuer)))
            agency = self.register.lookup(issuer)
            if agency is not None:
                add((doc, DCTERMS.creator, agency_iri(agency.id)))
                self.other_orgs.setdefault(agency.id, agency)
        if document.get("source"):
            add((doc, DCTERMS.source, Literal(document["source"])))
        if document.get("sha256"):
            add((doc, YG.sha256, Literal(str(document["sha256"]).lower())))
        for name in document.get("recipients") or ():
            add((doc, YG.recipient, _zh(name)))
        for name in document.get("cc") or ():
            add((doc, YG.copyTo, _zh(name)))
        if document.get("contact_unit"):
            add((doc, YG.contactUnit, _zh(document["contact_unit"])))
        if document.get("annex_title"):
            add((doc, YG.annexTitle, _zh(document["annex_title"])))
        if document.get("script"):
            add((doc, YG.script, Literal(document["script"])))

    def _add_section(self, doc: URIRef, slug: str, section: Mapping[str, Any], source: str) -> None:
        add = self.add
        number = _require(section, "number", f"{source}: section")
        where = f"{source}: section {number}"
        iri = section_iri(slug, number)
        add((iri, RDF.type, YG.Section))
        add((iri, YG.number, _int(number)))
        add((iri, YG.inDocument, doc))
        title = section.get("title")
        if title:
            add((iri, DCTERMS.title, _zh(title)))
            add((iri, RDFS.label, _zh(title)))
        if section.get("line"):
            add((iri, YG.line, _int(section["line"])))
        for sub in section.get("subsections") or ():
            m = _require(sub, "number", where + ", sub-section")
            sub_iri = section_iri(slug, number, m)
            add((sub_iri, RDF.type, YG.Section))
            add((sub_iri, RDF.type, YG.Subsection))
            add((sub_iri, YG.number, _int(m)))
            add((sub_iri, YG.partOf, iri))
            add((sub_iri, YG.inDocument, doc))
            if sub.get("title"):
                add((sub_iri, DCTERMS.title, _zh(sub["title"])))
                add((sub_iri, RDFS.label, _zh(sub["title"])))
            if sub.get("line"):
                add((sub_iri, YG.line, _int(sub["line"])))

    def _add_item(self, doc: URIRef, slug: str, item: Mapping[str, Any], source: str) -> None:
        add = self.add
        number = _require(item, "number", f"{source}: item")
        key = str(item.get("key") or number)
        where = f"{source}: item {key}"
        if item.get("line"):
            where = f"{source}:{item['line']}: item {key}"
        iri = item_iri(slug, key)
        add((iri, RDF.type, YG.WorkItem))
        add((iri, RDF.type, PROV.Entity))
        add((iri, YG.number, _int(number)))
        add((iri, YG.key, Literal(key)))
        add((iri, RDFS.label, _zh(f"第{key}项")))
        add((iri, RDFS.label, _en(f"item {key}")))
        add((iri, YG.inDocument, doc))
        add((iri, PROV.wasDerivedFrom, doc))
        section = _require(item, "section", where)
        if section is not None:
            add((iri, YG.inSection, section_iri(slug, section)))
            if item.get("subsection") is not None:
                add((iri, YG.inSubsection, section_iri(slug, section, item["subsection"])))
        text = _require(item, "text", where)
        if text:
            add((iri, YG.text, _zh(text)))
        if item.get("responsibility"):
            add((iri, YG.responsibilityText, _zh(item["responsibility"])))
        if item.get("line"):
            add((iri, YG.line, _int(item["line"])))
        for part, span_key, prop in (
            ("text", "span", YG.textSelector),
            ("responsibility", "responsibility_span", YG.responsibilitySelector),
        ):
            span = item.get(span_key)
            if span:
                self._add_selector(iri, selector_iri(slug, key, part), prop, span, where)
        if item.get("deadline"):
            add((iri, YG.deadline, _zh(item["deadline"])))
        for agency in _require(item, "agencies", where):
            self._add_assignment(iri, slug, key, agency, where)
        for name in item.get("places") or ():
            place = self.place_by_name.get(name)
            if place is None:
                warnings.warn(f"{where}: place {name!r} is not in the gazetteer", GraphWarning, 4)
                continue
            add((iri, YG.mentionsPlace, place_iri(place.id)))
        for name in item.get("themes") or ():
            theme = self.theme_by_name.get(name)
            if theme is None:
                warnings.warn(f"{where}: theme {name!r} is not in the theme list", GraphWarning, 4)
                continue
            add((iri, DCTERMS.subject, theme_iri(theme.id)))
        for keyword in item.get("keywords") or ():
            add((iri, YG.keyword, _zh(keyword)))
        if item.get("target_year") is not None:
            add((iri, YG.targetYear, _int(item["target_year"])))

    def _add_selector(
        self, item: URIRef, iri: URIRef, prop: URIRef, span: Sequence[int], where: str
    ) -> None:
        try:
            start, end = (int(v) for v in span)
        except (TypeError, ValueError) as exc:
            raise GraphInputError(f"{where}: span {span!r} is not [start, end]") from exc
        if not 0 <= start <= end:
            raise GraphInputError(f"{where}: span {span!r} is not 0 <= start <= end")
        self.add((item, prop, iri))
        self.add((iri, RDF.type, OA.TextPositionSelector))
        self.add((iri, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        self.add((iri, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))

    def _add_assignment(
        self, item: URIRef, slug: str, key: str, agency: Mapping[str, Any], where: str
    ) -> None:
        add = self.add
        agency_id = _require(agency, "id", f"{where}: agency")
        name = agency.get("name") or agency_id
        position = _require(agency, "position", f"{where}: agency {name}")
        role = agency.get("role") or "responsible"
        if role not in ROLES:
            raise GraphInputError(f"{where}: agency {name}: role {role!r} not one of {ROLES}")
        record = self.register.get(agency_id)
        if record is None:
            if agency.get("known", False):
                warnings.warn(
                    f"{where}: agency id {agency_id!r} ({name}) is not in the register; "
                    "described as unknown",
                    GraphWarning,
                    4,
                )
            record = Agency(
                id=agency_id, name=name, full_name=name, name_en="", kind="other", known=False
            )
        self.named_agencies.setdefault(agency_id, record)
        ag = agency_iri(agency_id)
        asg = assignment_iri(slug, key, position)
        add((item, YG.responsibleAgency, ag))
        if role == "lead":
            add((item, YG.leadAgency, ag))
        elif role == "support":
            add((item, YG.supportAgency, ag))
        add((item, YG.assignment, asg))
        add((asg, RDF.type, YG.Assignment))
        add((asg, YG.agency, ag))
        add((asg, YG.role, role_iri(role)))
        add((asg, YG.position, _int(position)))
        if agency.get("as_written"):
            add((asg, YG.asWritten, _zh(agency["as_written"])))

    # ---- agencies (after all notices)

    def add_agencies(self) -> None:
        described: set[str] = set()
        for agency in self.named_agencies.values():
            self.add((agency_iri(agency.id), RDF.type, YG.Agency))
        queue = list(self.named_agencies.values()) + list(self.other_orgs.values())
        while queue:
            agency = queue.pop()
            if agency.id in described:
                continue
            described.add(agency.id)
            self._describe_agency(agency)
            if agency.parent:
                parent = self.register.get(agency.parent)
                if parent is None:
                    warnings.warn(
                        f"register: {agency.id} has parent {agency.parent!r}, which is not in "
                        "the register",
                        GraphWarning,
                        3,
                    )
                else:
                    queue.append(parent)

    def _describe_agency(self, agency: Agency) -> None:
        add = self.add
        iri = agency_iri(agency.id)
        add((iri, RDF.type, ORG.Organization))
        self.add_labels(iri, agency.name, agency.name_en, agency.aliases)
        if agency.full_name:
            add((iri, YG.fullName, _zh(agency.full_name)))
        add((iri, YG.agencyKind, agency_kind_iri(agency.kind or "other")))
        add((iri, YG.known, Literal(bool(agency.known))))
        if agency.parent and self.register.get(agency.parent) is not None:
            add((iri, ORG.subOrganizationOf, agency_iri(agency.parent)))
        if agency.city:
            place = self.place_by_name.get(agency.city)
            if place is not None:
                add((iri, YG.locatedIn, place_iri(place.id)))


def _names_index(records: Iterable[Any]) -> dict[str, Any]:
    """Name and alias → record, trying the canonical (simplified, half-width) form too."""
    index: dict[str, Any] = {}
    for record in records:
        for name in (record.name, *record.aliases):
            index.setdefault(name, record)
    return _FoldingDict(index)


class _FoldingDict(dict):
    """A name index whose lookups fall back to the matching form (traditional → simplified)."""

    def __init__(self, index: dict[str, Any]) -> None:
        super().__init__(index)
        self._folded = {"".join(matching_form(k).split()): v for k, v in index.items()}

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self:
            return self[key]
        return self._folded.get("".join(matching_form(str(key)).split()), default)


# --------------------------------------------------------------------------- write


def _to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot write RDF term {term!r}")


def _ox_triples(triples: Iterable[tuple[Node, Node, Node]]) -> Iterator[ox.Triple]:
    for s, p, o in triples:
        yield ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))


def serialize_nt(g: Graph) -> bytes:
    """N-Triples of *g*, one triple a line, lines sorted (byte-identical for equal graphs).

    The terms are written by Oxigraph (canonical N-Triples); sorting the lines sorts the triples
    by subject, predicate and object.
    """
    data = ox.serialize(_ox_triples(g), format=ox.RdfFormat.N_TRIPLES)
    lines = sorted(set(data.splitlines()))
    return b"".join(line + b"\n" for line in lines if line)


def serialize_turtle(g: Graph | bytes) -> bytes:
    """Turtle of *g* (or of sorted N-Triples *g*), sorted and prefixed, written by Oxigraph.

    Byte-identical for equal graphs. Resources of a notice (``doc/…/item/5``) have slashes in
    their local part, which prefixed names would have to escape (``doc:x\\/item\\/5``); they are
    written relative to ``@base`` instead.
    """
    nt = g if isinstance(g, bytes) else serialize_nt(g)
    prefixes = {p: ns for p, ns in PREFIXES.items() if p not in TURTLE_UNPREFIXED}
    body = ox.serialize(
        ox.parse(nt, format=ox.RdfFormat.N_TRIPLES),
        format=ox.RdfFormat.TURTLE,
        prefixes=prefixes,
        base_iri=BASE,
    )
    # Oxigraph orders its @prefix lines by its own hashing: write them ourselves, sorted.
    header = f"@base <{BASE}> .\n" + "".join(
        f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes.items())
    )
    lines = [
        line
        for line in body.splitlines(keepends=True)
        if not line.startswith((b"@prefix ", b"@base "))
    ]
    return header.encode("utf-8") + b"\n" + b"".join(lines)


def serialize_jsonld(g: Graph) -> bytes:
    """Compact JSON-LD of *g* with the project's prefixes as ``@context``; nodes, keys and values sorted."""
    context = dict(sorted(PREFIXES.items()))
    doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=False))
    nodes = doc.get("@graph", doc if isinstance(doc, list) else [doc])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(
                    value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)
                )
    nodes = sorted(nodes, key=lambda n: str(n.get("@id", "")))
    out = {"@context": context, "@graph": nodes}
    return (json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def write_graph(g: Graph, out_dir: str | Path) -> dict[str, Path]:
    """Write *g* as ``graph.ttl``, ``graph.nt`` and ``graph.jsonld`` into *out_dir*.

    Returns the written paths keyed ``ttl``, ``nt``, ``jsonld``. The files are byte-identical
    whenever the graph is equal (sorted triples, fixed prefixes, no blank-node labels).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nt = serialize_nt(g)
    data = {"ttl": serialize_turtle(nt), "nt": nt, "jsonld": serialize_jsonld(g)}
    paths: dict[str, Path] = {}
    for key, filename in FILES.items():
        path = out / filename
        path.write_bytes(data[key])
        paths[key] = path
    return paths
