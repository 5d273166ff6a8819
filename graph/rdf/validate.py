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

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["load_shapes", "shapes_path", "validate", "warned_nodes"]


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
