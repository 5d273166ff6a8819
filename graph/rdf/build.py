"""Extraction dicts → one RDF graph (ontology terms of ``ontology/yuegang.ttl``), and its files.

The graph is made by a list of small triple-producing functions, each with one job
(:data:`REFERENCE_PARTS` for the themes and places, :data:`NOTICE_PARTS` for a notice,
:data:`ITEM_PARTS` for one work item, :data:`CORPUS_PARTS` for what is known once every notice
is in: the agencies). A part takes the build context and yields ``(subject, predicate, object)``
triples written as N-Triples terms; to add triples to every build, append a function to one
of these lists. :func:`graph_triples` runs them all:

- :func:`build_store` loads the triples into a ``pyoxigraph.Store`` (N-Triples parsed by
  Oxigraph in chunks, on a second thread while Python writes the next chunk: 6–9× faster
  than rdflib's ``Graph.add``, and faster than making a ``pyoxigraph.Quad`` per triple in
  Python). This is the path for large corpora: the
  networks read the store, Oxigraph writes Turtle and N-Triples.
- :func:`build_graph` gives the same triples as an ``rdflib.Graph``: for SHACL (pyshacl),
  JSON-LD and notebooks, where rdflib is the right tool and graphs are small.
- :func:`build_nt` gives them as sorted N-Triples bytes (``graph.nt``), from which
  :func:`write_graph` writes every file and :func:`graph_from_nt` makes the rdflib graph.

Triples: the notice, its sections and items, the responsible agencies described from the
register (shared across notices: same register id, same IRI), the qualified assignments, the
places and themes (the full gazetteer and SKOS theme scheme), keywords, target years, and each
item's provenance (source file, SHA-256, character spans of its text and responsibility list).

:func:`write_graph` writes Turtle, N-Triples and JSON-LD that are byte-identical for the same
graph: triples are sorted, and Turtle and N-Triples are written by Oxigraph's native serializer
(``scripts/bench_store.py`` measures it against rdflib's).

Example
-------
>>> from graph.extract.notice import extract_file          # doctest: +SKIP
>>> nt = build_nt([extract_file(None)])             # doctest: +SKIP
>>> paths = write_graph(nt, "yuegang-out")          # doctest: +SKIP
>>> sorted(paths)                                   # doctest: +SKIP
['jsonld', 'nt', 'ttl']
"""

from __future__ import annotations

import json
import queue
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pyoxigraph as ox

from graph._gc import no_gc
from graph.errors import YuegangError
from graph.extract import gazetteer
from graph.extract.register import Agency, Register, load_register
from graph.extract.text import matching_form
from graph.rdf.corrections import correction_triples
from graph.rdf.iris import (
    BASE,
    PREFIXES,
    agency_iri_text,
    agency_kind_iri_text,
    document_iri_text,
    document_slug,
    item_iri_text,
    place_iri_text,
    place_kind_iri_text,
    role_iri_text,
    section_iri_text,
    theme_iri_text,
    wikidata_iri_text,
)
from graph.rdf.terms import (
    DCTERMS,
    GEO,
    OA,
    ORG,
    OWL,
    PROV,
    RDFS,
    SKOS,
    TYPE,
    XSD_NS,
    YG,
    Triple,
    boolean,
    decimal,
    en,
    integer,
    iri,
    literal,
    typed,
    zh,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "CORPUS_PARTS",
    "ITEM_PARTS",
    "NOTICE_PARTS",
    "REFERENCE_PARTS",
    "BuildContext",
    "GraphInputError",
    "GraphWarning",
    "ItemRef",
    "item_refs",
    "build_graph",
    "build_nt",
    "build_store",
    "graph_from_nt",
    "graph_triples",
    "load_ontology",
    "ontology_path",
    "serialize_jsonld",
    "serialize_nt",
    "serialize_turtle",
    "write_graph",
]

ROLES = ("lead", "support", "responsible")
# Prefixes left out of Turtle: their local parts contain "/" (written relative to @base instead).
TURTLE_UNPREFIXED = frozenset({"doc"})
# The files write_graph produces, by key.
FILES = {"ttl": "graph.ttl", "nt": "graph.nt", "jsonld": "graph.jsonld"}
# Triples per Store.load call: bounds the N-Triples text held in memory at once.
CHUNK = 100_000
# The first chunk is smaller: Oxigraph's insert, on the loader thread, is the longer side of
# build_store, so the sooner it starts the sooner the build ends.
FIRST_CHUNK = 10_000


class GraphInputError(YuegangError, ValueError):
    """An extraction dict that does not follow the contract (names the source and the item)."""


class GraphWarning(UserWarning):
    """Something in the input the graph cannot represent fully (e.g. a place not in the gazetteer)."""


PLACE_CLASSES = {
    "city": YG.City,
    "sar": YG.SpecialAdministrativeRegion,
    "zone": YG.Zone,
    "district": YG.District,
}

# --------------------------------------------------------------------------- ontology


def ontology_path() -> Path:
    """Path of the bundled ontology file ``yuegang.ttl``."""
    return Path(str(resources.files("graph.ontology") / "yuegang.ttl"))


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple:
    from rdflib import Graph

    g = Graph()
    g.parse(ontology_path(), format="turtle")
    return tuple(g)


def load_ontology() -> Graph:
    """The ontology as a fresh rdflib graph (parsed once per process)."""
    g = _new_graph()
    for triple in _ontology_triples():
        g.add(triple)
    return g


@lru_cache(maxsize=1)
def _ontology_lines() -> tuple[str, ...]:
    """The ontology's triples as N-Triples lines (parsed by Oxigraph once per process)."""
    triples = ox.parse(path=ontology_path(), format=ox.RdfFormat.TURTLE)
    return tuple(f"{t.subject} {t.predicate} {t.object} .\n" for t in triples)


# --------------------------------------------------------------------------- context


@dataclass
class BuildContext:
    """What every triple-producing part may read: the reference data, with name indexes, and
    the agencies met so far (described by :func:`agency_triples` once all notices are in)."""

    register: Register
    places: tuple[gazetteer.Place, ...]
    themes: tuple[gazetteer.Theme, ...]
    place_by_name: Mapping[str, gazetteer.Place] = field(init=False)
    place_by_id: dict[str, gazetteer.Place] = field(init=False)
    theme_by_name: Mapping[str, gazetteer.Theme] = field(init=False)
    named_agencies: dict[str, Agency] = field(default_factory=dict)  # yg:Agency
    other_orgs: dict[str, Agency] = field(default_factory=dict)  # issuers: org:Organization
    agency_terms: dict[str, str] = field(default_factory=dict)  # id → IRI term, made once

    def __post_init__(self) -> None:
        self.place_by_name = _names_index(self.places)
        self.place_by_id = {p.id: p for p in self.places}
        self.theme_by_name = _names_index(self.themes)


class ItemRef(NamedTuple):
    """One work item being built: its IRI term, notice slug, key, notice term and location
    (``file:line: item key``) for messages."""

    iri: str
    slug: str
    key: str
    doc: str
    where: str


def _warn(message: str) -> None:
    warnings.warn(message, GraphWarning, stacklevel=3)


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    if type(mapping) is dict and key in mapping:  # the common case, without the ABC check
        return mapping[key]
    if not isinstance(mapping, Mapping):
        raise GraphInputError(f"{where}: expected a JSON object, got {type(mapping).__name__}")
    if key not in mapping:
        raise GraphInputError(f"{where}: missing key {key!r}")
    return mapping[key]


def _source(extraction: Mapping[str, Any]) -> str:
    return str(extraction["document"].get("source") or "<extraction>")


# --------------------------------------------------------------------------- reference data


def label_triples(
    subject: str, name: str, name_en: str, aliases: Iterable[str]
) -> Iterator[Triple]:
    """skos:prefLabel and rdfs:label in zh (and en when known), skos:altLabel per alias."""
    yield subject, SKOS.prefLabel, zh(name)
    yield subject, RDFS.label, zh(name)
    if name_en:
        yield subject, SKOS.prefLabel, en(name_en)
        yield subject, RDFS.label, en(name_en)
    for alias in aliases:
        yield subject, SKOS.altLabel, zh(alias)


def theme_triples(ctx: BuildContext) -> Iterator[Triple]:
    """The SKOS scheme ``yg:Themes`` and every theme of the theme list."""
    scheme = YG.Themes
    yield scheme, TYPE, SKOS.ConceptScheme
    ids = {t.id for t in ctx.themes}
    for theme in ctx.themes:
        s = iri(theme_iri_text(theme.id))
        yield s, TYPE, SKOS.Concept
        yield s, SKOS.inScheme, scheme
        yield s, SKOS.notation, literal(theme.id)
        yield from label_triples(s, theme.name, theme.name_en, theme.aliases)
        if theme.comment:
            yield s, RDFS.comment, en(theme.comment)
        if theme.broader:
            if theme.broader not in ids:
                _warn(f"themes: {theme.id} has broader {theme.broader!r}, which is not a theme")
            broader = iri(theme_iri_text(theme.broader))
            yield s, SKOS.broader, broader
            yield broader, SKOS.narrower, s
        else:
            yield s, SKOS.topConceptOf, scheme
            yield scheme, SKOS.hasTopConcept, s


def place_triples(ctx: BuildContext) -> Iterator[Triple]:
    """Every place of the gazetteer: class, kind, labels, coordinates, Wikidata, parent."""
    for place in ctx.places:
        s = iri(place_iri_text(place.id))
        yield s, TYPE, YG.Place
        if place.kind in PLACE_CLASSES:
            yield s, TYPE, PLACE_CLASSES[place.kind]
        yield s, YG.placeKind, iri(place_kind_iri_text(place.kind or "other"))
        yield from label_triples(s, place.name, place.name_en, place.aliases)
        if place.lat is not None and place.long is not None:
            yield s, GEO.lat, decimal(place.lat)
            yield s, GEO.long, decimal(place.long)
        if place.wikidata:
            yield s, OWL.sameAs, iri(wikidata_iri_text(place.wikidata))
        if place.parent:
            if place.parent in ctx.place_by_id:
                yield s, YG.locatedIn, iri(place_iri_text(place.parent))
            else:
                _warn(f"places: {place.id} lies in {place.parent!r}, which is not a place")


# --------------------------------------------------------------------------- one notice


def document_triples(
    ctx: BuildContext, extraction: Mapping[str, Any], slug: str
) -> Iterator[Triple]:
    """The notice itself: identifier, title, date, issuer, source file and checksum, recipients."""
    document = extraction["document"]
    doc = iri(document_iri_text(slug))
    yield doc, TYPE, YG.PolicyDocument
    yield doc, TYPE, PROV.Entity
    identifier, title = document.get("identifier"), document.get("title")
    if identifier:
        yield doc, DCTERMS.identifier, literal(identifier)
    if title:
        yield doc, DCTERMS.title, zh(title)
    label = identifier or title or document.get("source")
    if label:
        yield doc, RDFS.label, zh(str(label))
    if document.get("date"):
        yield doc, DCTERMS.issued, typed(document["date"], "date")
    issuer = document.get("issuer")
    if issuer:
        yield doc, YG.issuerName, zh(issuer)
        agency = ctx.register.lookup(issuer)
        if agency is not None:
            yield doc, DCTERMS.creator, iri(agency_iri_text(agency.id))
            ctx.other_orgs.setdefault(agency.id, agency)
    if document.get("source"):
        yield doc, DCTERMS.source, literal(document["source"])
    if document.get("sha256"):
        yield doc, YG.sha256, literal(str(document["sha256"]).lower())
    for name in document.get("recipients") or ():
        yield doc, YG.recipient, zh(name)
    for name in document.get("cc") or ():
        yield doc, YG.copyTo, zh(name)
    for key, prop in (("contact_unit", YG.contactUnit), ("annex_title", YG.annexTitle)):
        if document.get(key):
            yield doc, prop, zh(document[key])
    if document.get("script"):
        yield doc, YG.script, literal(document["script"])


def section_triples(
    ctx: BuildContext, extraction: Mapping[str, Any], slug: str
) -> Iterator[Triple]:
    """The notice's sections and sub-sections (number, title, line, what they belong to)."""
    source = _source(extraction)
    doc = iri(document_iri_text(slug))
    for section in _require(extraction, "sections", source):
        number = _require(section, "number", f"{source}: section")
        s = iri(section_iri_text(slug, number))
        yield s, TYPE, YG.Section
        yield s, YG.number, integer(number)
        yield s, YG.inDocument, doc
        yield from _titled(s, section)
        for sub in section.get("subsections") or ():
            m = _require(sub, "number", f"{source}: section {number}, sub-section")
            sub_iri = iri(section_iri_text(slug, number, m))
            yield sub_iri, TYPE, YG.Section
            yield sub_iri, TYPE, YG.Subsection
            yield sub_iri, YG.number, integer(m)
            yield sub_iri, YG.partOf, s
            yield sub_iri, YG.inDocument, doc
            yield from _titled(sub_iri, sub)


def _titled(s: str, section: Mapping[str, Any]) -> Iterator[Triple]:
    if section.get("title"):
        yield s, DCTERMS.title, zh(section["title"])
        yield s, RDFS.label, zh(section["title"])
    if section.get("line"):
        yield s, YG.line, integer(section["line"])


def item_refs(
    ctx: BuildContext, extraction: Mapping[str, Any], slug: str
) -> Iterator[tuple[ItemRef, Mapping[str, Any]]]:
    """(reference, item dict) for every work item of the notice; :data:`ITEM_PARTS` make each."""
    source = _source(extraction)
    doc = iri(document_iri_text(slug))
    for item in _require(extraction, "items", source):
        number = _require(item, "number", f"{source}: item")
        key = str(item.get("key") or number)
        where = (
            f"{source}:{item['line']}: item {key}" if item.get("line") else f"{source}: item {key}"
        )
        yield ItemRef(iri(item_iri_text(slug, key)), slug, key, doc, where), item


# --------------------------------------------------------------------------- one item


def item_core_triples(ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]) -> Iterator[Triple]:
    """Class, number, key, labels, notice, section, text, responsibility list, line, deadline."""
    s = ref.iri
    yield s, TYPE, YG.WorkItem
    yield s, TYPE, PROV.Entity
    yield s, YG.number, _integer(item["number"])
    yield s, YG.key, literal(ref.key)
    yield s, RDFS.label, zh(f"第{ref.key}项")
    yield s, RDFS.label, en(f"item {ref.key}")
    yield s, YG.inDocument, ref.doc
    yield s, PROV.wasDerivedFrom, ref.doc
    section = _require(item, "section", ref.where)
    if section is not None:
        yield s, YG.inSection, _section_term(ref.slug, section)
        if item.get("subsection") is not None:
            yield s, YG.inSubsection, _section_term(ref.slug, section, item["subsection"])
    text = _require(item, "text", ref.where)
    if text:
        yield s, YG.text, zh(text)
    if item.get("responsibility"):
        yield s, YG.responsibilityText, zh(item["responsibility"])
    if item.get("line"):
        yield s, YG.line, _integer(item["line"])
    if item.get("deadline"):
        yield s, YG.deadline, zh(item["deadline"])


def selector_triples(ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]) -> Iterator[Triple]:
    """oa:TextPositionSelector of the item's text and of its responsibility list."""
    for part, span_key, prop in (
        ("text", "span", YG.textSelector),
        ("responsibility", "responsibility_span", YG.responsibilitySelector),
    ):
        span = item.get(span_key)
        if not span:
            continue
        try:
            start, end = (int(v) for v in span)
        except (TypeError, ValueError) as exc:
            raise GraphInputError(f"{ref.where}: span {span!r} is not [start, end]") from exc
        if not 0 <= start <= end:
            raise GraphInputError(f"{ref.where}: span {span!r} is not 0 <= start <= end")
        sel = f"{ref.iri[:-1]}/selector/{part}>"  # = selector_iri_text(slug, key, part)
        yield ref.iri, prop, sel
        yield sel, TYPE, OA.TextPositionSelector
        yield sel, OA.start, _non_negative(start)
        yield sel, OA.end, _non_negative(end)


_ROLE_PROPERTY = {"lead": YG.leadAgency, "support": YG.supportAgency}
_ROLE_TERMS = {role: iri(role_iri_text(role)) for role in ROLES}


@lru_cache(maxsize=4096)
def _integer(value: Any) -> str:
    """:func:`graph.rdf.terms.integer`, made once per value (numbers, lines and positions
    repeat across items; equal keys such as 1, 1.0 and True give the same term)."""
    return integer(value)


@lru_cache(maxsize=4096)
def _non_negative(value: int) -> str:
    return typed(str(value), "nonNegativeInteger")


@lru_cache(maxsize=4096)
def _section_term(slug: str, section: Any, subsection: Any = None) -> str:
    """The IRI term of a section (or sub-section), made once per section."""
    return iri(section_iri_text(slug, section, subsection))


def assignment_triples(
    ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]
) -> Iterator[Triple]:
    """One qualified ``yg:Assignment`` per listed unit (agency, role, position, as written)."""
    base = ref.iri[:-1]  # the item's IRI term without its ">"
    for agency in _require(item, "agencies", ref.where):
        agency_id = _require(agency, "id", f"{ref.where}: agency")
        name = agency.get("name") or agency_id
        position = _require(agency, "position", f"{ref.where}: agency {name}")
        role = agency.get("role") or "responsible"
        if role not in ROLES:
            raise GraphInputError(f"{ref.where}: agency {name}: role {role!r} not one of {ROLES}")
        ag = ctx.agency_terms.get(agency_id) or _note_agency(
            ctx, agency_id, name, bool(agency.get("known", False)), ref.where
        )
        asg = f"{base}/assignment/{int(position)}>"  # = assignment_iri_text(slug, key, position)
        yield ref.iri, YG.responsibleAgency, ag
        if role in _ROLE_PROPERTY:
            yield ref.iri, _ROLE_PROPERTY[role], ag
        yield ref.iri, YG.assignment, asg
        yield asg, TYPE, YG.Assignment
        yield asg, YG.agency, ag
        yield asg, YG.role, _ROLE_TERMS[role]
        yield asg, YG.position, _integer(position)
        if agency.get("as_written"):
            yield asg, YG.asWritten, zh(agency["as_written"])


def _note_agency(ctx: BuildContext, agency_id: str, name: str, known: bool, where: str) -> str:
    """Remember a named agency for :func:`agency_triples` (unknown ids described as unknown);
    return its IRI term."""
    term = ctx.agency_terms.get(agency_id)
    if term is not None:
        return term
    term = ctx.agency_terms[agency_id] = iri(agency_iri_text(agency_id))
    record = ctx.register.get(agency_id)
    if record is None:
        if known:
            _warn(
                f"{where}: agency id {agency_id!r} ({name}) is not in the register; "
                "described as unknown"
            )
        record = Agency(
            id=agency_id, name=name, full_name=name, name_en="", kind="other", known=False
        )
    ctx.named_agencies[agency_id] = record
    return term


def place_link_triples(
    ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]
) -> Iterator[Triple]:
    """``yg:mentionsPlace`` for each place the gazetteer knows (a warning for any other)."""
    for name in item.get("places") or ():
        place = ctx.place_by_name.get(name)
        if place is None:
            _warn(f"{ref.where}: place {name!r} is not in the gazetteer")
            continue
        yield ref.iri, YG.mentionsPlace, iri(place_iri_text(place.id))


def theme_link_triples(
    ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]
) -> Iterator[Triple]:
    """``dcterms:subject`` for each theme of the theme list (a warning for any other)."""
    for name in item.get("themes") or ():
        theme = ctx.theme_by_name.get(name)
        if theme is None:
            _warn(f"{ref.where}: theme {name!r} is not in the theme list")
            continue
        yield ref.iri, DCTERMS.subject, iri(theme_iri_text(theme.id))


def keyword_triples(ctx: BuildContext, ref: ItemRef, item: Mapping[str, Any]) -> Iterator[Triple]:
    """Keywords and the target year."""
    for keyword in item.get("keywords") or ():
        yield ref.iri, YG.keyword, zh(keyword)
    if item.get("target_year") is not None:
        yield ref.iri, YG.targetYear, integer(item["target_year"])


# --------------------------------------------------------------------------- agencies


def agency_triples(ctx: BuildContext) -> Iterator[Triple]:
    """``yg:Agency`` for the named units; every named unit, issuer and their register parents
    described as ``org:Organization``."""
    for agency in ctx.named_agencies.values():
        yield iri(agency_iri_text(agency.id)), TYPE, YG.Agency
    described: set[str] = set()
    queue = list(ctx.named_agencies.values()) + list(ctx.other_orgs.values())
    while queue:
        agency = queue.pop()
        if agency.id in described:
            continue
        described.add(agency.id)
        yield from describe_agency(ctx, agency)
        if agency.parent:
            parent = ctx.register.get(agency.parent)
            if parent is None:
                _warn(
                    f"register: {agency.id} has parent {agency.parent!r}, which is not in "
                    "the register"
                )
            else:
                queue.append(parent)


def describe_agency(ctx: BuildContext, agency: Agency) -> Iterator[Triple]:
    """One organisation: labels, full name, kind, known, parent, city."""
    s = iri(agency_iri_text(agency.id))
    yield s, TYPE, ORG.Organization
    yield from label_triples(s, agency.name, agency.name_en, agency.aliases)
    if agency.full_name:
        yield s, YG.fullName, zh(agency.full_name)
    yield s, YG.agencyKind, iri(agency_kind_iri_text(agency.kind or "other"))
    yield s, YG.known, boolean(bool(agency.known))
    if agency.parent and ctx.register.get(agency.parent) is not None:
        yield s, ORG.subOrganizationOf, iri(agency_iri_text(agency.parent))
    if agency.city:
        place = ctx.place_by_name.get(agency.city)
        if place is not None:
            yield s, YG.locatedIn, iri(place_iri_text(place.id))


#: Parts run once per build, before the notices.
REFERENCE_PARTS: list[Callable[[BuildContext], Iterable[Triple]]] = [theme_triples, place_triples]
#: Parts run for each notice: ``part(ctx, extraction, slug)``.
NOTICE_PARTS: list[Callable[[BuildContext, Mapping[str, Any], str], Iterable[Triple]]] = [
    document_triples,
    section_triples,
    correction_triples,  # provenance of corrected lists (graph.rdf.corrections)
]
#: Parts run for each work item of each notice (after :data:`NOTICE_PARTS`):
#: ``part(ctx, item_ref, item)``.
ITEM_PARTS: list[Callable[[BuildContext, ItemRef, Mapping[str, Any]], Iterable[Triple]]] = [
    item_core_triples,
    selector_triples,
    assignment_triples,
    place_link_triples,
    theme_link_triples,
    keyword_triples,
]
#: Parts run once every notice is in.
CORPUS_PARTS: list[Callable[[BuildContext], Iterable[Triple]]] = [agency_triples]


# --------------------------------------------------------------------------- build


def graph_triples(
    extractions: Sequence[Mapping[str, Any]],
    *,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> Iterator[Triple]:
    """Every triple of the graph of *extractions* (without the ontology), as N-Triples terms.

    Runs :data:`REFERENCE_PARTS`, then for each notice :data:`NOTICE_PARTS` and
    :data:`ITEM_PARTS` for each of its items (a notice given twice is kept once), then
    :data:`CORPUS_PARTS`. May repeat a triple; stores keep one.
    """
    for batch in _batches(extractions, register=register, places=places, themes=themes):
        yield from batch


def _batches(
    extractions: Sequence[Mapping[str, Any]],
    *,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> Iterator[Iterable[Triple]]:
    """The output of each part call, in order (flat, so that no triple passes through nested
    generators: at 50,000 items that overhead was a third of the build)."""
    ctx = BuildContext(
        register if register is not None else load_register(),
        tuple(places if places is not None else gazetteer.load_places()),
        tuple(themes if themes is not None else gazetteer.load_themes()),
    )
    for part in REFERENCE_PARTS:
        yield part(ctx)
    for extraction, slug in _distinct_notices(extractions):
        for notice_part in NOTICE_PARTS:
            yield notice_part(ctx, extraction, slug)
        for ref, item in item_refs(ctx, extraction, slug):
            for item_part in ITEM_PARTS:
                yield item_part(ctx, ref, item)
    for part in CORPUS_PARTS:
        yield part(ctx)


def _distinct_notices(
    extractions: Sequence[Mapping[str, Any]],
) -> Iterator[tuple[Mapping[str, Any], str]]:
    """(extraction, slug) per notice; the same notice twice is kept once (warning), two files
    with one document identifier are an error."""
    seen: dict[str, str] = {}
    for extraction in extractions:
        document = _require(extraction, "document", "the extraction")
        source = str(document.get("source") or "<extraction>")
        slug = document_slug(document)
        checksum = str(document.get("sha256") or "")
        if slug in seen:
            if seen[slug] == checksum:
                _warn(f"{source}: document {slug} given twice; kept once")
                continue
            raise GraphInputError(
                f"{source}: document {document.get('identifier') or slug} is already in the graph "
                "from a different file; give each notice once"
            )
        seen[slug] = checksum
        yield extraction, slug


def _nt_chunks(
    extractions: Sequence[Mapping[str, Any]], include_ontology: bool, **reference: Any
) -> Iterator[str]:
    """The graph as N-Triples text, in chunks of :data:`CHUNK` lines (the first of about
    :data:`FIRST_CHUNK`)."""
    lines: list[str] = list(_ontology_lines()) if include_ontology else []
    size = FIRST_CHUNK
    for batch in _batches(extractions, **reference):
        lines += [f"{s} {p} {o} .\n" for s, p, o in batch]
        if len(lines) >= size:
            yield "".join(lines)
            lines.clear()
            size = CHUNK
    if lines:
        yield "".join(lines)


@no_gc
def build_store(
    extractions: Sequence[Mapping[str, Any]],
    *,
    include_ontology: bool = True,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> ox.Store:
    """The graph of *extractions* in an in-memory ``pyoxigraph.Store`` (default graph).

    Same triples, arguments, errors and warnings as :func:`build_graph`; the way to go for
    large corpora (the networks and SPARQL read the store directly). Beware: Oxigraph's store
    keeps numbers by value, so an ``xsd:nonNegativeInteger`` (the ``oa:start``/``oa:end`` of
    text selectors) comes back as ``xsd:integer``; write files from :func:`build_nt`, which
    keeps every datatype as built.
    """
    store = ox.Store()
    reference = {"register": register, "places": places, "themes": themes}
    _load_chunks(store, _nt_chunks(extractions, include_ontology, **reference))
    return store


def _load_chunks(store: ox.Store, chunks: Iterator[str]) -> None:
    """Load N-Triples *chunks* into *store* on a second thread while this one makes the next
    chunk: ``Store.load`` parses and inserts in Rust without the GIL, so the Python side that
    writes the triples and Oxigraph's insert overlap on two cores.

    The parser runs lenient (no IRI and language-tag validation, about a third cheaper):
    every term comes from :mod:`graph.rdf.terms` and :mod:`graph.rdf.iris` (path segments
    percent-encoded, literals escaped), and :func:`build_nt`, which writes the graph's files,
    parses the same text strictly. Errors and warnings stay on the calling thread.
    """
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def load() -> None:
        while (chunk := pending.get()) is not None:
            if not failure:
                try:
                    store.load(chunk, format=ox.RdfFormat.N_TRIPLES, lenient=True)
                except BaseException as exc:  # re-raised on the calling thread
                    failure.append(exc)

    loader = threading.Thread(target=load, name="oxigraph-load", daemon=True)
    loader.start()
    try:
        for chunk in chunks:
            if failure:
                break
            # encoded here: Oxigraph would encode a str to UTF-8 on the loader thread, the
            # longer side of the build (0.2-0.3 s of 4-5 s at 50,000 items)
            pending.put(chunk.encode())
    finally:
        pending.put(None)
        loader.join()
    if failure:
        raise failure[0]


def build_graph(
    extractions: Sequence[Mapping[str, Any]],
    *,
    include_ontology: bool = True,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> Graph:
    """Build one rdflib graph from the extraction dicts of one or more notices.

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
    reference = {"register": register, "places": places, "themes": themes}
    g = _new_graph()
    for chunk in _nt_chunks(extractions, include_ontology, **reference):
        _add_ox(g, ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES))
    return g


def build_nt(
    extractions: Sequence[Mapping[str, Any]],
    *,
    include_ontology: bool = True,
    register: Register | None = None,
    places: Iterable[gazetteer.Place] | None = None,
    themes: Iterable[gazetteer.Theme] | None = None,
) -> bytes:
    """The graph of *extractions* as sorted N-Triples (Oxigraph's canonical form, one triple a
    line): the bytes of ``graph.nt``, which :func:`write_graph`, :func:`graph_from_nt` and
    ``Store.load`` take as they are. Same arguments, errors and warnings as :func:`build_graph`.
    """
    reference = {"register": register, "places": places, "themes": themes}
    lines: set[bytes] = set()
    for chunk in _nt_chunks(extractions, include_ontology, **reference):
        triples = ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)
        lines.update(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def graph_from_nt(nt: bytes) -> Graph:
    """An rdflib graph (with the project's prefixes) of N-Triples *nt*, e.g. :func:`build_nt`'s."""
    g = _new_graph()
    _add_ox(g, ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    return g


def _new_graph() -> Graph:
    from rdflib import Graph

    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    return g


def _add_ox(g: Graph, triples: Iterable[ox.Triple]) -> None:
    """Add Oxigraph triples to rdflib graph *g* (terms converted once each)."""
    from rdflib import BNode, Literal, URIRef

    cache: dict[Any, Any] = {}

    def term(t: Any) -> Any:
        found = cache.get(t)
        if found is None:
            if isinstance(t, ox.NamedNode):
                found = URIRef(t.value)
            elif isinstance(t, ox.BlankNode):
                found = BNode(t.value)
            elif t.language:
                found = Literal(t.value, lang=t.language)
            elif t.datatype.value == XSD_NS + "string":
                found = Literal(t.value)
            else:
                found = Literal(t.value, datatype=URIRef(t.datatype.value))
            cache[t] = found
        return found

    g.addN((term(t.subject), term(t.predicate), term(t.object), g) for t in triples)


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


def _to_ox(term: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from rdflib import BNode, Literal, URIRef

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


def _ox_triples(triples: Iterable[tuple[Any, Any, Any]]) -> Iterator[ox.Triple]:
    for s, p, o in triples:
        yield ox.Triple(_to_ox(s), _to_ox(p), _to_ox(o))


def serialize_nt(g: Graph) -> bytes:
    """N-Triples of rdflib graph *g*, one triple a line, lines sorted (byte-identical for equal
    graphs; :func:`build_nt` gives the same bytes straight from the extractions).

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


def serialize_jsonld(g: Graph | bytes) -> bytes:
    """Compact JSON-LD of *g* (or of N-Triples *g*) with the project's prefixes as ``@context``;
    nodes, keys and values sorted. An rdflib graph is written by rdflib; N-Triples by
    :func:`graph.rdf.jsonld.jsonld_from_nt`, which gives the same bytes without rdflib."""
    from graph.rdf.jsonld import NeedsRdflib, jsonld_from_nt, sorted_document

    if isinstance(g, bytes):
        try:
            return jsonld_from_nt(g)
        except NeedsRdflib:
            g = graph_from_nt(g)
    context = dict(sorted(PREFIXES.items()))
    doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=False))
    return sorted_document(doc.get("@graph", doc if isinstance(doc, list) else [doc]), context)


def write_graph(
    g: Graph | bytes, out_dir: str | Path, *, formats: Iterable[str] = tuple(FILES)
) -> dict[str, Path]:
    """Write *g* (an rdflib graph, or the sorted N-Triples of :func:`build_nt`) as ``graph.ttl``,
    ``graph.nt`` and ``graph.jsonld`` into *out_dir* (or only the *formats* asked for, keys of
    :data:`FILES`).

    Returns the written paths keyed ``ttl``, ``nt``, ``jsonld``. The files are byte-identical
    whenever the graph is equal (sorted triples, fixed prefixes, no blank-node labels).
    """
    wanted = [key for key in FILES if key in set(formats)]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nt = g if isinstance(g, bytes) else serialize_nt(g) if {"nt", "ttl"} & set(wanted) else b""
    writers: dict[str, Callable[[], bytes]] = {
        "ttl": lambda: serialize_turtle(nt),
        "nt": lambda: nt,
        "jsonld": lambda: serialize_jsonld(g),
    }
    paths: dict[str, Path] = {}
    for key in wanted:
        path = out / FILES[key]
        path.write_bytes(writers[key]())
        paths[key] = path
    return paths
