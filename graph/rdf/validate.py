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

import hashlib
import json
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

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
    user cache folder.

    pyshacl takes 0.2 s to import and 0.5 s to check the bundled notice's graph (15 s per
    100,000 triples); the result is a function of the triples, the shapes, the ontology and the
    tools, so a graph checked before needs none of it. The key is the SHA-256 of all of them
    (the N-Triples, ``shapes.ttl``, ``yuegang.ttl``, pyshacl's and rdflib's versions, this
    module); a changed byte in any checks afresh. ``YUEGANG_SHACL_CACHE=0`` switches the cache
    off; the entries are ``shacl/<key>.json`` in the cache folder and may be deleted at any time.
    """
    path = _cache_file(nt) if _cache_enabled() else None
    if path is not None:
        try:
            kept = json.loads(path.read_text(encoding="utf-8"))
            return bool(kept["conforms"]), str(kept["report"]), int(kept["triples"])
        except (OSError, ValueError, KeyError, TypeError):
            pass  # not checked before (or a damaged entry): check now
    from graph.rdf.build import graph_from_nt

    g = graph_from_nt(nt)
    triples = len(g)
    conforms, report = validate(g, inplace=True)  # g is not used afterwards
    if path is not None:
        _keep(path, {"conforms": conforms, "report": report, "triples": triples})
    return conforms, report, triples


def _cache_enabled() -> bool:
    return os.environ.get("YUEGANG_SHACL_CACHE", "1").strip() != "0"


def _cache_file(nt: bytes) -> Path:
    from graph.extract.keywords import cache_dir

    digest = hashlib.sha256(nt)
    for part in _fingerprint():
        digest.update(b"\0" + part)
    return cache_dir() / "shacl" / f"{digest.hexdigest()}.json"


@lru_cache(maxsize=1)
def _fingerprint() -> tuple[bytes, ...]:
    """Everything besides the triples that a check's result depends on."""
    from importlib.metadata import PackageNotFoundError, version

    from graph.rdf.build import ontology_path

    tools = []
    for package in ("pyshacl", "rdflib"):
        try:
            tools.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            tools.append(f"{package} ?")
    return (
        f"{CACHE_VERSION} {' '.join(tools)}".encode(),
        shapes_path().read_bytes(),
        ontology_path().read_bytes(),
        Path(__file__).read_bytes(),
    )


def _keep(path: Path, entry: dict) -> None:
    """Write *entry* whole, then rename it into place (a cache that cannot be written only
    costs time)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


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
