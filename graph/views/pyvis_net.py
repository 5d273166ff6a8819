"""pyvis as the way in: a view as a ``pyvis.network.Network``, and the one renderer of every view.

A researcher who knows pyvis gets the project's view of a network as a pyvis ``Network``
(:func:`to_pyvis`): its nodes carry the project's positions, colours, sizes and tooltips, its
template is the project's page (search, legend, filters, side panel), and pyvis's own API
changes it (``net.toggle_physics``, ``net.set_options``, ``node["color"] = …``) before
``net.write_html(path)`` or ``net.generate_html()``. The build renders its own pages through the
same function (:func:`render_view`), so ``to_pyvis(G).generate_html()`` and
``render_agency_view(G)`` are the same bytes.

What pyvis's own template would do, and this one does not (measured on pyvis 0.3.2): load
Bootstrap from a CDN in every mode (here vis-network is inlined and nothing is fetched); show
every tooltip through ``innerHTML`` as soon as one title contains ``href`` (here tooltips are
plain text: titles are stored HTML-escaped, so even pyvis's own template shows them inert, and
this page unescapes them into ``textContent``); insert the heading unescaped (here Jinja
escapes it). ``from_nx`` is not used: it mutates the graph; the graph passed in is only read.

Node dicts hold vis-network's fields (``id``, ``label``, ``x``, ``y``, ``shape``, ``color``,
``size``, ``title``) and, under ``"yg"``, the page's record (type, items, measures, search
keys). A colour or size changed through pyvis becomes a first colour/size choice of the page,
with a legend of the nodes' ``group`` (or colour) values; added nodes and edges are drawn too.

pyvis imports IPython (0.5–0.9 s on this machine), so it is imported when :func:`to_pyvis` is
called, never by ``yuegang build``.

Example
-------
>>> import networkx as nx
>>> G = nx.Graph([("a", "b")])
>>> net = to_pyvis(G)                                   # doctest: +SKIP
>>> net.toggle_physics(True); net.write_html("a.html")  # doctest: +SKIP
"""

from __future__ import annotations

import contextvars
import html
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.views.page import label_room, pack_data, render_page, script_json

if TYPE_CHECKING:  # pragma: no cover
    from pyvis.network import Network

__all__ = ["VIEWS", "ViewTemplates", "project_options", "render_view", "to_pyvis", "vis_records"]

VIEWS = ("agencies", "bipartite", "themes", "places")
SHAPES = {"agency": "dot", "item": "square", "theme": "diamond", "place": "triangle"}
CUSTOM = "pyvis"  # id of the colour / size choice made from the nodes' own values
_OTHER = "#8c959f"
_CAPTURE: contextvars.ContextVar[list | None] = contextvars.ContextVar("yg_capture", default=None)


def project_options(big: bool) -> dict:
    """vis-network options of a view, as pyvis's ``Options.to_json()`` gives them after
    :func:`to_pyvis` has set them (physics off, straight edges, edges hidden while dragging
    *big* graphs). The build uses this dict; a test checks it against pyvis."""
    return {
        "configure": {"enabled": False},
        "edges": {"color": {"inherit": True}, "smooth": {"enabled": False, "type": "dynamic"}},
        "interaction": {"dragNodes": True, "hideEdgesOnDrag": big, "hideNodesOnDrag": False},
        "physics": {
            "enabled": False,
            "stabilization": {
                "enabled": True,
                "fit": True,
                "iterations": 1000,
                "onlyDynamicEdges": False,
                "updateInterval": 50,
            },
        },
    }


def _mode_colour(rec: Mapping[str, Any], mode: str, page: Mapping[str, Any]) -> str:
    """The colour the page script gives record *rec* under colour mode *mode* (``colourOf``)."""
    legend = next((m["legend"] for m in page["modes"]["colour"] if m["id"] == mode), [])
    c = rec.get("c") or {}
    key = c.get(mode, c.get("_"))
    for entry in legend:
        if entry["key"] == key:
            return entry["color"]
    return page["fixed_colours"].get(rec.get("t"), _OTHER)


def _first(page: Mapping[str, Any], kind: str) -> str | None:
    modes = page["modes"][kind]
    return modes[0]["id"] if modes else None


def vis_records(
    nodes: list[dict], edges: list[dict], page: Mapping[str, Any]
) -> tuple[list[dict], list[dict]]:
    """pyvis node and edge dicts of the page records *nodes* / *edges* (see the module doc)."""
    colour, size = _first(page, "colour"), _first(page, "size")
    out_nodes = []
    for rec in nodes:
        yg = {k: v for k, v in rec.items() if k not in ("id", "label", "x", "y", "tip")}
        out_nodes.append(
            {
                "id": rec["id"],
                "label": rec["label"],
                "shape": SHAPES.get(rec["t"], "dot"),
                "x": rec["x"],
                "y": rec["y"],
                "color": _mode_colour(rec, colour, page),
                "size": rec["s"].get(size, rec["s"].get("_")),
                "title": html.escape(rec["tip"]),
                "yg": yg,
            }
        )
    out_edges = [
        {
            "from": e["from"],
            "to": e["to"],
            "width": e["w"],
            "yg": {k: v for k, v in e.items() if k not in ("from", "to")},
        }  # fmt: skip
        for e in edges
    ]
    return out_nodes, out_edges


def _colour_value(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("background")
    return None if value is None else str(value)


def _node_record(node: Mapping[str, Any]) -> dict:
    """The page record of a pyvis node dict: its ``yg`` record, or a plain one for a node a
    caller added with ``net.add_node``."""
    if isinstance(node.get("yg"), Mapping):
        rec = dict(node["yg"])
    else:
        label = str(node.get("label", node["id"]))
        rec = {"t": "agency", "kind": "other", "a": [], "c": {}, "s": {}, "deg": 0,
               "info": {"name": label}, "sub": "", "k": sorted({label.lower(), str(node["id"]).lower()}),
               "q": label.lower()}  # fmt: skip
    rec["id"] = node["id"]
    rec["label"] = str(node.get("label", node["id"]))
    rec["x"], rec["y"] = node.get("x"), node.get("y")
    title = node.get("title")
    rec["tip"] = html.unescape(title) if isinstance(title, str) else rec["label"]
    if node.get("shape") and node["shape"] != SHAPES.get(rec["t"], "dot"):
        rec["shape"] = node["shape"]
    rec["c"], rec["s"] = dict(rec.get("c") or {}), dict(rec.get("s") or {})
    return rec


def _custom_modes(nodes: list[Mapping], recs: list[dict], page: dict) -> None:
    """Add a first colour / size choice when pyvis changed the nodes' colours or sizes."""
    colour, size = _first(page, "colour"), _first(page, "size")
    expected = [
        _mode_colour(r, colour, page) if isinstance(n.get("yg"), Mapping) else None
        for n, r in zip(nodes, recs, strict=True)
    ]
    given = [_colour_value(n.get("color")) for n in nodes]
    if given != expected:
        colours: dict[str, str] = {}
        for n, r, c in zip(nodes, recs, given, strict=True):
            key = str(n["group"]) if n.get("group") is not None else (c or _OTHER)
            r["c"][CUSTOM] = key
            colours.setdefault(key, c or _OTHER)
        legend = [{"key": k, "label": k, "color": colours[k]} for k in sorted(colours)]
        mode = {"id": CUSTOM, "label": "自定颜色 own colours", "legend": legend}
        page["modes"]["colour"] = [mode, *page["modes"]["colour"]]
    sizes = [n.get("size") for n in nodes]
    if sizes != [r["s"].get(size, r["s"].get("_")) for r in recs]:
        for r, s in zip(recs, sizes, strict=True):
            r["s"][CUSTOM] = float(s) if isinstance(s, int | float) else 14.0
        page["modes"]["size"] = [{"id": CUSTOM, "label": "自定大小 own sizes"}, *page["modes"]["size"]]  # fmt: skip


def _edge_records(edges: list[Mapping], ids: set) -> list[dict]:
    out = []
    for i, e in enumerate(edges):
        if e.get("from") not in ids or e.get("to") not in ids:
            continue  # an edge whose node was removed from net.nodes
        rec = dict(e["yg"]) if isinstance(e.get("yg"), Mapping) else {"id": f"p{i}"}
        rec["from"], rec["to"] = e["from"], e["to"]
        rec["w"] = e.get("width", rec.get("w", 1))
        out.append(rec)
    return out


def render_view(
    nodes: list[Mapping], edges: list[Mapping], options: Mapping | str, heading: str, page: Mapping
) -> str:
    """The HTML page of pyvis node and edge dicts with the page data *page* (legends, items,
    filters, subtitle): the one renderer of the views, used by the build and by pyvis.

    *options* are vis-network options (a dict or pyvis's JSON text), merged over the page's
    own by the page script. Every text ends up escaped: in the JSON data block (see
    :func:`graph.views.page.script_json`) or through Jinja's autoescape.
    """
    page = json.loads(json.dumps(page))  # a private copy: custom modes must not leak back
    recs = [_node_record(n) for n in nodes]
    _custom_modes(list(nodes), recs, page)
    edge_recs = _edge_records(list(edges), {r["id"] for r in recs})
    return _render_records(recs, edge_recs, options, heading, page)


def _render_records(
    nodes: list[dict], edges: list[dict], options: Mapping | str, heading: str, page: Mapping
) -> str:
    """The page of the page records *nodes* / *edges*: what :func:`render_view` renders once it
    has turned pyvis's dicts back into records."""
    data = {k: v for k, v in page.items() if k not in ("title", "subtitle", "index_href")}
    data["nodes"] = nodes
    data["edges"] = edges
    data["vis"] = json.loads(options) if isinstance(options, str) else dict(options)
    return render_page(
        "view.html",
        title=str(heading),
        subtitle=page["subtitle"],
        data_json=script_json(pack_data(data)),
        index_href=page.get("index_href"),
    )


def build_page(title: str, subtitle: str, data: dict, index_href: str | None) -> str:
    """Render the page of the view data *data* (from :func:`graph.views.data.page`), or, inside
    :func:`to_pyvis`, hand the pyvis dicts to it and return ``""``."""
    page = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
    page |= {"subtitle": subtitle, "index_href": index_href}
    label_room(data["nodes"], _first(page, "size"))
    sink = _CAPTURE.get()
    if sink is not None:
        nodes, edges = vis_records(data["nodes"], data["edges"], page)
        sink.append((title, nodes, edges, page))
        return ""
    # The records as render_view would get them back from pyvis dicts nobody has changed (the
    # same bytes, tested): without the round trip, which took 0.1-0.2 s at 20,000 edges.
    for rec in data["nodes"]:
        rec["label"] = str(rec["label"])
    options = project_options(bool(data["big"]))
    return _render_records(data["nodes"], data["edges"], options, title, page)


class _ViewTemplate:
    """What pyvis's ``generate_html`` renders: takes pyvis's template context, returns the page."""

    def __init__(self, page: dict) -> None:
        self.page = page

    def render(self, *, nodes: list, edges: list, heading: str, options: Any, **_: Any) -> str:
        return render_view(nodes, edges, options, heading, self.page)


class ViewTemplates:
    """Stands in for pyvis's template environment (``net.templateEnv``): every template name
    gives the project's view page. ``page`` holds the page data (legends, items, filters)."""

    def __init__(self, page: dict) -> None:
        self.page = page

    def get_template(self, name: str) -> _ViewTemplate:  # noqa: ARG002 - pyvis passes its path
        return _ViewTemplate(self.page)


def _render(G: nx.Graph, view: str, bipartite: nx.Graph | None, kwargs: dict) -> None:
    from graph.views import render

    if view == "agencies":
        render.render_agency_view(G, bipartite=bipartite, **kwargs)
    elif view == "bipartite":
        render.render_bipartite_view(G, **kwargs)
    elif view == "themes":
        render.render_theme_view(G, bipartite, **kwargs)
    else:
        render.render_place_view(G, bipartite, **kwargs)


def to_pyvis(
    G: nx.Graph,
    view: str = "agencies",
    *,
    bipartite: nx.Graph | None = None,
    endpoint: str | None = None,
    title: str | None = None,
    index_href: str | None = None,
    height: str = "720px",
    width: str = "100%",
) -> Network:
    """The view *view* of *G* as a ``pyvis.network.Network`` whose template is the project's page.

    *view*: ``"agencies"`` (*G* from ``agency_network``, ideally ``with_measures``),
    ``"bipartite"`` (*G* from ``bipartite_network``), ``"themes"`` (``theme_network``) or
    ``"places"`` (``place_network``). *bipartite* (``bipartite_network`` of the same graph)
    gives item texts, sections, themes and roles to the panel and filters of the other views.
    *G* and *bipartite* are only read. Nodes sit at the project's positions with physics off;
    ``net.toggle_physics(True)`` lets vis-network move them.

    Raises ValueError for an unknown *view*.

    >>> net = to_pyvis(A, "agencies", bipartite=B)          # doctest: +SKIP
    >>> for node in net.nodes:                                # doctest: +SKIP
    ...     node["color"] = "#e15759" if node["yg"]["kind"] == "municipal-government" else "#bab0ac"
    >>> net.write_html("mine.html")                           # doctest: +SKIP
    """
    from pyvis.network import Network

    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}: choose one of {', '.join(VIEWS)}")
    kwargs: dict[str, Any] = {"endpoint": endpoint, "index_href": index_href}
    if title is not None:
        kwargs["title"] = title
    sink: list = []
    token = _CAPTURE.set(sink)
    try:
        _render(G, view, bipartite, kwargs)
    finally:
        _CAPTURE.reset(token)
    heading, nodes, edges, page = sink[0]
    net = Network(height=height, width=width, heading=heading, cdn_resources="in_line")
    for node in nodes:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    # what add_edge appends, without its scan of every edge per edge (quadratic at 20,000 edges)
    net.edges.extend(dict(edge) for edge in edges)
    net.toggle_physics(False)
    net.options.edges.smooth.enabled = False
    net.toggle_hide_edges_on_drag(bool(page["big"]))
    net.templateEnv = ViewTemplates(page)
    net.prep_notebook()  # net.template too, for generate_html(notebook=True) and net.show()
    return net
