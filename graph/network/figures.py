"""Static figures for papers: the co-responsibility network and a bar chart of top agencies.

matplotlib with the Agg backend (no display needed), PNG and SVG side by side. Chinese labels
need a CJK font: :func:`cjk_font` looks for one among the installed fonts (Noto Sans CJK SC
from Debian's ``fonts-noto-cjk`` first), then falls back to the font shipped with the package
(WenQuanYi Micro Hei, ``graph/network/data/fonts``); only if that is missing too does it raise
:class:`CJKFontMissing`, which says what to install, rather than drawing empty boxes. SVG text is drawn as paths, so the SVG shows the
glyphs without the font. Output is reproducible: a seeded spring layout, no dates in the files.

>>> paths = network_figure(with_measures(agency_network(g)), "out/network")   # doctest: +SKIP
>>> [p.name for p in paths]                                                   # doctest: +SKIP
['network.png', 'network.svg']
"""

from __future__ import annotations

import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = [
    "CJKFontMissing",
    "bar_chart",
    "cjk_font",
    "draw_network",
    "layout",
    "network_figure",
    "place_labels",
]

#: Families tried in order; the first installed one is used.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
)
#: Shipped with the package (Apache-2.0), used when no installed font has Chinese glyphs.
BUNDLED_FONT = Path(__file__).resolve().parent / "data" / "fonts" / "wqy-microhei.ttc"
FORMATS = ("png", "svg")
SEED = 42
#: PNG resolution: the 12-inch network figure is 1200 px wide, enough for a screen or a page
#: (200 dpi, 2400 px, took 2.5× longer to encode and made report.html 3× larger).
DPI = 100
#: Components above this many agencies are laid out by Fruchterman–Reingold (igraph) instead of
#: Kamada–Kawai, whose cost grows with the square of the nodes (2,000 agencies: over 10 minutes).
KAMADA_KAWAI_MAX = 300
#: Above this many agencies only the largest this many get a label (a figure cannot show 2,000
#: names; the measures table and the views name every agency).
LABELLED_MAX = 150
#: Margin around what is drawn, as matplotlib's default for ``bbox_inches="tight"``.
PAD_INCHES = 0.1


class CJKFontMissing(RuntimeError):
    """No installed font can draw Chinese characters."""


def cjk_font() -> str:
    """The family name of a font with Chinese glyphs: an installed one of :data:`CJK_FAMILIES`,
    else the bundled :data:`BUNDLED_FONT` (registered with matplotlib on first use).

    Raises :class:`CJKFontMissing` with installation advice when there is none.
    """
    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    if BUNDLED_FONT.is_file():
        font_manager.fontManager.addfont(str(BUNDLED_FONT))
        return font_manager.FontProperties(fname=str(BUNDLED_FONT)).get_name()
    raise CJKFontMissing(
        "no font with Chinese glyphs is installed, so Chinese labels would be empty boxes; "
        "install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`; macOS and Windows ship "
        f"one) — tried: {', '.join(CJK_FAMILIES)}"
    )


def _rc() -> dict:
    return {
        "font.family": [cjk_font(), "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "yuegang-graph",
        "svg.fonttype": "path",
    }


def _save(fig: Figure, stem: str | Path, formats: tuple[str, ...]) -> list[Path]:
    """Write *fig* in each of *formats*, cropped to what is drawn (plus a margin).

    The crop box is measured once, with the Agg renderer, and used for every format:
    ``bbox_inches="tight"`` would lay the whole figure out again for each file."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown figure format {fmt!r}: choose from {', '.join(FORMATS)}")
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(DPI)
    box = fig.get_tightbbox(canvas.get_renderer()).padded(PAD_INCHES)
    paths = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
        fig.savefig(path, format=fmt, dpi=DPI, metadata=metadata, bbox_inches=box)
        paths.append(path)
    return paths


def layout(G: nx.Graph, weight: str = "weight") -> dict:
    """Deterministic positions: Kamada–Kawai (distance ``1/weight``) for the largest component
    in the unit square's upper part, the other components (smallest last) in a grid below it.

    Kamada–Kawai starts from a circle, so it needs no seed; laying out components apart keeps
    isolates from being flung to the edges while the main component shrinks to a dot.
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G, key=str))
    for u, v, w in G.edges(data=weight, default=1):
        H.add_edge(u, v, distance=1.0 / float(w or 1))
    comps = sorted(
        (sorted(c, key=str) for c in nx.connected_components(H)), key=lambda c: (-len(c), str(c[0]))
    )
    pos: dict = {}
    if not comps:
        return pos
    main, rest = comps[0], comps[1:]
    main_height = 1.0 if not rest else 0.72
    pos.update(_fit(_component_layout(H.subgraph(main)), 0.0, 1.0 - main_height, 1.0, 1.0))
    if rest:
        cols = max(4, math.ceil(math.sqrt(len(rest) * 4)))
        rows = math.ceil(len(rest) / cols)
        cell_w, cell_h = 1.0 / cols, (1.0 - main_height - 0.04) / rows
        for i, comp in enumerate(rest):
            r, c = divmod(i, cols)
            x0, y1 = c * cell_w, 1.0 - main_height - 0.04 - r * cell_h
            pad = 0.2 * min(cell_w, cell_h)
            pos.update(
                _fit(
                    _component_layout(H.subgraph(comp)),
                    x0 + pad,
                    y1 - cell_h + pad,
                    x0 + cell_w - pad,
                    y1 - pad,
                )
            )
    return pos


def _component_layout(C: nx.Graph) -> dict:
    nodes = sorted(C, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-1.0, 0.0), nodes[1]: (1.0, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(sorted(C.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
    if len(nodes) > KAMADA_KAWAI_MAX:
        return _fruchterman_reingold(ordered, nodes)
    return nx.kamada_kawai_layout(ordered, dist=_distances(ordered, nodes), weight="distance")


def _distances(C: nx.Graph, nodes: list) -> dict:
    """Shortest-path lengths (``distance``) between all pairs, by scipy's Dijkstra in C:
    networkx computes them in Python, 6 s of Kamada–Kawai's 7.5 s at 200 agencies."""
    from scipy.sparse.csgraph import dijkstra

    matrix = nx.to_scipy_sparse_array(C, nodelist=nodes, weight="distance", format="csr")
    lengths = dijkstra(matrix, directed=False)
    return {
        u: dict(zip(nodes, row.tolist(), strict=True))
        for u, row in zip(nodes, lengths, strict=True)
    }


def _fruchterman_reingold(C: nx.Graph, nodes: list) -> dict:
    """Seeded Fruchterman–Reingold (:mod:`graph.network.force_layout`); a link pulls with its
    weight (``1 / distance``)."""
    from graph.network.force_layout import fruchterman_reingold

    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v], 1.0 / float(d)) for u, v, d in C.edges(data="distance")]
    return fruchterman_reingold(nodes, edges, seed=SEED)


def _fit(pos: dict, x0: float, y0: float, x1: float, y1: float) -> dict:
    """Scale *pos* into the box, centred, keeping the aspect ratio."""
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min(x1 - x0, y1 - y0) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return {v: (mx + (p[0] - cx) * scale, my + (p[1] - cy) * scale) for v, p in pos.items()}


#: Colour of the agencies that form a community on their own (no partner).
ALONE_COLOUR = "#c8c8c8"
#: Where a label may go around its node, in order of preference (unit offsets: x, y).
_PLACES = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))


def _community_colours(G: nx.Graph) -> tuple[dict, list[tuple[str, str]]]:
    """Node colours and legend entries (colour, text): one tab20 colour per community of
    several agencies, one grey for all one-agency communities."""
    from matplotlib import colormaps

    palette = colormaps["tab20"]
    members: dict[int, list] = {}
    for v, d in G.nodes(data=True):
        if d.get("community") is not None:
            members.setdefault(int(d["community"]), []).append(v)
    if not members:
        return {v: palette(0) for v in G}, []
    colours, legend, alone = {}, [], []
    for c in sorted(members):
        nodes = sorted(members[c], key=lambda v: (-(G.nodes[v].get("items") or 0), str(v)))
        if len(nodes) == 1:
            alone += nodes
            continue
        # tab20's dark shades first (0, 2, …, 18), then the light ones: neighbours differ in hue
        colour = matplotlib.colors.to_hex(palette((2 * c) % 20 + (c // 10) % 2))
        colours.update(dict.fromkeys(nodes, colour))
        top = G.nodes[nodes[0]].get("name") or str(nodes[0])
        legend.append((colour, f"社区 community {c}: {top} … ({len(nodes)} agencies)"))
    if alone:
        colours.update(dict.fromkeys(alone, ALONE_COLOUR))
        legend.append((ALONE_COLOUR, f"单一单位社区 one-agency communities ({len(alone)})"))
    return colours, legend


def _overlaps_circle(box, x: float, y: float, r: float) -> bool:
    """Whether the rectangle *box* (display coordinates) meets the circle at (x, y), radius r."""
    nx_ = min(max(x, box.x0), box.x1)
    ny_ = min(max(y, box.y0), box.y1)
    return (nx_ - x) ** 2 + (ny_ - y) ** 2 < r * r


def place_labels(ax, G: nx.Graph, pos: dict, sizes: dict, labels: dict, fontsize: float = 7):
    """Put each node's label beside its node where it covers no node and no other label.

    Nodes are labelled in order of decreasing size; each label tries eight places around its
    node, then the same places further out. A label that fits nowhere is left out (and listed in
    the return value) rather than drawn across other nodes. In a network of more than
    :data:`LABELLED_MAX` agencies only the largest :data:`LABELLED_MAX` are labelled, and their
    labels may cover other nodes (not each other). Returns ``(texts, left_out, circles)``:
    the drawn ``Text`` artists, the nodes without a label and the node circles in display
    coordinates ``{node: (x, y, r)}`` (what the tests measure against).
    """
    from matplotlib import patheffects

    fig = ax.figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    px = fig.dpi / 72.0
    circles = {}
    for v in G:
        x, y = ax.transData.transform(pos[v])
        circles[v] = (x, y, math.sqrt(sizes[v]) / 2 * px)
    frame = ax.get_window_extent(renderer)
    placed, texts, left_out = [], [], []
    order = sorted(G, key=lambda v: (-sizes[v], str(v)))
    # a large network: the largest LABELLED_MAX agencies are labelled, over other nodes if
    # need be (a white halo keeps them legible), never over each other
    large = len(order) > LABELLED_MAX
    left_out += order[LABELLED_MAX:]
    order = order[:LABELLED_MAX]
    to_data = ax.transData.inverted()
    for v in order:
        x, y, r = circles[v]
        text = ax.text(0, 0, labels[v], fontsize=fontsize, zorder=5,
                       path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])  # fmt: skip
        for ring in (1.0, 1.8, 2.8):
            done = False
            for dx, dy in _PLACES:
                gap = r * ring + 2 * px
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
                text.set_ha(ha)
                text.set_va(va)
                text.set_position(to_data.transform((x + dx * gap, y + dy * gap)))
                box = text.get_window_extent(renderer).expanded(1.04, 1.08)
                if not frame.contains(box.x0, box.y0) or not frame.contains(box.x1, box.y1):
                    continue
                if any(box.overlaps(b) for b in placed):
                    continue
                if not large and any(_overlaps_circle(box, *c) for c in circles.values()):
                    continue
                placed.append(box)
                texts.append(text)
                done = True
                break
            if done:
                break
        else:
            text.remove()
            left_out.append(v)
    return texts, left_out, circles


def _node_sizes(G: nx.Graph, nodes: list) -> dict:
    """Marker areas (points²) growing with each agency's items; in networks of more than
    :data:`LABELLED_MAX` agencies scaled down (the largest 400) so the hubs do not cover the rest."""
    items = {v: G.nodes[v].get("items", 1) or 1 for v in nodes}
    if len(nodes) <= LABELLED_MAX:
        return {v: 60 + 50 * n for v, n in items.items()}
    most = max(items.values())
    return {v: 8 + 392 * math.sqrt(n / most) for v, n in items.items()}


def draw_network(ax, G: nx.Graph, *, label: str = "name", fontsize: float = 7) -> dict:
    """Draw *G* on *ax*: edges, nodes coloured by community, labels beside their nodes (see
    :func:`place_labels`) and a legend of the community colours. Returns what was drawn:
    ``texts``, ``left_out``, ``circles`` and ``legend`` (a list of (colour, text))."""
    from matplotlib.lines import Line2D

    pos = layout(G)
    max_w = max((w for _, _, w in G.edges(data="weight", default=1)), default=1)
    large = G.number_of_nodes() > LABELLED_MAX  # thin, faint links: thousands would cover all
    base, extra, alpha = (0.1, 0.9, 0.25) if large else (0.6, 3.4, 0.7)
    nx.draw_networkx_edges(
        G,
        pos,
        ax=ax,
        width=[base + extra * w / max_w for _, _, w in G.edges(data="weight", default=1)],
        edge_color="#9a9a9a",
        alpha=alpha,
    )
    nodes = list(G)
    sizes = _node_sizes(G, nodes)
    colours, legend = _community_colours(G)
    nx.draw_networkx_nodes(
        G,
        pos,
        ax=ax,
        nodelist=nodes,
        node_size=[sizes[v] for v in nodes],
        node_color=[colours[v] for v in nodes],
        linewidths=0.5,
        edgecolors="#333333",
    )
    ax.set_xlim(-0.12, 1.12)
    ax.set_ylim(-0.06, 1.06)
    ax.set_aspect("equal")
    labels = {v: str(G.nodes[v].get(label) or v) for v in nodes}
    texts, left_out, circles = place_labels(ax, G, pos, sizes, labels, fontsize)
    if legend:
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markersize=8,
                markerfacecolor=c,
                markeredgecolor="#333333",
                label=text,
            )  # fmt: skip
            for c, text in legend
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8,
                  frameon=False, title="颜色 = 社区 colour = community", title_fontsize=9)  # fmt: skip
    return {"texts": texts, "left_out": left_out, "circles": circles, "legend": legend}


def network_figure(
    G: nx.Graph,
    stem: str | Path,
    *,
    label: str = "name",
    title: str | None = None,
    seed: int = SEED,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Draw the co-responsibility network *G* to ``{stem}.png`` and ``{stem}.svg``.

    Node area follows ``items``, colour the Louvain ``community`` (when *G* carries measures;
    a legend names each community by its largest member, and the one-agency communities share
    one grey), edge width the ``weight``; each node's *label* (zh ``name`` by default) sits
    beside it, never across a node or another label (:func:`place_labels`). The layout is
    :func:`layout` (deterministic; *seed* is kept for callers that pass one and is unused by
    Kamada–Kawai).
    """
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(15, 12))
        ax = fig.add_subplot()
        ax.set_axis_off()
        if title:
            ax.set_title(title, fontsize=13)
        if G.number_of_nodes():
            draw_network(ax, G, label=label)
        else:
            ax.text(0.5, 0.5, "（无数据 / no data）", ha="center", va="center")
        return _save(fig, stem, formats)


def bar_chart(
    G: nx.Graph,
    stem: str | Path,
    *,
    by: str = "weighted_degree",
    top: int = 15,
    label: str = "name",
    title: str | None = None,
    formats: tuple[str, ...] = FORMATS,
) -> list[Path]:
    """Horizontal bar chart of the *top* agencies of *G* by node attribute *by* (ties by id)."""
    rows = sorted(
        ((d.get(by), str(v), str(d.get(label) or v)) for v, d in G.nodes(data=True)),
        key=lambda r: (
            -(r[0] if isinstance(r[0], int | float) and r[0] == r[0] else -math.inf),
            r[1],
        ),
    )[:top]
    with matplotlib.rc_context(_rc()):
        fig = Figure(figsize=(7, 0.35 * max(len(rows), 3) + 1.2))
        ax = fig.add_subplot()
        names = [r[2] for r in reversed(rows)]
        values = [float(r[0]) if r[0] is not None else 0.0 for r in reversed(rows)]
        ax.barh(range(len(rows)), values, color="#3b6ea5")
        ax.set_yticks(range(len(rows)), names, fontsize=9)
        ax.set_xlabel(by)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(title or f"top {len(rows)} by {by}", fontsize=11)
        fig.tight_layout()
        return _save(fig, stem, formats)
