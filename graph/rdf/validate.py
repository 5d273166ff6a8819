"""Check a built graph against the SHACL shapes of ``ontology/shapes.ttl`` (with pyshacl).

The ontology is mixed into the data graph for the check, so a graph written without it still
validates the same way (class membership follows ``rdfs:subClassOf``).

Example
-------
>>> from graph.rdf.build import build_graph                   # doctest: +SKIP
>>> conforms, report = validate(build_graph([extraction]))  # doctest: +SKIP
>>> conforms                                             # doctest: +SKIP
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from graph import _cache

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["load_shapes", "shapes_path", "validate", "validate_nt", "warned_nodes"]

#: Bump when what a cached result covers changes.
CACHE_VERSION = 1


def shapes_path() -> Path:
    """Path of the bundled SHACL shapes file ``shapes.ttl``."""
    return Path(str(resources.files("graph.ontology") / "shapes.ttl"))


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """The bundled shapes as an rdflib graph (parsed once per process)."""
    from rdflib import Graph

    return Graph().parse(shapes_path(), format="turtle")


def validate(g: Graph, *, shapes: Graph | None = None, inplace: bool = False) -> tuple[bool, str]:
    """Validate *g* against the project's shapes (or *shapes*).

    Returns ``(conforms, report_text)``; the report lists each violation with its focus node,
    path and message (pyshacl's text report). *inplace* mixes the ontology into *g* itself
    instead of a copy (saves copying the graph: for a graph that is not used afterwards).
    """
    import pyshacl  # 0.3 s: imported by what validates, not by what only needs shapes_path

    from graph.rdf.build import load_ontology

    conforms, _report_graph, report_text = pyshacl.validate(
        g,
        shacl_graph=shapes if shapes is not None else load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
        inplace=inplace,
    )
    return bool(conforms), str(report_text)


def validate_nt(nt: bytes) -> tuple[bool, str, int]:
    """:func:`validate` of the graph of N-Triples *nt*, and its number of triples, kept in the
    user cache folder (:mod:`graph._cache`).

    pyshacl takes 0.2 s to import and 0.5 s to check the bundled notice's graph (15 s per
    100,000 triples); the result is a function of the triples, the shapes, the ontology and the
    tools, so a graph checked before needs none of it. The key covers all of them (the
    N-Triples, ``shapes.ttl``, ``yuegang.ttl``, pyshacl's and rdflib's versions, this module);
    a changed byte in any checks afresh. ``YUEGANG_SHACL_CACHE=0`` switches the cache off.
    """

    def check() -> list:
        from graph.rdf.build import graph_from_nt

        g = graph_from_nt(nt)
        triples = len(g)
        conforms, report = validate(g, inplace=True)  # g is not used afterwards
        return [conforms, report, triples]

    entry = _cache.key(nt, *fingerprint())
    conforms, report, triples = _cache.remembered(
        "shacl", "YUEGANG_SHACL_CACHE", entry, check, valid=_is_check
    )
    return bool(conforms), str(report), int(triples)


def _is_check(value: object) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], bool)
        and isinstance(value[1], str)
        and isinstance(value[2], int)
    )


@lru_cache(maxsize=1)
def fingerprint() -> tuple[bytes | str, ...]:
    """Everything besides the triples that a check's result depends on."""
    from graph.rdf.build import ontology_path

    return (
        str(CACHE_VERSION),
        _cache.tools("pyshacl", "rdflib"),
        shapes_path().read_bytes(),
        ontology_path().read_bytes(),
        Path(__file__).read_bytes(),
    )


def warned_nodes(report: str) -> set[str]:
    """The focus nodes of the results of severity ``sh:Warning`` in pyshacl's text *report*
    (e.g. items whose responsibility list was not read)."""
    nodes = set()
    for block in re.split(r"(?:Constraint Violation|Validation Result) in ", report)[1:]:
        if "Severity: sh:Warning" in block:
            found = re.search(r"Focus Node: (\S+)", block)
            if found:
                nodes.add(found[1])
    return nodes
