"""Interactive network views: networkx graphs of :mod:`graph.network.networks` → self-contained HTML.

Each view is one HTML file that opens from disk with no network: vis-network is inlined, the
graph travels as an escaped JSON block, and the page script builds every label, tooltip and
panel with ``textContent``. Positions are computed here (seeded, so the same input gives the
same bytes) and physics is off until the reader turns it on. Every page is rendered by
:func:`graph.views.pyvis_net.render_view`, the template that :func:`graph.views.to_pyvis` gives
pyvis too (not pyvis's own, which loads Bootstrap from a CDN and turns titles containing
``href`` into ``innerHTML``); vis-network 9.1.2 is pyvis's copy, vendored.

Example
-------
>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("gd-hmao", name="省港澳办", kind="provincial-office", items=1, item_labels=["1"])
>>> html = render_agency_view(G)
>>> html.startswith("<!DOCTYPE html>") and "://" not in html
True
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph._gc import no_gc
from graph.views.data import (
    CATEGORICAL,
    KINDS,
    MEASURES,
    bundled_theme_tree,
    item_table,
    kind_mode,
    label_key,
    legend,
    node_sizes,
    node_type,
    page,
    records,
    resource_link,
    section_mode,
    theme_closure,
    theme_tree,
)
from graph.views.page import layout_positions, render_page
from graph.views.placemap import AGENCY_FONT, BASEMAP_ATTRIBUTION, place_map

__all__ = [
    "render_agency_view",
    "render_bipartite_view",
    "render_index",
    "render_place_view",
    "render_theme_view",
    "resource_link",
    "theme_view_graph",
    "write_all_views",
]

VIEW_FILES = {
    "agencies": "agencies.html",
    "bipartite": "bipartite.html",
    "themes": "themes.html",
    "places": "places.html",
}


@no_gc
def render_agency_view(
    G: nx.Graph,
    *,
    bipartite: nx.Graph | None = None,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
    endpoint: str | None = None,
    title: str = "合作单位网络 Agency co-responsibility network",
    index_href: str | None = None,
) -> str:
    """HTML page of the agency co-responsibility network *G* (``agency_network``, ideally
    ``with_measures``). *bipartite* (``bipartite_network`` of the same graph) supplies item texts,
    sections, themes and roles for the side panel, the filters and the search; *themes*
    (:func:`graph.views.data.theme_tree`; default: the bundled theme list's) lets a theme
    search include its narrower themes.
    *G* is not modified.

    Colour by kind or community, size by items or weighted degree, edge width by shared items.
    """
    items, held = item_table(bipartite)
    nodes, edges = records(G, bipartite, held, layout_positions(G), endpoint)
    modes = [kind_mode(nodes)]
    communities = [n["c"].get("community") for n in nodes]
    if any(c is not None for c in communities):
        modes.append(
            {
                "id": "community",
                "label": "社区 community",
                "legend": legend(communities, {}, CATEGORICAL),
            }
        )
    for n in nodes:
        n["items_n"] = n["info"]["measures"][0][1] or 0
    sizes = [
        ("items", "事项数 items", "items_n"),
        ("weighted_degree", "加权度 weighted degree", "wd"),
    ]
    notes = ["连线粗细 = 共同事项数 edge width = shared items"]
    subtitle = f"{len(nodes)} 个单位 agencies · {len(edges)} 条合作关系 links"
    return page(
        "agencies", title, subtitle, nodes, edges, items, modes, sizes, notes, index_href,
        extra={"themes": dict(themes if themes is not None else bundled_theme_tree())},
    )  # fmt: skip


@no_gc
def render_bipartite_view(
    B: nx.Graph,
    *,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
    endpoint: str | None = None,
    title: str = "事项—单位双模网络 Item–agency network",
    index_href: str | None = None,
) -> str:
    """HTML page of the two-mode item–agency network *B* (``bipartite_network``): items (squares)
    coloured by section, agencies (dots) by kind; edges carry the agency's role."""
    items, held = item_table(B)
    nodes, edges = records(B, B, held, layout_positions(B), endpoint)
    modes = [section_mode(nodes, items), kind_mode(nodes)]
    sizes = [("degree", "连线数 degree", "deg")]
    notes = ["方块 = 事项，圆点 = 单位 squares = items, dots = agencies"]
    n_items = sum(n["t"] == "item" for n in nodes)
    subtitle = f"{n_items} 项事项 items · {len(nodes) - n_items} 个单位 agencies · {len(edges)} 条责任 assignments"
    return page(
        "bipartite", title, subtitle, nodes, edges, items, modes, sizes, notes, index_href,
        extra={"themes": dict(themes if themes is not None else bundled_theme_tree())},
    )  # fmt: skip


def theme_view_graph(
    T: nx.Graph,
    B: nx.Graph | None = None,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
) -> nx.Graph:
    """The graph the theme view draws: *T* (``theme_network``); an edge from each narrower theme
    to its broader one (``skos:broader``; edge attribute ``broader`` = the broader theme's key; a
    broader theme that no item names directly is added from *themes*, see
    :func:`graph.views.data.theme_tree`); and from *B* every item that names a theme, linked to
    its themes. New graph; *T* and *B* are not modified.

    Items link to themes only (their agencies are listed in the item's panel), so the view keeps
    *T*'s agency–theme edges readable.
    """
    H = nx.Graph()
    H.add_nodes_from((n, dict(d)) for n, d in T.nodes(data=True))
    H.add_edges_from((u, v, dict(d)) for u, v, d in T.edges(data=True))
    by_id = {t["id"]: (name, t) for name, t in (themes or {}).items()}
    theme_nodes = sorted(str(n) for n, d in T.nodes(data=True) if node_type(str(n), d) == "theme")
    todo = list(theme_nodes)
    while todo:  # narrower → broader, adding broader themes that only their narrower ones name
        key = todo.pop(0)
        for b in sorted(H.nodes[key].get("broader") or []):
            bkey = f"theme:{b}"
            if bkey not in H:
                if b not in by_id:
                    continue
                name, t = by_id[b]
                broader_ids = [i for i, (n, _) in by_id.items() if n in t["broader"]]
                H.add_node(bkey, bipartite=1, name=name, label_en=t.get("en") or "",
                           broader=sorted(broader_ids), items=0)  # fmt: skip
                todo.append(bkey)
            H.add_edge(key, bkey, broader=bkey)  # undirected graph: the edge names its head
    if B is None:
        return H
    by_name = {d.get("name"): n for n, d in H.nodes(data=True) if node_type(str(n), d) == "theme"}
    for key, d in B.nodes(data=True):
        if node_type(str(key), d) != "item":
            continue
        linked = [by_name[t] for t in d.get("themes") or [] if t in by_name]
        if linked:
            H.add_node(key, **dict(d))
            H.add_edges_from((key, t) for t in linked)
    return H


@no_gc
def render_theme_view(
    T: nx.Graph,
    bipartite: nx.Graph | None = None,
    *,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
    endpoint: str | None = None,
    title: str = "主题网络 Theme network",
    index_href: str | None = None,
) -> str:
    """HTML page of the agency–theme network *T* (``theme_network``) with the items of each
    theme from *bipartite* and a dashed arrow from each narrower theme to its broader one (see
    :func:`theme_view_graph`). A theme's items include its narrower themes' items, marked as
    such in its panel and counted in its tooltip. *themes* defaults to ``theme_tree(T)``."""
    themes = dict(themes) if themes is not None else theme_tree(T)
    G = theme_view_graph(T, bipartite, themes)
    items, held = item_table(bipartite)
    agency_attrs = dict(bipartite.nodes(data=True)) if bipartite is not None else None
    nodes, edges = records(G, bipartite, held, layout_positions(G), endpoint, agency_attrs)
    modes = [kind_mode(nodes), section_mode(nodes, items)]
    sizes = [("degree", "连线数 degree", "deg")]
    notes = [
        "菱形 = 主题 diamonds = themes",
        "虚线箭头 = 下位主题 → 上位主题；主题的事项含其下位主题的事项 dashed arrows = narrower → "
        "broader theme; a theme's items include its narrower themes' items",
    ]
    own = {t: sum(t in it["th"] for it in items.values()) for t in themes}
    for n in nodes:
        if n["t"] == "theme" and n["label"] in themes:
            names = theme_closure(themes, n["label"])
            total = sum(any(t in it["th"] for t in names) for it in items.values())
            via = (
                f"，含下位主题 incl. narrower {total - own[n['label']]}"
                if total > own[n["label"]]
                else ""
            )
            n["tip"] += f"\n{total} 项事项 items{via}"
    counts = {t: sum(n["t"] == t for n in nodes) for t in ("theme", "agency", "item")}
    subtitle = f"{counts['theme']} 个主题 themes · {counts['agency']} 个单位 agencies · {counts['item']} 项事项 items"
    return page(
        "themes", title, subtitle, nodes, edges, items, modes, sizes, notes, index_href,
        extra={"themes": themes},
    )  # fmt: skip


@no_gc
def render_place_view(
    P: nx.Graph,
    bipartite: nx.Graph | None = None,
    *,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
    endpoint: str | None = None,
    title: str = "地点网络 Place network",
    index_href: str | None = None,
) -> str:
    """HTML page of the agency–place network *P* (``place_network``) as a map: places
    (triangles) at their latitude/longitude on a base map of Guangdong, Hong Kong and Macao with
    a Pearl River Delta panel and a strip for far places; agencies in columns beside the map
    (see :mod:`graph.views.placemap`)."""
    items, held = item_table(bipartite)
    agency_attrs = dict(bipartite.nodes(data=True)) if bipartite is not None else None
    zero = {str(n): (0, 0) for n in P}
    nodes, edges = records(P, bipartite, held, zero, endpoint, agency_attrs)
    sizes = [("degree", "连线数 degree", "deg")]
    ranges = {"place": (9.0, 22.0), "agency": (6.0, 12.0)}
    for n, s in zip(nodes, node_sizes(nodes, sizes, ranges), strict=True):
        n["s"] = s
    positions, spec = place_map(
        P, {n["id"]: n["s"]["degree"] for n in nodes}, {n["id"]: n["label"] for n in nodes}
    )
    for n in nodes:
        n["x"], n["y"] = positions[n["id"]]
        if n["t"] == "agency":
            n["fs"] = AGENCY_FONT
    modes = [kind_mode(nodes)]
    notes = [
        "三角 = 地点，按经纬度定位；珠三角放大，远处地点在左下 triangles = places at their "
        "coordinates; the Pearl River Delta enlarged, far places in the strip",
        BASEMAP_ATTRIBUTION,
    ]
    counts = {t: sum(n["t"] == t for n in nodes) for t in ("place", "agency")}
    subtitle = f"{counts['place']} 个地点 places · {counts['agency']} 个单位 agencies"
    return page(
        "places", title, subtitle, nodes, edges, items, modes, sizes, notes, index_href,
        extra={"map": spec, "themes": dict(themes if themes is not None else bundled_theme_tree())},
    )  # fmt: skip


# ---- index and files ----------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _agency_rows(A: nx.Graph) -> list[list[str]]:
    cols = ["items", "partners", "weighted_degree", "betweenness", "eigenvector", "community"]
    wdeg = dict(A.degree(weight="weight"))
    rows = []
    for key, d in A.nodes(data=True):
        values = {c: d.get(c) for c in cols}
        values["weighted_degree"] = d.get("weighted_degree", wdeg[key])
        values["partners"] = d.get("partners", A.degree(key))
        rows.append((key, d, values))
    rows.sort(
        key=lambda r: (-(r[2]["items"] or 0), -float(r[2]["weighted_degree"] or 0), str(r[0]))
    )
    return [
        [str(i), d.get("name") or str(key), d.get("full_name") or "", d.get("label_en") or "",
         KINDS.get(d.get("kind"), d.get("kind") or ""), *(_fmt(v[c]) for c in cols)]
        for i, (key, d, v) in enumerate(rows, 1)
    ]  # fmt: skip


def _section_rows(B: nx.Graph) -> list[list[str]]:
    items, held = item_table(B)
    agencies: dict[str, set[str]] = {}
    for agency, pairs in held.items():
        for label, _role in pairs:
            agencies.setdefault(str(items[label]["s"]), set()).add(agency)
    sections: dict[str, list] = {}
    for it in items.values():
        sections.setdefault(str(it["s"]), [it.get("st") or "", 0])[1] += 1
    return [
        [s, title, str(n), str(len(agencies.get(s, ())))]
        for s, (title, n) in sorted(sections.items(), key=lambda kv: label_key(kv[0]))
    ]


def _mode_rows(
    G: nx.Graph,
    B: nx.Graph | None,
    t: str,
    attr: str,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[list[str]]:
    """Rows of the theme or place table: name, English, agencies linked, items naming it (for
    a theme, with its narrower themes' items: see :func:`graph.views.data.theme_closure`)."""
    items, _ = item_table(B)
    rows = []
    for key, d in G.nodes(data=True):
        if node_type(str(key), d) != t:
            continue
        name = d.get("name") or str(key)
        names = theme_closure(themes or {}, name) if t == "theme" else [name]
        n_items = sum(any(x in it[attr] for x in names) for it in items.values())
        rows.append([name, d.get("label_en") or "", G.degree(key), n_items])
    rows.sort(key=lambda r: (-r[2], -r[3], r[0]))
    return [[a, b, str(c), str(n)] for a, b, c, n in rows]


@no_gc
def render_index(
    A: nx.Graph,
    B: nx.Graph,
    T: nx.Graph,
    P: nx.Graph,
    *,
    title: str = "粤港合作网络 Guangdong–Hong Kong cooperation networks",
    links: list[dict[str, str]] | None = None,
    themes: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """``index.html``: links to the four views and summary tables (agencies with their measures,
    sections, themes, places) of the networks *A* (agencies), *B* (items), *T*, *P*.

    *links* adds cards for other files written beside the views (the report, the ontology
    page, the graph files): dicts with ``href``, ``title`` and ``description``. A theme's item
    count includes its narrower themes' items (*themes*, default ``theme_tree(T)``).
    """
    themes = dict(themes) if themes is not None else theme_tree(T)
    n_items = sum(node_type(str(k), d) == "item" for k, d in B.nodes(data=True))
    views = [
        {"href": VIEW_FILES["agencies"], "title": "合作单位网络 Agency network",
         "description": f"{A.number_of_nodes()} 个单位 agencies，{A.number_of_edges()} 条共同承担关系 co-responsibility links"},
        {"href": VIEW_FILES["bipartite"], "title": "事项—单位 Items and agencies",
         "description": f"{n_items} 项事项 items 与责任单位 and their agencies，按章节着色 coloured by section"},
        {"href": VIEW_FILES["themes"], "title": "主题网络 Themes",
         "description": "主题、单位与事项 themes, agencies and items"},
        {"href": VIEW_FILES["places"], "title": "地点网络 Places",
         "description": "地点按经纬度定位 places at their coordinates, with the agencies naming them"},
    ]  # fmt: skip
    views.extend(
        {"href": k["href"], "title": k["title"], "description": k["description"]}
        for k in links or []
    )
    num = [True, False, False, False, False, True, True, True, True, True, True]
    tables = [
        {"title": "单位 Agencies", "note": "按事项数排序 sorted by items",
         "header": ["#", "单位", "全称", "English", "类型 kind", *(MEASURES[c] for c in
                    ["items", "partners", "weighted_degree", "betweenness", "eigenvector", "community"])],
         "numeric": num, "rows": _agency_rows(A)},
        {"title": "章节 Sections", "note": None, "header": ["#", "章节 section", "事项 items", "单位 agencies"],
         "numeric": [True, False, True, True], "rows": _section_rows(B)},
        {"title": "主题 Themes", "note": "事项含下位主题的事项 items include those of narrower themes",
         "header": ["主题 theme", "English", "单位 agencies", "事项 items"],
         "numeric": [False, False, True, True], "rows": _mode_rows(T, B, "theme", "th", themes)},
        {"title": "地点 Places", "note": None, "header": ["地点 place", "English", "单位 agencies", "事项 items"],
         "numeric": [False, False, True, True], "rows": _mode_rows(P, B, "place", "pl")},
    ]  # fmt: skip
    subtitle = f"{n_items} 项事项 items · {A.number_of_nodes()} 个单位 agencies"
    return render_page("index.html", title=title, subtitle=subtitle, views=views, tables=tables)


def _write(path: Path, html: str) -> None:
    path.write_bytes(html.encode("utf-8"))  # explicit UTF-8, "\n" line ends on every platform


@no_gc
def write_all_views(
    rdf_graph: Any,
    out_dir: Path,
    *,
    endpoint: str | None = None,
    links: list[dict[str, str]] | None = None,
    agencies: nx.Graph | None = None,
) -> Path:
    """Write ``agencies.html``, ``bipartite.html``, ``themes.html``, ``places.html`` and
    ``index.html`` for *rdf_graph* (from ``graph.rdf.build.build_graph``) into *out_dir*; return the
    path of ``index.html``. With *endpoint*, agency, item and theme nodes link to their
    resource pages there. *links* are extra cards for ``index.html`` (see :func:`render_index`).
    *agencies* is the agency network with its measures if the caller already has it.
    """
    from graph.network import measures, networks

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    corpus = networks.load_corpus(rdf_graph)
    A = (
        agencies
        if agencies is not None
        else measures.with_measures(networks.agency_network(corpus))
    )
    B = networks.bipartite_network(corpus)
    T = networks.theme_network(corpus)
    P = networks.place_network(corpus)
    tree = theme_tree(corpus)
    home = "index.html"
    common = {"themes": tree, "endpoint": endpoint, "index_href": home}
    pages = {
        "agencies": render_agency_view(A, bipartite=B, **common),
        "bipartite": render_bipartite_view(B, **common),
        "themes": render_theme_view(T, B, **common),
        "places": render_place_view(P, B, **common),
    }
    for view, html in pages.items():
        _write(out_dir / VIEW_FILES[view], html)
    index = out_dir / home
    _write(index, render_index(A, B, T, P, links=links, themes=tree))
    return index
