"""Namespaces and IRI builders: the same unit gets the same IRI in every build and every notice.

Each builder returns an rdflib ``URIRef``; its ``*_iri_text`` twin returns the same IRI as a
plain string (what the graph build uses). IRIs follow docs/architecture.md (base ``https://w3id.org/yuegang/``)::

    agency/{register id}                     place/{id}            theme/{id}
    doc/{slug}                               doc/{slug}/section/{n}[/{m}]
    doc/{slug}/item/{key}                    doc/{slug}/item/{key}/assignment/{position}

Example
-------
>>> document_slug({"identifier": "粤府函〔2017〕38号"})
'yuefuhan-2017-38'
>>> str(item_iri("yuefuhan-2017-38", 5))
'https://w3id.org/yuegang/doc/yuefuhan-2017-38/item/5'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from rdflib import Namespace, URIRef

    ONTOLOGY_IRI: URIRef
    YG: Namespace
    ORG: Namespace
    SKOS: Namespace
    DCTERMS: Namespace
    PROV: Namespace
    OA: Namespace
    GEO: Namespace
    WD: Namespace

__all__ = [
    "BASE",
    "DCTERMS",
    "GEO",
    "OA",
    "ORG",
    "PROV",
    "SKOS",
    "WD",
    "YG",
    "PREFIXES",
    "agency_iri",
    "agency_kind_iri",
    "assignment_iri",
    "document_iri",
    "document_slug",
    "item_iri",
    "place_iri",
    "place_kind_iri",
    "role_iri",
    "section_iri",
    "selector_iri",
    "theme_iri",
    "agency_iri_text",
    "agency_kind_iri_text",
    "assignment_iri_text",
    "document_iri_text",
    "item_iri_text",
    "place_iri_text",
    "place_kind_iri_text",
    "role_iri_text",
    "section_iri_text",
    "selector_iri_text",
    "theme_iri_text",
    "wikidata_iri_text",
]

BASE = "https://w3id.org/yuegang/"
#: rdflib namespaces (``YG``, ``ORG`` …), made on first use: the graph build writes IRIs as
#: text and need not import rdflib (0.12 s) at all.
NAMESPACES = {
    "YG": "https://w3id.org/yuegang/ontology#",
    "ORG": "http://www.w3.org/ns/org#",
    "SKOS": "http://www.w3.org/2004/02/skos/core#",
    "DCTERMS": "http://purl.org/dc/terms/",
    "PROV": "http://www.w3.org/ns/prov#",
    "OA": "http://www.w3.org/ns/oa#",
    "GEO": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "WD": "http://www.wikidata.org/entity/",
}


def __getattr__(name: str):
    """``ONTOLOGY_IRI`` and the rdflib ``Namespace`` of :data:`NAMESPACES`, made when asked for."""
    if name != "ONTOLOGY_IRI" and name not in NAMESPACES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace, URIRef

    if name == "ONTOLOGY_IRI":
        value = URIRef("https://w3id.org/yuegang/ontology")
    else:
        value = Namespace(NAMESPACES[name])
    globals()[name] = value
    return value


def _uri(text: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(text)


#: Prefixes written in every serialisation (sorted by prefix for stable output).
PREFIXES: dict[str, str] = {
    "agency": BASE + "agency/",
    "agencykind": BASE + "agency-kind/",
    "dcterms": NAMESPACES["DCTERMS"],
    "doc": BASE + "doc/",
    "geo": NAMESPACES["GEO"],
    "oa": NAMESPACES["OA"],
    "org": NAMESPACES["ORG"],
    "owl": "http://www.w3.org/2002/07/owl#",
    "place": BASE + "place/",
    "placekind": BASE + "place-kind/",
    "prov": NAMESPACES["PROV"],
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "role": BASE + "role/",
    "skos": NAMESPACES["SKOS"],
    "theme": BASE + "theme/",
    "wd": NAMESPACES["WD"],
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "yg": NAMESPACES["YG"],
}

# Issuer prefixes of document numbers (文号) and their pinyin; longest match wins.
ISSUER_PREFIXES: dict[str, str] = {
    "粤府办函": "yuefubanhan",
    "粤府办": "yuefuban",
    "粤府函": "yuefuhan",
    "粤府令": "yuefuling",
    "粤府": "yuefu",
    "粤办函": "yuebanhan",
    "粤办发": "yuebanfa",
    "粤发": "yuefa",
    "粤港澳办": "yuegangaoban",
    "国办发": "guobanfa",
    "国办函": "guobanhan",
    "国发": "guofa",
    "国函": "guohan",
    "国令": "guoling",
    "中发": "zhongfa",
    "中办发": "zhongbanfa",
    "港澳办": "gangaoban",
    "商务部令": "shangwubuling",
}
# Traditional forms met in copies from Hong Kong/Macao web pages.
_TRADITIONAL = str.maketrans(
    {"粵": "粤", "國": "国", "辦": "办", "發": "发", "門": "门", "號": "号"}
)
_NUMBER_RE = re.compile(
    r"^\s*(?P<prefix>\D+?)\s*[〔\[［(（【]\s*(?P<year>\d{4})\s*[〕\]］)）】]\s*(?P<n>\d+)\s*号?\s*$"
)


def document_slug(document: Mapping[str, Any]) -> str:
    """Return a stable, readable slug for an extraction's ``document`` dict.

    A document number with a known issuer prefix gives ``{pinyin}-{year}-{number}``
    (粤府函〔2017〕38号 → ``yuefuhan-2017-38``); any other identifier gives ``sha-`` and the first
    12 hex digits of the SHA-256 of the identifier; a document without identifier uses its file
    checksum (``document["sha256"]``).

    >>> document_slug({"identifier": "国办发〔2019〕5号"})
    'guobanfa-2019-5'
    >>> document_slug({"identifier": None, "sha256": "ab" * 32})
    'sha-abababababab'
    """
    identifier = (document.get("identifier") or "").strip()
    if identifier:
        match = _NUMBER_RE.match(identifier.translate(_TRADITIONAL))
        if match:
            pinyin = ISSUER_PREFIXES.get(match["prefix"].strip())
            if pinyin:
                return f"{pinyin}-{match['year']}-{int(match['n'])}"
        return "sha-" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:12]
    checksum = document.get("sha256")
    if not checksum:
        raise ValueError("document has neither an identifier nor a sha256 checksum")
    return "sha-" + str(checksum)[:12].lower()


_SAFE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")


def _segment(value: object) -> str:
    """Percent-encode one path segment (register ids are ASCII; be safe for anything else)."""
    text = str(value)
    if not text or text in {".", ".."}:
        raise ValueError(f"not a usable IRI path segment: {text!r}")
    if _SAFE_CHARS.issuperset(text):  # the common case, without urllib's cost
        return text
    return quote(text, safe="-._~")


# IRIs as plain strings (the graph build writes millions of them: no URIRef per call).


def wikidata_iri_text(qid: str) -> str:
    """A Wikidata entity's IRI (the id percent-encoded like any segment: always a valid IRI)."""
    return f"{PREFIXES['wd']}{_segment(qid)}"


def agency_iri_text(agency_id: str) -> str:
    return f"{BASE}agency/{_segment(agency_id)}"


def place_iri_text(place_id: str) -> str:
    return f"{BASE}place/{_segment(place_id)}"


def theme_iri_text(theme_id: str) -> str:
    return f"{BASE}theme/{_segment(theme_id)}"


def document_iri_text(slug: str) -> str:
    return f"{BASE}doc/{_segment(slug)}"


def section_iri_text(slug: str, section: int, subsection: int | None = None) -> str:
    tail = f"/{int(subsection)}" if subsection is not None else ""
    return f"{document_iri_text(slug)}/section/{int(section)}{tail}"


def item_iri_text(slug: str, key: str | int) -> str:
    return f"{document_iri_text(slug)}/item/{_segment(key)}"


def assignment_iri_text(slug: str, key: str | int, position: int) -> str:
    return f"{item_iri_text(slug, key)}/assignment/{int(position)}"


def selector_iri_text(slug: str, key: str | int, part: str) -> str:
    return f"{item_iri_text(slug, key)}/selector/{_segment(part)}"


def agency_kind_iri_text(kind: str) -> str:
    return f"{BASE}agency-kind/{_segment(kind)}"


def place_kind_iri_text(kind: str) -> str:
    return f"{BASE}place-kind/{_segment(kind)}"


def role_iri_text(role: str) -> str:
    return f"{BASE}role/{_segment(role)}"


def agency_iri(agency_id: str) -> URIRef:
    """IRI of a register agency, ``agency/{id}``."""
    return _uri(agency_iri_text(agency_id))


def place_iri(place_id: str) -> URIRef:
    """IRI of a gazetteer place, ``place/{id}``."""
    return _uri(place_iri_text(place_id))


def theme_iri(theme_id: str) -> URIRef:
    """IRI of a theme concept, ``theme/{id}`` (in the scheme ``yg:Themes``)."""
    return _uri(theme_iri_text(theme_id))


def document_iri(slug: str) -> URIRef:
    """IRI of a notice, ``doc/{slug}``."""
    return _uri(document_iri_text(slug))


def section_iri(slug: str, section: int, subsection: int | None = None) -> URIRef:
    """IRI of a section (``doc/{slug}/section/{n}``) or sub-section (``…/section/{n}/{m}``)."""
    return _uri(section_iri_text(slug, section, subsection))


def item_iri(slug: str, key: str | int) -> URIRef:
    """IRI of a work item, ``doc/{slug}/item/{key}`` (key = the item number in most notices)."""
    return _uri(item_iri_text(slug, key))


def assignment_iri(slug: str, key: str | int, position: int) -> URIRef:
    """IRI of the assignment of the *position*-th listed unit of an item."""
    return _uri(assignment_iri_text(slug, key, position))


def selector_iri(slug: str, key: str | int, part: str) -> URIRef:
    """IRI of the text-position selector of an item's ``text`` or ``responsibility`` span."""
    return _uri(selector_iri_text(slug, key, part))


def agency_kind_iri(kind: str) -> URIRef:
    """IRI of an agency kind concept, ``agency-kind/{code}`` (defined in the ontology)."""
    return _uri(agency_kind_iri_text(kind))


def place_kind_iri(kind: str) -> URIRef:
    """IRI of a place kind concept, ``place-kind/{code}`` (``city``, ``sar``, ``zone`` …)."""
    return _uri(place_kind_iri_text(kind))


def role_iri(role: str) -> URIRef:
    """IRI of an assignment role concept, ``role/{code}`` (``lead``, ``support``, ``responsible``)."""
    return _uri(role_iri_text(role))
