"""Networks of shared responsibility, built from the RDF graph (never from the text).

The RDF graph is read once into a small in-memory :class:`Corpus` (one pattern scan per
predicate, and one reader per record type: :func:`read_documents`, :func:`read_assignments`,
:func:`read_agencies`, :func:`read_themes`, :func:`read_places`, :func:`read_items`); every
network is then built from that corpus. Functions accept an ``rdflib.Graph``, a
``pyoxigraph.Store`` (what :func:`graph.rdf.build.build_store` gives: the fast path for large
corpora) or a ``Corpus``, so callers that build several networks read the graph only once::

    >>> corpus = load_corpus(g)                               # doctest: +SKIP
    >>> G = agency_network(corpus, section=2)                 # doctest: +SKIP
    >>> G.edges["gd-hmao", "gd-commerce"]                     # doctest: +SKIP
    {'weight': 2, 'items': ['8', '23'], 'newman': 0.5}

Networks (node and edge attributes follow ``docs/architecture.md``):

- :func:`agency_network` — agencies linked when they share an item. ``weight`` is the number of
  shared items; ``newman`` is Newman's collaboration weight, the sum over shared items of
  ``1 / (n - 1)`` where ``n`` is the number of agencies on the item. The projection counts agency
  pairs per item (``bipartite.weighted_projected_graph`` is ~15x slower at 50k items).
- :func:`bipartite_network` — the two-mode item–agency network.
- :func:`theme_network`, :func:`place_network` — two-mode agency–theme / agency–place networks.
- :func:`section_agency_matrix` — items per section (rows) and agency (columns), a DataFrame.

Filters (keyword arguments of every builder): ``document`` (identifier, slug or IRI),
``section`` (number, ``"n.m"`` for a sub-section, or a title), ``theme`` (zh name, id, English
label or IRI; narrower themes included), ``place`` (zh name, id, English label or IRI),
``role`` (``"lead"``: keep lead assignments only; an item without a lead drops out) and ``kind``
(agency kind, e.g. ``"municipal-government"``; one kind or a list). A filter value that matches
nothing raises ``ValueError`` naming the known values, rather than giving an empty network.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import pyoxigraph as ox

from graph._gc import no_gc
from graph.network.read_ahead import ReadAhead, tsv_bytes
from graph.rdf.iris import PREFIXES
from graph.rdf.terms import Vocabulary

if TYPE_CHECKING:
    import pandas as pd
    from rdflib import Graph, Namespace

    YG: Namespace
    GEO: Namespace

__all__ = [
    "YG",
    "GEO",
    "Agency",
    "Assignment",
    "Corpus",
    "Item",
    "NetworkDataWarning",
    "Place",
    "Theme",
    "agency_network",
    "bipartite_network",
    "broader_closure",
    "item_label_key",
    "load_corpus",
    "place_network",
    "section_agency_matrix",
    "select_items",
    "theme_network",
]

BASE = "https://w3id.org/yuegang/"


# the terms the readers look up, as bare IRI strings (no rdflib needed for a pyoxigraph store)
_YG = Vocabulary(PREFIXES["yg"], bracketed=False)
_GEO = Vocabulary(PREFIXES["geo"], bracketed=False)
_RDF = Vocabulary(PREFIXES["rdf"], bracketed=False)
_RDFS = Vocabulary(PREFIXES["rdfs"], bracketed=False)
_SKOS = Vocabulary(PREFIXES["skos"], bracketed=False)
_DCTERMS = Vocabulary(PREFIXES["dcterms"], bracketed=False)


def __getattr__(name: str):
    """``YG`` and ``GEO`` as rdflib namespaces (for callers building rdflib graphs)."""
    if name not in ("YG", "GEO"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace

    value = Namespace(PREFIXES[name.lower()])
    globals()[name] = value
    return value


ROLES = ("lead", "support", "responsible")


class NetworkDataWarning(UserWarning):
    """The RDF graph holds something the networks cannot read unambiguously."""


@dataclass(frozen=True)
class Agency:
    """An agency as the RDF graph describes it."""

    iri: str
    id: str
    name: str
    full_name: str
    label_en: str
    kind: str
    known: bool


@dataclass(frozen=True)
class Theme:
    iri: str
    id: str
    name: str
    label_en: str
    broader: tuple[str, ...]  # IRIs
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Place:
    iri: str
    id: str
    name: str
    label_en: str
    kind: str
    lat: float | None
    long: float | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assignment:
    agency: str  # IRI
    role: str
    position: int | None


@dataclass
class Item:
    """A work item with what the networks need; ``label`` is unique in the corpus."""

    iri: str
    label: str
    number: int | None
    document: str  # document IRI ("" if none)
    section: int | None
    section_title: str
    subsection: int | None
    subsection_title: str
    text: str
    section_label: str  # "n" (one notice) or "{slug}/n" (several); "?" when unknown
    themes: list[str] = field(default_factory=list)  # IRIs, sorted
    places: list[str] = field(default_factory=list)  # IRIs, sorted
    assignments: list[Assignment] = field(default_factory=list)  # by position


@dataclass
class Corpus:
    """Everything the networks read from an RDF graph, keyed by IRI string."""

    items: dict[str, Item]
    agencies: dict[str, Agency]
    themes: dict[str, Theme]
    places: dict[str, Place]
    documents: dict[str, dict[str, str]]  # IRI -> {"slug", "identifier", "title"}


# --------------------------------------------------------------------------- reading the RDF

RDF_TYPE = _RDF.type
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


class Lit(NamedTuple):
    """A literal as the readers see it, whichever store it comes from (IRIs are plain ``str``)."""

    value: str
    lang: str | None
    datatype: str | None


class _Triples:
    """Objects by predicate from an rdflib ``Graph`` or a ``pyoxigraph.Store`` (default graph),
    as plain values: IRIs and blank nodes as ``str``, literals as :class:`Lit`. Each predicate
    is read once (one pattern scan) however many readers ask for it."""

    def __init__(self, source: Any, ahead: ReadAhead | None = None) -> None:
        self.source = source
        self.is_store = isinstance(source, ox.Store)
        self.ahead = ahead
        self._cache: dict[str, dict[str, list[Any]]] = {}

    def _fetch(self, query: str) -> bytes:
        return self.ahead.result(query) if self.ahead else tsv_bytes(self.source, query)

    def rows(self, query: str) -> list[str]:
        """The SPARQL TSV rows of a SELECT *query* on the store (header left out)."""
        return _tsv(self.source, query, self._fetch)

    def _scan(self, predicate: str, obj: str | None = None) -> Iterable[tuple[str, Any]]:
        if self.is_store:
            return self._scan_store(predicate, obj)
        from rdflib import URIRef

        p = URIRef(predicate)
        if obj is not None:
            return ((str(s), obj) for s in self.source.subjects(p, URIRef(obj)))
        return ((str(s), _rdflib_value(o)) for s, o in self.source.subject_objects(p))

    def _scan_store(self, predicate: str, obj: str | None) -> Iterable[tuple[str, Any]]:
        if obj is not None:
            return (
                (subject, obj)
                for subject in _tsv_subjects(self.source, predicate, obj, self._fetch)
            )
        return ((subject, o) for subject, objects in self.of(predicate).items() for o in objects)

    def of(self, predicate: Any) -> dict[str, list[Any]]:
        """Subject IRI → objects of *predicate* (graph order)."""
        key = str(predicate)
        if key not in self._cache:
            if self.is_store:
                self._cache[key] = _tsv_objects(self.source, key, self._fetch)
                return self._cache[key]
            out: dict[str, list[Any]] = {}
            for s, o in self._scan(key):
                found = out.get(s)
                if found is None:
                    out[s] = [o]
                else:
                    found.append(o)
            self._cache[key] = out
        return self._cache[key]

    def release(self, *predicates: Any) -> None:
        """Forget what was read for *predicates* (their reader is done: frees memory)."""
        for predicate in predicates:
            self._cache.pop(str(predicate), None)

    def get(self, predicate: Any, subject: str) -> list[Any]:
        return self.of(predicate).get(subject, [])

    def lookup(self, predicate: Any, subject: str) -> list[Any]:
        """Objects of one subject (a pattern lookup, for predicates too common to scan whole:
        every item has two ``rdfs:label``)."""
        key = str(predicate)
        if key in self._cache or not self.is_store:  # rdflib graphs are small: scan them
            return self.get(predicate, subject)
        pattern = self.source.quads_for_pattern(
            _node(subject), ox.NamedNode(key), None, ox.DefaultGraph()
        )
        return [_ox_value(q.object) for q in pattern]

    def subjects(self, predicate: Any, obj: Any) -> set[str]:
        """Subjects with ``predicate obj`` (e.g. everything typed *obj*)."""
        return {s for s, _ in self._scan(str(predicate), str(obj))}


_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_INTEGER = _XSD + "integer"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_TSV_ESCAPE = re.compile(r"\\(.)")
_TSV_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}


Fetch = Callable[[str], bytes]


def _objects_query(predicate: str) -> str:
    return f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"


def _subjects_query(predicate: str, obj: str) -> str:
    return f"SELECT ?s WHERE {{ ?s <{predicate}> <{obj}> }}"


def _tsv(store: ox.Store, query: str, fetch: Fetch | None = None) -> list[str]:
    """The rows of a SELECT *query* as SPARQL TSV lines (written by Oxigraph in Rust: no
    Python object per term), header left out. Values hold no tab or newline (escaped).
    *fetch* gives the TSV bytes of a query (default: run it on *store* now)."""
    data = fetch(query) if fetch is not None else tsv_bytes(store, query)
    return data.decode().split("\n")[1:-1] if data else []


def _tsv_subjects(
    store: ox.Store, predicate: str, obj: str, fetch: Fetch | None = None
) -> list[str]:
    """Subjects with ``predicate obj`` in the store's default graph."""
    rows = _tsv(store, _subjects_query(predicate, obj), fetch)
    return [s[1:-1] if s[0] == "<" else s[2:] for s in rows]


def _tsv_objects(
    store: ox.Store, predicate: str, fetch: Fetch | None = None
) -> dict[str, list[Any]]:
    """Subject → objects of *predicate* (store order) from one SPARQL TSV result: the same
    values as a ``quads_for_pattern`` scan turned into :class:`Lit` and ``str``, 2–3× cheaper
    (this reads every item, assignment and label of a corpus)."""
    out: dict[str, list[Any]] = {}
    memo: dict[str, Any] = {}
    term = _tsv_term
    for line in _tsv(store, _objects_query(predicate), fetch):
        s, o = line.split("\t")
        s = s[1:-1] if s[0] == "<" else s[2:]
        value = memo.get(o)
        if value is None:
            value = term(o)
            if len(memo) < 100_000:
                memo[o] = value
        found = out.get(s)
        if found is None:
            out[s] = [value]
        else:
            found.append(value)
    return out


def _tsv_term(text: str) -> Any:
    """One SPARQL TSV term as the readers see it: IRI and blank node as ``str``, literals as
    :class:`Lit` (numbers and booleans written bare get their XSD datatype back)."""
    first = text[0]
    if first == "<":
        return text[1:-1]
    if first == '"':
        if text[-1] == '"':
            value, lang, datatype = text[1:-1], None, _XSD + "string"
        elif (at := text.rfind('"@')) > 0:
            value, lang, datatype = text[1:at], text[at + 2 :], _LANG_STRING
        else:
            end = text.rfind('"^^<')
            value, lang, datatype = text[1:end], None, text[end + 4 : -1]
        if "\\" in value:
            value = _TSV_ESCAPE.sub(lambda m: _TSV_UNESCAPE[m.group(1)], value)
        return Lit(value, lang, datatype)
    if first == "_" and text.startswith("_:"):
        return text[2:]
    if text in ("true", "false"):
        return Lit(text, None, _XSD + "boolean")
    if "e" in text or "E" in text:
        return Lit(text, None, _XSD + "double")
    return Lit(text, None, _XSD + ("decimal" if "." in text else "integer"))


def _node(subject: str) -> Any:
    try:
        return ox.NamedNode(subject)
    except ValueError:  # a blank node's id
        return ox.BlankNode(subject)


def _ox_value(term: Any) -> Any:
    if isinstance(term, ox.Literal):
        return Lit(term.value, term.language, term.datatype.value)
    return term.value


def _rdflib_value(term: Any) -> Any:
    from rdflib import Literal

    if isinstance(term, Literal):
        return Lit(str(term), term.language, str(term.datatype) if term.datatype else None)
    return str(term)


def _local(iri: str, marker: str) -> str:
    """The part of *iri* after ``BASE + marker + '/'`` (or after its last ``/`` or ``#``)."""
    prefix = f"{BASE}{marker}/"
    if iri.startswith(prefix):
        return iri[len(prefix) :]
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _text(term: Any) -> str:
    return term.value if isinstance(term, Lit) else str(term)


def _token(term: Any) -> str:
    """A role/kind value as a plain token, whether the graph holds a literal or an IRI."""
    if isinstance(term, Lit):
        return term.value.strip()
    return str(term).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].strip()


_ROLE_OF: dict[Any, str] = {}


def _role(term: Any) -> str:
    """The role a term names (memoised: a corpus has a handful of role terms, used by every
    assignment)."""
    role = _ROLE_OF.get(term)
    if role is None:
        role = _role_of(term)
        if len(_ROLE_OF) < 1000:  # bounded: odd graphs may name roles in many ways
            _ROLE_OF[term] = role
    return role


def _role_of(term: Any) -> str:
    token = _token(term)
    low = token.lower()
    for role in ROLES:
        # accepts "lead", "Lead", "LeadRole", "role-lead"
        if low == role or low.endswith(role) or low.startswith(role):
            return role
    return low


def _pick(values: Iterable[Any], lang: str | None = None, strict: bool = False) -> str:
    """The literal in *lang* if there is one, else one without language, else (unless
    *strict*) any; stable whatever the graph's order."""
    if type(values) is list and len(values) == 1:  # the common case, without the sort
        v = values[0]
        if not isinstance(v, Lit):
            return ""
        return v.value if not strict or (v.lang or None) in (lang, None) else ""
    lits = sorted((v for v in values if isinstance(v, Lit)), key=lambda v: (v.value, v.lang or ""))
    for want in (lang, None):
        for v in lits:
            if (v.lang or None) == want:
                return v.value
    return lits[0].value if lits and not strict else ""


def _number(value: Any, cast: Callable[[str], Any]) -> Any:
    text = value.value if isinstance(value, Lit) else str(value)
    try:
        return cast(text)
    except ValueError:
        return cast(float(text)) if cast is int else None


def _int(values: Iterable[Any]) -> int | None:
    if type(values) is list and len(values) == 1:  # the common case: one xsd:integer
        v = values[0]
        if type(v) is Lit and v.datatype == _XSD_INTEGER:
            try:
                return int(v.value)
            except ValueError:
                pass
    for v in values:
        try:
            found = _number(v, int)
        except (TypeError, ValueError, OverflowError):
            continue
        if found is not None:
            return found
    return None


def _float(values: Iterable[Any]) -> float | None:
    for v in values:
        try:
            return float(v.value if isinstance(v, Lit) else v)
        except (TypeError, ValueError):
            continue
    return None


def _truth(values: list[Any]) -> bool:
    """``yg:known``: an xsd:boolean literal by its value, anything else by its presence."""
    if not values:
        return False
    v = values[0]
    if isinstance(v, Lit) and v.datatype == XSD_BOOLEAN:
        return v.value.strip().lower() in ("true", "1")
    if isinstance(v, Lit):
        return bool(_number(v, int)) if v.value.strip().lstrip("-").isdigit() else bool(v.value)
    return True


class _Labels:
    """zh / en labels and titles of any resource (skos:prefLabel, rdfs:label, dcterms:title)."""

    def __init__(self, t: _Triples) -> None:
        self.t = t
        self.pref, self.title_ = t.of(_SKOS.prefLabel), t.of(_DCTERMS.title)
        self._label: dict[str, list[Any]] = {}

    def label(self, iri: str) -> list[Any]:
        if iri not in self._label:
            self._label[iri] = self.t.lookup(_RDFS.label, iri)
        return self._label[iri]

    def zh(self, iri: str) -> str:
        return _pick(self.pref.get(iri, []), "zh") or _pick(self.label(iri), "zh")

    def en(self, iri: str) -> str:
        return _pick(self.label(iri) + self.pref.get(iri, []), "en", strict=True)

    def title(self, iri: str) -> str:
        return (
            _pick(self.title_.get(iri, []), "zh")
            or _pick(self.label(iri), "zh")
            or _pick(self.pref.get(iri, []), "zh")
        )


def read_documents(t: _Triples, labels: _Labels) -> dict[str, dict[str, str]]:
    """Notice IRI → ``{"slug", "identifier", "title"}`` (typed notices and any yg:inDocument)."""
    iris = t.subjects(_RDF.type, _YG.PolicyDocument) | {
        str(o) for os in t.of(_YG.inDocument).values() for o in os
    }
    return {
        iri: {
            "slug": _local(iri, "doc"),
            "identifier": _pick(t.get(_DCTERMS.identifier, iri)),
            "title": labels.title(iri),
        }
        for iri in sorted(iris)
    }


def read_assignments(t: _Triples) -> dict[str, list[Assignment]]:
    """Item IRI → its assignments: from ``yg:assignment`` nodes (role and position), else from
    ``yg:leadAgency`` / ``yg:supportAgency`` / ``yg:responsibleAgency`` (lead wins)."""
    joined = _joined_assignments(t) if t.is_store else None
    assignments = joined if joined is not None else _node_assignments(t)
    fallback: dict[str, dict[str, str]] = defaultdict(dict)
    for item, name, ag in _direct_links(t, [i for i, a in assignments.items() if not a]):
        fallback[item][ag] = name
    for item, ags in fallback.items():
        if not assignments.get(item):
            assignments[item] = [Assignment(ag, role, None) for ag, role in sorted(ags.items())]
    t.release(_YG.assignment, _YG.agency, _YG.role, _YG.position)
    t.release(*(pred for _, pred in _DIRECT))
    return assignments


def _node_assignments(t: _Triples) -> dict[str, list[Assignment]]:
    """Item IRI → the assignments its ``yg:assignment`` nodes give (none for an item whose
    nodes name no agency or are shared with another item: a warning names those)."""
    links = t.of(_YG.assignment)
    owners: Counter[str] = Counter(str(n) for nodes in links.values() for n in set(nodes))
    shared = sorted(n for n, c in owners.items() if c > 1)
    if shared:
        warnings.warn(
            f"{len(shared)} yg:Assignment node(s) are linked from several items (e.g. {shared[0]}): "
            "their roles and positions are ambiguous, so those items use yg:responsibleAgency",
            NetworkDataWarning,
            stacklevel=3,
        )
    agency, role, position = t.of(_YG.agency), t.of(_YG.role), t.of(_YG.position)
    assignments: dict[str, list[Assignment]] = defaultdict(list)
    for item, nodes in links.items():
        assignments.setdefault(item, [])
        if shared and any(owners[str(n)] > 1 for n in nodes):
            continue
        for node in nodes:
            key = str(node)
            for ag in agency.get(key, []):
                roles = role.get(key, [])
                assignments[item].append(
                    Assignment(
                        str(ag),
                        _role(roles[0]) if roles else "responsible",
                        _int(position.get(key, [])),
                    )
                )
    return assignments


_ASSIGNMENT_COUNT = f"SELECT (COUNT(*) AS ?c) WHERE {{ ?i <{_YG.assignment}> ?n }}"
_ASSIGNMENT_JOIN = (
    f"SELECT ?i ?n ?a ?r ?p WHERE {{ ?i <{_YG.assignment}> ?n . ?n <{_YG.agency}> ?a . "
    f"?n <{_YG.role}> ?r . ?n <{_YG.position}> ?p }}"
)


def _joined_assignments(t: _Triples) -> dict[str, list[Assignment]] | None:
    """What :func:`_node_assignments` reads, from one SPARQL join in a store, when every
    ``yg:assignment`` node belongs to one item and has one agency, one role and one position,
    and no item lists an agency twice at one position (graphs from :mod:`graph.rdf.build`);
    None for any other graph. One result instead of four (Oxigraph joins; a third of the Python
    work at 50,000 items)."""
    (count,) = t.rows(_ASSIGNMENT_COUNT)
    rows = t.rows(_ASSIGNMENT_JOIN)
    # a node without, or with several, agency / role / position
    if len(rows) != _int([_tsv_term(count)]):
        return None
    # row by row, not one list of every cell: at 50,000 items that list was the read's peak
    agencies: dict[str, str] = {}  # TSV term → value: a few thousand terms in all
    roles: dict[str, str] = {}
    positions: dict[str, int | None] = {}
    nodes: set[str] = set()
    out: dict[str, list[Assignment]] = {}
    for row in rows:
        i, n, a, r, p = row.split("\t")
        nodes.add(n)
        ag = agencies.get(a)
        if ag is None:
            ag = agencies[a] = str(_tsv_term(a))
        role = roles.get(r)
        if role is None:
            role = roles[r] = _role(_tsv_term(r))
        if p in positions:
            position = positions[p]
        else:
            position = positions[p] = _int([_tsv_term(p)])
        item = i[1:-1] if i[0] == "<" else i[2:]
        record = Assignment(ag, role, position)
        found = out.get(item)
        if found is None:
            out[item] = [record]
        else:
            found.append(record)
    if len(nodes) != len(rows):  # a node shared by items
        return None
    for ags in out.values():  # ties would be ordered by the store
        if len(ags) > 1 and len({(a.position, a.agency) for a in ags}) != len(ags):
            return None
    return out


_DIRECT = (
    ("responsible", _YG.responsibleAgency),
    ("support", _YG.supportAgency),
    ("lead", _YG.leadAgency),
)


def _direct_links(t: _Triples, empty: list[str]) -> Iterable[tuple[str, str, str]]:
    """(item, role, agency) of ``yg:responsibleAgency`` / ``yg:supportAgency`` /
    ``yg:leadAgency`` in that order (a later role wins), for the items that may need them:
    in a Store, only the items without ``yg:assignment`` (one SPARQL query: a corpus built by
    :mod:`graph.rdf.build` has none, and scanning ``yg:responsibleAgency`` whole cost as much
    as reading the assignments) and *empty*, the items whose assignment nodes gave nothing."""
    if not t.is_store:
        for name, pred in _DIRECT:
            for item, ags in t.of(pred).items():
                for ag in ags:
                    yield item, name, str(ag)
        return
    values = " ".join(f"<{pred}>" for _, pred in _DIRECT)
    query = (
        f"SELECT ?i ?p ?a WHERE {{ VALUES ?p {{ {values} }} ?i ?p ?a "
        f"FILTER NOT EXISTS {{ ?i <{_YG.assignment}> ?x }} }}"
    )
    rows = [(r["i"].value, r["p"].value, str(_ox_value(r["a"]))) for r in t.source.query(query)]
    for item in empty:
        for _, pred in _DIRECT:
            for q in t.source.quads_for_pattern(
                _node(item), ox.NamedNode(str(pred)), None, ox.DefaultGraph()
            ):
                rows.append((item, str(pred), str(_ox_value(q.object))))
    for name, pred in _DIRECT:  # in role order, as the scans above
        for item, p, ag in rows:
            if p == str(pred):
                yield item, name, ag


def read_agencies(t: _Triples, labels: _Labels, iris: set[str]) -> dict[str, Agency]:
    """Agency IRI → :class:`Agency` for *iris* and every ``yg:Agency``."""
    full, kind, known = t.of(_YG.fullName), t.of(_YG.agencyKind), t.of(_YG.known)
    out = {}
    for iri in sorted(iris | t.subjects(_RDF.type, _YG.Agency)):
        local = _local(iri, "agency")
        out[iri] = Agency(
            iri=iri,
            id=local,
            name=labels.zh(iri) or local,
            full_name=_pick(full.get(iri, []), "zh"),
            label_en=labels.en(iri),
            kind=_token(kind[iri][0]) if kind.get(iri) else "",
            known=_truth(known.get(iri, [])),
        )
    return out


def read_themes(t: _Triples, labels: _Labels) -> dict[str, Theme]:
    """Theme IRI → :class:`Theme`: the concepts of ``yg:Themes`` and any ``dcterms:subject``
    (roles and agency kinds are not SKOS concepts of that scheme)."""
    broader, alt = t.of(_SKOS.broader), t.of(_SKOS.altLabel)
    iris = t.subjects(_SKOS.inScheme, _YG.Themes) | {
        str(o) for os in t.of(_DCTERMS.subject).values() for o in os
    }
    return {
        iri: Theme(
            iri,
            _local(iri, "theme"),
            labels.zh(iri),
            labels.en(iri),
            tuple(sorted(str(b) for b in broader.get(iri, []))),
            tuple(sorted(_text(a) for a in alt.get(iri, []))),
        )
        for iri in sorted(iris)
    }


def read_places(t: _Triples, labels: _Labels) -> dict[str, Place]:
    """Place IRI → :class:`Place`: every ``yg:Place`` and any ``yg:mentionsPlace``."""
    kind, lat, long, alt = (
        t.of(_YG.placeKind),
        t.of(_GEO.lat),
        t.of(_GEO.long),
        t.of(_SKOS.altLabel),
    )
    iris = t.subjects(_RDF.type, _YG.Place) | {
        str(o) for os in t.of(_YG.mentionsPlace).values() for o in os
    }
    return {
        iri: Place(
            iri,
            _local(iri, "place"),
            labels.zh(iri),
            labels.en(iri),
            _token(kind[iri][0]) if kind.get(iri) else "",
            _float(lat.get(iri, [])),
            _float(long.get(iri, [])),
            tuple(sorted(_text(a) for a in alt.get(iri, []))),
        )
        for iri in sorted(iris)
    }


def read_items(
    t: _Triples,
    labels: _Labels,
    documents: dict[str, dict[str, str]],
    themes: dict[str, Theme],
    assignments: dict[str, list[Assignment]],
) -> dict[str, Item]:
    """Item IRI → :class:`Item` for every ``yg:WorkItem`` and every item with assignments."""
    number, key, text = t.of(_YG.number), t.of(_YG.key), t.of(_YG.text)
    in_doc, in_sec, in_sub, part_of = (
        t.of(_YG.inDocument),
        t.of(_YG.inSection),
        t.of(_YG.inSubsection),
        t.of(_YG.partOf),
    )
    subject, mentions = t.of(_DCTERMS.subject), t.of(_YG.mentionsPlace)
    iris = t.subjects(_RDF.type, _YG.WorkItem) | set(assignments)
    several = len({str(d[0]) for d in in_doc.values() if d}) > 1 or len(documents) > 1
    parts: dict[str, tuple[int | None, str]] = {"": (None, "")}  # (sub)section: number, title

    def part(iri: str) -> tuple[int | None, str]:
        found = parts.get(iri)
        if found is None:
            found = parts[iri] = (_int(number.get(iri, [])), labels.title(iri))
        return found

    items: dict[str, Item] = {}
    for iri in sorted(iris):
        n = _int(number.get(iri, []))
        docs = in_doc.get(iri, [])
        doc = str(docs[0]) if docs else ""
        slug = documents[doc]["slug"] if doc else _item_slug(iri)
        keys = key.get(iri, [])
        local = _text(keys[0]) if keys else str(n) if n is not None else _local(iri, "item")
        sec = str(in_sec[iri][0]) if in_sec.get(iri) else ""
        sub = str(in_sub[iri][0]) if in_sub.get(iri) else ""
        if sub and not sec and part_of.get(sub):
            sec = str(part_of[sub][0])
        (section, section_title), (subsection, subsection_title) = part(sec), part(sub)
        ags = sorted(
            assignments.get(iri, []), key=lambda a: (a.position is None, a.position or 0, a.agency)
        )
        items[iri] = Item(
            iri=iri,
            label=f"{slug}/{local}" if several else local,
            number=n,
            document=doc,
            section=section,
            section_title=section_title,
            subsection=subsection,
            subsection_title=subsection_title,
            text=_pick(text.get(iri, []), "zh"),
            section_label=_section_label(slug if several else "", section),
            themes=sorted({str(x) for x in subject.get(iri, []) if str(x) in themes}),
            places=sorted({str(x) for x in mentions.get(iri, [])}),
            assignments=ags,
        )
    return items


@no_gc
def load_corpus(g: Graph | ox.Store | Corpus) -> Corpus:
    """Read items, agencies, assignments, themes, places and documents from *g* (an rdflib
    graph or the default graph of a ``pyoxigraph.Store``), one pattern scan per predicate and
    one reader per record type.

    Agencies come from ``yg:assignment`` nodes (which carry role and position); an item without
    assignments falls back to ``yg:leadAgency`` / ``yg:supportAgency`` / ``yg:responsibleAgency``.
    """
    if isinstance(g, Corpus):
        return g
    if not isinstance(g, ox.Store):
        return _read_corpus(_Triples(g))
    with ReadAhead(g, READ_PLAN, ahead=4, workers=2) as ahead:
        return _read_corpus(_Triples(g, ahead))


def _scan_query(predicate: str, obj: str | None = None) -> str:
    return _objects_query(predicate) if obj is None else _subjects_query(predicate, obj)


#: the items' predicates :func:`read_items` reads, read before the assignments (a store joins
#: those meanwhile)
_ITEM_SCANS = (_YG.number, _YG.key, _YG.text, _YG.inSection, _YG.inSubsection, _YG.partOf)
#: (predicate, object or None) of every scan :func:`load_corpus` makes, in the order it asks
_SCANS: tuple[tuple[str, str | None], ...] = (
    *((_SKOS.prefLabel, None), (_DCTERMS.title, None)),  # _Labels
    *((_RDF.type, _YG.PolicyDocument), (_YG.inDocument, None), (_DCTERMS.identifier, None)),
    *((predicate, None) for predicate in _ITEM_SCANS),
    *((_YG.fullName, None), (_YG.agencyKind, None), (_YG.known, None), (_RDF.type, _YG.Agency)),
    *((_SKOS.broader, None), (_SKOS.altLabel, None), (_SKOS.inScheme, _YG.Themes)),
    *((_DCTERMS.subject, None), (_YG.placeKind, None), (_GEO.lat, None), (_GEO.long, None)),
    *((_RDF.type, _YG.Place), (_YG.mentionsPlace, None), (_RDF.type, _YG.WorkItem)),
)
#: What :func:`load_corpus` asks of a store, in the order the queries are started on two
#: threads (Oxigraph writes the results while this thread reads the earlier ones): the
#: assignments' join, the longest, first (it is asked for after the items' scans are read),
#: then the scans. tests/test_read_ahead.py checks that the readers ask for every query here
#: and no other.
READ_PLAN: tuple[str, ...] = (
    _ASSIGNMENT_COUNT,
    _ASSIGNMENT_JOIN,
    *(_scan_query(predicate, obj) for predicate, obj in _SCANS),
)


def _read_corpus(t: _Triples) -> Corpus:
    labels = _Labels(t)
    documents = read_documents(t, labels)
    for predicate in _ITEM_SCANS:
        t.of(predicate)
    assignments = read_assignments(t)
    agency_iris = {a.agency for ags in assignments.values() for a in ags}
    agencies = read_agencies(t, labels, agency_iris)
    themes = read_themes(t, labels)
    places = read_places(t, labels)
    items = read_items(t, labels, documents, themes, assignments)
    return Corpus(items, agencies, themes, places, documents)


def _section_label(slug: str, section: int | None) -> str:
    text = "?" if section is None else str(section)
    return f"{slug}/{text}" if slug else text


def _item_slug(iri: str) -> str:
    """``doc/{slug}/item/{n}`` → slug (for an item without ``yg:inDocument``)."""
    marker = f"{BASE}doc/"
    if iri.startswith(marker) and "/item/" in iri:
        return iri[len(marker) :].split("/item/", 1)[0]
    return "doc"


def item_label_key(label: str) -> tuple[str, tuple[int, ...], str]:
    """Sort key that puts ``"2"`` before ``"10"``, ``"5"`` before ``"5-2"`` and ``"2.3"`` before
    ``"2.10"``, grouping ``"{slug}/{key}"`` labels by document."""
    head, _, tail = label.rpartition("/")
    return (head, tuple(map(int, _DIGITS.findall(tail))), tail)


_DIGITS = re.compile(r"\d+")


# --------------------------------------------------------------------------- filters


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | int):
        return [value]
    return list(value)


def _match_one(value: Any, candidates: Mapping[str, Iterable[str]], what: str) -> set[str]:
    """IRIs whose names (any of them) equal *value*; ValueError if none does."""
    want = str(value).strip()
    found = {iri for iri, names in candidates.items() if want in {n for n in names if n}}
    if not found:
        known = sorted({next(iter(n), "") for n in candidates.values()} - {""})
        shown = ", ".join(known[:30]) + (" …" if len(known) > 30 else "")
        raise ValueError(f"no {what} matches {want!r}; known {what}s: {shown or '(none)'}")
    return found


def _narrower_closure(corpus: Corpus, roots: set[str]) -> set[str]:
    children: dict[str, set[str]] = defaultdict(set)
    for t in corpus.themes.values():
        for b in t.broader:
            children[b].add(t.iri)
    out, todo = set(roots), list(roots)
    while todo:
        for c in children[todo.pop()] - out:
            out.add(c)
            todo.append(c)
    return out


def broader_closure(corpus: Corpus, themes: Iterable[str]) -> set[str]:
    """*themes* (IRIs) with every broader theme above them.

    The one theme rule of the project: an item tagged with a theme counts under that theme and
    under every broader one (item 20, tagged 21世纪海上丝绸之路, is a 一带一路 item), as the ready-made
    query ``items-by-theme`` does with ``dcterms:subject/skos:broader*``.
    """
    out, todo = set(themes), list(themes)
    while todo:
        t = corpus.themes.get(todo.pop())
        for b in t.broader if t else ():
            if b not in out:
                out.add(b)
                todo.append(b)
    return out


def _section_matcher(corpus: Corpus, value: Any):
    text = str(value).strip()
    if text.isdigit():
        n = int(text)
        return lambda it: it.section == n
    head, dot, tail = text.partition(".")
    if dot and head.isdigit() and tail.isdigit():
        n, m = int(head), int(tail)
        return lambda it: it.section == n and it.subsection == m
    titles = {it.section_title for it in corpus.items.values()} | {
        it.subsection_title for it in corpus.items.values()
    }
    if text not in titles:
        known = sorted({f"{it.section} {it.section_title}" for it in corpus.items.values()})
        raise ValueError(f"no section matches {text!r}; known sections: {', '.join(known)}")
    return lambda it: text in (it.section_title, it.subsection_title)


def select_items(
    g: Graph | Corpus,
    *,
    document: Any = None,
    section: Any = None,
    theme: Any = None,
    place: Any = None,
    role: str | None = None,
    kind: Any = None,
) -> list[tuple[Item, list[Assignment]]]:
    """Items passing the filters, each with its assignments that pass *role* and *kind*.

    Items are in label order. Item filters combine with AND; several values of one filter
    (a list) combine with OR. When *role* or *kind* is given, an item left with no assignment
    drops out.
    """
    corpus = load_corpus(g)
    items = list(corpus.items.values())
    for doc_value in [_as_list(document)] if document is not None else []:
        docs = set()
        for v in doc_value:
            docs |= _match_one(
                v,
                {iri: (d["slug"], d["identifier"], iri) for iri, d in corpus.documents.items()},
                "document",
            )
        items = [it for it in items if it.document in docs]
    if section is not None:
        matchers = [_section_matcher(corpus, v) for v in _as_list(section)]
        items = [it for it in items if any(m(it) for m in matchers)]
    if theme is not None:
        wanted: set[str] = set()
        names = {
            iri: (t.name, t.id, t.label_en, iri, *t.aliases) for iri, t in corpus.themes.items()
        }
        for v in _as_list(theme):
            wanted |= _match_one(v, names, "theme")
        wanted = _narrower_closure(corpus, wanted)
        items = [it for it in items if wanted.intersection(it.themes)]
    if place is not None:
        wanted = set()
        names = {
            iri: (p.name, p.id, p.label_en, iri, *p.aliases) for iri, p in corpus.places.items()
        }
        for v in _as_list(place):
            wanted |= _match_one(v, names, "place")
        items = [it for it in items if wanted.intersection(it.places)]
    if role is not None and role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    kinds = {str(k) for k in _as_list(kind)}
    if kinds:
        known_kinds = {a.kind for a in corpus.agencies.values()}
        if not kinds & known_kinds:
            raise ValueError(
                f"no agency kind matches {sorted(kinds)}; known kinds: {', '.join(sorted(known_kinds))}"
            )
    ordered = sorted(items, key=lambda it: item_label_key(it.label))
    if role is None and not kinds:
        return [(it, list(it.assignments)) for it in ordered]
    out = []
    for it in ordered:
        kept = [
            a
            for a in it.assignments
            if (role is None or a.role == role)
            and (not kinds or corpus.agencies[a.agency].kind in kinds)
        ]
        if kept:
            out.append((it, kept))
    return out


# --------------------------------------------------------------------------- networks


def _agency_attrs(a: Agency, labels: list[str]) -> dict[str, Any]:
    return {
        "iri": a.iri,
        "name": a.name,
        "full_name": a.full_name,
        "label_en": a.label_en,
        "kind": a.kind,
        "known": a.known,
        "items": len(labels),
        "item_labels": labels,
    }


def _agency_items(selected: list[tuple[Item, list[Assignment]]]) -> dict[str, list[str]]:
    """Agency IRI → sorted labels of its items (each item once): *selected* comes from
    :func:`select_items`, in :func:`item_label_key` order, so each list is born sorted."""
    per: dict[str, list[str]] = {}
    for it, ags in selected:
        for a in ags:
            labels = per.setdefault(a.agency, [])
            if not labels or labels[-1] != it.label:
                labels.append(it.label)
    return per


def _graph_info(
    corpus: Corpus, selected: list[tuple[Item, list[Assignment]]], filters: dict
) -> dict:
    """Graph-level attributes: the filters and per-item facts the measures need."""
    return {
        "filters": {k: v for k, v in filters.items() if v is not None},
        "documents": sorted(d["identifier"] or d["slug"] for d in corpus.documents.values()),
        "item_sections": {it.label: it.section_label for it, _ in selected},
        "section_titles": {it.section_label: it.section_title for it, _ in selected},
        "item_agency_counts": {it.label: len({a.agency for a in ags}) for it, ags in selected},
    }


@no_gc
def agency_network(g: Graph | Corpus, **filters: Any) -> nx.Graph:
    """The agency co-responsibility network: agencies linked when they share an item.

    Every agency with at least one (filtered) item is a node, isolates included; nodes are
    inserted in id order so that every measure is reproducible. Edge ``weight`` = shared items,
    ``items`` = their labels, ``newman`` = sum of ``1/(n-1)`` over them.

    >>> G = agency_network(g)                                  # doctest: +SKIP
    >>> G.nodes["gd-hmao"]["items"], G.degree("gd-hmao")       # doctest: +SKIP
    (11, 9)
    """
    corpus = load_corpus(g)
    selected = select_items(corpus, **filters)
    per_agency = _agency_items(selected)
    ids_of = {iri: a.id for iri, a in corpus.agencies.items()}
    links: dict[tuple[str, str], list] = {}  # pair -> [shared items, Newman sum, item labels]
    for it, ags in selected:
        if len(ags) < 2:  # most items: one agency, no link
            continue
        ids = sorted({ids_of[a.agency] for a in ags})
        if len(ids) < 2:
            continue
        share, label = 1.0 / (len(ids) - 1), it.label
        for pair in itertools.combinations(ids, 2):
            link = links.get(pair)
            if link is None:
                links[pair] = [1, share, [label]]
            else:
                link[0] += 1
                link[1] += share
                link[2].append(label)
    G = nx.Graph(name="agency co-responsibility", **_graph_info(corpus, selected, filters))
    for iri in sorted(per_agency, key=lambda i: corpus.agencies[i].id):
        a = corpus.agencies[iri]
        G.add_node(a.id, **_agency_attrs(a, per_agency[iri]))
    G.add_edges_from(
        # items in select_items' order: sorted by item_label_key; pairs sorted alone (sorting
        # the (pair, link) tuples compares each pair twice)
        (u, v, {"weight": link[0], "items": link[2], "newman": round(link[1], 12)})
        for (u, v), link in ((pair, links[pair]) for pair in sorted(links))
    )
    return G


def bipartite_network(g: Graph | Corpus, **filters: Any) -> nx.Graph:
    """The two-mode item–agency network (agencies ``bipartite=0``, items ``item:{label}`` ``bipartite=1``).

    Edges carry the assignment's ``role`` and ``position`` (``None`` when the graph gives none).
    """
    corpus = load_corpus(g)
    selected = select_items(corpus, **filters)
    per_agency = _agency_items(selected)
    G = nx.Graph(name="item-agency", **_graph_info(corpus, selected, filters))
    for iri in sorted(per_agency, key=lambda i: corpus.agencies[i].id):
        a = corpus.agencies[iri]
        G.add_node(a.id, bipartite=0, **_agency_attrs(a, per_agency[iri]))
    for it, ags in selected:
        doc = corpus.documents.get(it.document, {})
        node = f"item:{it.label}"
        G.add_node(
            node,
            bipartite=1,
            iri=it.iri,
            number=it.number,
            label=it.label,
            text=it.text,
            section=it.section,
            section_title=it.section_title,
            subsection=it.subsection,
            subsection_title=it.subsection_title,
            themes=[corpus.themes[t].name for t in it.themes],
            places=[corpus.places[p].name for p in it.places],
            document=doc.get("identifier") or doc.get("slug", ""),
        )
        for a in ags:
            aid = corpus.agencies[a.agency].id
            if not G.has_edge(aid, node):
                G.add_edge(aid, node, role=a.role, position=a.position)
    return G


def _two_mode(g: Graph | Corpus, what: str, filters: dict[str, Any]) -> nx.Graph:
    corpus = load_corpus(g)
    selected = select_items(corpus, **filters)
    links: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    # A theme's items include its narrower themes' items (see broader_closure).
    targets_of = {
        it.iri: broader_closure(corpus, it.themes) if what == "theme" else set(it.places)
        for it, _ in selected
    }
    for it, ags in selected:
        targets = targets_of[it.iri]
        for a in ags:
            for t in targets:
                links[(a.agency, t)].add(it.label)
    per_agency = _agency_items(selected)
    G = nx.Graph(name=f"agency-{what}", **_graph_info(corpus, selected, filters))
    agencies = sorted({a for a, _ in links}, key=lambda i: corpus.agencies[i].id)
    for iri in agencies:
        a = corpus.agencies[iri]
        G.add_node(a.id, bipartite=0, **_agency_attrs(a, per_agency[iri]))
    counts: Counter[str] = Counter()
    direct: Counter[str] = Counter()
    for it, _ in selected:
        counts.update(targets_of[it.iri])
        direct.update(it.themes if what == "theme" else it.places)
    for iri in sorted({t for _, t in links}):
        if what == "theme":
            t = corpus.themes[iri]
            attrs = {
                "iri": iri,
                "name": t.name,
                "label_en": t.label_en,
                "broader": [corpus.themes[b].id if b in corpus.themes else b for b in t.broader],
                "direct_items": direct[iri],
            }
            key = f"theme:{t.id}"
        else:
            p = corpus.places[iri]
            attrs = {
                "iri": iri,
                "name": p.name,
                "label_en": p.label_en,
                "kind": p.kind,
                "lat": p.lat,
                "long": p.long,
            }
            key = f"place:{p.id}"
        G.add_node(key, bipartite=1, items=counts[iri], **attrs)
    for (ag, t), labels in sorted(links.items()):
        key = f"theme:{corpus.themes[t].id}" if what == "theme" else f"place:{corpus.places[t].id}"
        G.add_edge(
            corpus.agencies[ag].id,
            key,
            weight=len(labels),
            items=sorted(labels, key=item_label_key),
        )
    return G


def theme_network(g: Graph | Corpus, **filters: Any) -> nx.Graph:
    """Two-mode agency–theme network; edge ``weight`` = the agency's items on that theme.

    Only agencies with at least one themed item are nodes. Theme nodes are ``theme:{id}``.
    A theme's items include its narrower themes' items (:func:`broader_closure`): node ``items``
    counts them all, ``direct_items`` only those tagged with the theme itself, and an agency on
    an item tagged 21世纪海上丝绸之路 is linked to 一带一路 as well.
    """
    return _two_mode(g, "theme", filters)


def place_network(g: Graph | Corpus, **filters: Any) -> nx.Graph:
    """Two-mode agency–place network; edge ``weight`` = the agency's items naming that place.

    Only agencies with at least one item naming a place are nodes. Place nodes are
    ``place:{id}`` with ``lat`` / ``long`` when the graph has them.
    """
    return _two_mode(g, "place", filters)


def section_agency_matrix(
    g: Graph | Corpus, *, level: str = "section", columns: str = "id", **filters: Any
) -> pd.DataFrame:
    """Items per section (rows) × agency (columns) as an integer DataFrame.

    *level* ``"section"`` or ``"subsection"`` (rows ``"n"`` / ``"n.m"``, prefixed by the document
    slug when the graph holds several notices); *columns* ``"id"`` or ``"name"`` (zh short name).
    """
    if level not in ("section", "subsection"):
        raise ValueError(f"level must be 'section' or 'subsection', not {level!r}")
    if columns not in ("id", "name"):
        raise ValueError(f"columns must be 'id' or 'name', not {columns!r}")
    import pandas as pd

    corpus = load_corpus(g)
    counts: Counter[tuple[str, str]] = Counter()
    rows: dict[str, tuple] = {}
    for it, ags in select_items(corpus, **filters):
        row = it.section_label
        if level == "subsection" and it.subsection is not None:
            row = f"{row}.{it.subsection}"
        head, _, tail = row.rpartition("/")
        rows[row] = (head, *(int(x) if x.isdigit() else 0 for x in tail.split(".")))
        for aid in {corpus.agencies[a.agency].id for a in ags}:
            counts[(row, aid)] += 1
    by_id = {a.id: a for a in corpus.agencies.values()}
    cols = sorted({c for _, c in counts})
    index = sorted(rows, key=lambda r: rows[r])
    frame = pd.DataFrame(0, index=pd.Index(index, name=level), columns=cols, dtype="int64")
    for (row, col), n in counts.items():
        frame.loc[row, col] = n
    if columns == "name":
        frame.columns = [by_id[c].name or c for c in cols]
    frame.columns.name = "agency"
    return frame
