"""Write networks as GraphML, GEXF, CSV and JSON (for Gephi, R, pandas and the browser views).

GraphML and GEXF allow only scalar attribute values, so on export:

- list values (an edge's ``items``, a node's ``item_labels``, ``themes``, ``places``) become one
  string joined with ``;`` — ``["1", "4", "5"]`` is written ``"1;4;5"``
  (``value.split(";")`` gives the list back);
- ``None`` values are left out (the attribute is absent on that node or edge);
- NaN floats (the constraint of an agency without partners, say) are written as ``NaN``
  by both formats and read back as ``float("nan")``;
- every node gets a ``label`` attribute (its zh ``name``), which Gephi shows as the node label;
- graph-level attributes that are not scalars (the per-item lookup tables) are dropped; GraphML
  keeps the scalar ones (``modularity``, ``betweenness_k`` …), GEXF only the graph's name;
- GEXF files carry no modification date, so the same graph always gives the same bytes.

CSV: :func:`edges_frame` (one row per edge with both ends' names) and the measures table
(:func:`graph.network.measures.measures_table`). JSON: networkx node-link data (``nodes``/``edges``),
lists kept as lists, NaN written as ``null``.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from networkx.readwrite.gexf import GEXFWriter

__all__ = [
    "FORMATS",
    "edges_frame",
    "for_files",
    "node_link",
    "write_network",
]

FORMATS = ("graphml", "gexf", "csv", "json")
LIST_SEPARATOR = ";"


def _scalar(value: Any) -> Any:
    """A GraphML/GEXF-safe version of *value*, or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return LIST_SEPARATOR.join(str(v) for v in items)
    return str(value)


def for_files(G: nx.Graph) -> nx.Graph:
    """A copy of *G* with scalar attributes only (see the module doc), nodes and edges in order."""
    H = nx.Graph()
    H.graph.update(
        {
            k: _scalar(v)
            for k, v in G.graph.items()
            if _scalar(v) is not None and not isinstance(v, dict)
        }
    )
    for v, data in G.nodes(data=True):
        attrs = {k: _scalar(x) for k, x in data.items()}
        attrs = {k: x for k, x in attrs.items() if x is not None}
        attrs.setdefault("label", str(data.get("name") or v))
        H.add_node(v, **attrs)
    for u, v, data in G.edges(data=True):
        attrs = {k: _scalar(x) for k, x in data.items()}
        H.add_edge(u, v, **{k: x for k, x in attrs.items() if x is not None})
    return H


def _json_value(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(v) for v in value]
    return value


def node_link(G: nx.Graph) -> dict[str, Any]:
    """Node-link data of *G* (``directed``, ``multigraph``, ``graph``, ``nodes``, ``edges``),
    JSON-safe: NaN → null, numpy numbers → Python numbers."""
    data = nx.node_link_data(G, edges="edges")
    return _json_value(data)


def edges_frame(G: nx.Graph) -> pd.DataFrame:
    """One row per edge: ``source``, ``target``, ``source_name``, ``target_name``, then the edge
    attributes (lists joined with ``;``)."""
    rows = []
    keys: list[str] = []
    for u, v, data in G.edges(data=True):
        for k in data:
            if k not in keys:
                keys.append(k)
        rows.append(
            {
                "source": u,
                "target": v,
                "source_name": G.nodes[u].get("name", ""),
                "target_name": G.nodes[v].get("name", ""),
                **{k: _scalar(x) for k, x in data.items()},
            }
        )
    return pd.DataFrame(rows, columns=["source", "target", "source_name", "target_name", *keys])


def _write_gexf(G: nx.Graph, path: Path) -> None:
    """``nx.write_gexf`` without the day's date in ``<meta>``, so the same graph gives the same file."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
    writer.add_graph(G)
    with path.open("wb") as fh:
        writer.write(fh)


def write_network(G: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write *G* to *path* as GraphML, GEXF, JSON or CSV (an edge list); *fmt* defaults to the
    file's suffix. Returns the path written."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} for {path}: choose one of {', '.join(FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(for_files(G), path, encoding="utf-8", prettyprint=True)
    elif fmt == "gexf":
        _write_gexf(for_files(G), path)
    elif fmt == "json":
        text = json.dumps(node_link(G), ensure_ascii=False, indent=1, sort_keys=False)
        path.write_text(text + "\n", encoding="utf-8")
    else:
        edges_frame(G).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
