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
from typing import Any

from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

from graph.rdf.iris import DCTERMS, PROV, YG, assignment_iri, item_iri

__all__ = ["correction_iri", "correction_triples"]


def correction_iri(slug: str, key: str | int) -> URIRef:
    """IRI of the correction of an item, ``doc/{slug}/item/{key}/correction``."""
    return URIRef(f"{item_iri(slug, key)}/correction")


def correction_triples(
    extraction: Mapping[str, Any], slug: str
) -> Iterator[tuple[Node, Node, Node]]:
    """The provenance triples of every corrected item of one extraction dict (none if no item
    carries ``"correction"``)."""
    for item in extraction.get("items") or ():
        correction = item.get("correction")
        if not correction:
            continue
        key = str(item.get("key") or item["number"])
        iri = correction_iri(slug, key)
        yield item_iri(slug, key), YG.correctedBy, iri
        yield iri, RDF.type, YG.Correction
        yield iri, RDFS.label, Literal(f"第{key}项校正", lang="zh")
        yield iri, RDFS.label, Literal(f"correction of item {key}", lang="en")
        yield iri, YG.correctedList, Literal(correction["list"], lang="zh")
        if correction.get("note"):
            yield iri, YG.correctionNote, Literal(correction["note"])
        extracted = [a["name"] for a in correction.get("extracted") or ()]
        if extracted:
            yield iri, YG.extractedUnits, Literal("、".join(extracted), lang="zh")
        if correction.get("source"):
            yield iri, DCTERMS.source, Literal(correction["source"])
        if correction.get("line"):
            yield iri, YG.line, Literal(int(correction["line"]), datatype=XSD.integer)
        for agency in item.get("agencies") or ():
            yield assignment_iri(slug, key, agency["position"]), PROV.wasGeneratedBy, iri
