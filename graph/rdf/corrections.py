"""Provenance of corrected responsibility lists: the triples that tell corrected from extracted facts.

An item corrected from a corrections file (:mod:`graph.extract.corrections`; the item dict carries
``"correction"``) gets, besides its usual triples (written by :mod:`graph.rdf.build` from the
corrected units), a ``yg:Correction`` — a ``prov:Activity`` — at ``doc/{slug}/item/{key}/correction``::

    <item/1> yg:correctedBy <item/1/correction> .
    <item/1/correction> a yg:Correction ;
        yg:correctedList "（省商务厅牵头，省港澳办配合）"@zh ;      # the list as the researcher wrote it
        yg:correctionNote "两单位分工见附件说明" ;                 # the note column, when not empty
        yg:extractedUnits "省发展改革委、省公安厅、…"@zh ;          # what the extractor had read
        dcterms:source "corrections.csv" ; yg:line 2 .           # the CSV file and line
    <item/1/assignment/1> prov:wasGeneratedBy <item/1/correction> .   # every corrected assignment

so ``?a prov:wasGeneratedBy/a yg:Correction`` finds corrected assignments and
``FILTER NOT EXISTS`` on it the extracted ones. Items without a correction get no triple here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import URIRef

from graph.rdf.iris import assignment_iri_text, item_iri, item_iri_text
from graph.rdf.terms import DCTERMS, PROV, RDFS, TYPE, YG, Triple, en, integer, iri, literal, zh

__all__ = ["correction_iri", "correction_triples"]


def correction_iri(slug: str, key: str | int) -> URIRef:
    """IRI of the correction of an item, ``doc/{slug}/item/{key}/correction``."""
    from rdflib import URIRef

    return URIRef(f"{item_iri(slug, key)}/correction")


def correction_triples(ctx: Any, extraction: Mapping[str, Any], slug: str) -> Iterator[Triple]:
    """The provenance triples of every corrected item of one extraction dict (none if no item
    carries ``"correction"``): a part of :data:`graph.rdf.build.NOTICE_PARTS`."""
    for item in extraction.get("items") or ():
        correction = item.get("correction")
        if not correction:
            continue
        key = str(item.get("key") or item["number"])
        c = iri(f"{item_iri_text(slug, key)}/correction")
        yield iri(item_iri_text(slug, key)), YG.correctedBy, c
        yield c, TYPE, YG.Correction
        yield c, RDFS.label, zh(f"第{key}项校正")
        yield c, RDFS.label, en(f"correction of item {key}")
        yield c, YG.correctedList, zh(correction["list"])
        if correction.get("note"):
            yield c, YG.correctionNote, literal(correction["note"])
        extracted = [a["name"] for a in correction.get("extracted") or ()]
        if extracted:
            yield c, YG.extractedUnits, zh("、".join(extracted))
        if correction.get("source"):
            yield c, DCTERMS.source, literal(correction["source"])
        if correction.get("line"):
            yield c, YG.line, integer(int(correction["line"]))
        for agency in item.get("agencies") or ():
            yield iri(assignment_iri_text(slug, key, agency["position"])), PROV.wasGeneratedBy, c
