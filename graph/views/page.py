"""Page assembly for the interactive views: safe JSON, inlined assets, deterministic layout.

The views are single HTML files that must open from a laptop with no network, show document
text without ever interpreting it as HTML, and come out byte-identical for the same input. This
module holds the pieces that make that true; :mod:`graph.views.render` decides *what* each view shows.

Example
-------
>>> script_json({"t": "</script><img src=x>"})
'{"t":"\\\\u003c\\\\/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import networkx as nx

__all__ = [
    "CJK_FONT_STACK",
    "LAYOUT_SEED",
    "LAYOUT_SCALE",
    "inline_script",
    "layout_positions",
    "render_page",
    "script_json",
]

#: Fonts named by every page and used on the canvas, so Chinese labels never fall back to boxes.
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)
LAYOUT_SEED = 20170302
LAYOUT_SCALE = 1000
_KK_MAX = 300  # nodes up to which a component gets Kamada-Kawai (O(n²) memory)

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "/": "\\/",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JSON_ESCAPE_RE = re.compile("[<>&/\u2028\u2029]")
# A colon after a letter or digit is inside a string (the compact JSON puts every structural
# colon right after a closing quote): escaping it keeps "http:" and "javascript:" out of the page.
_JSON_SCHEME_RE = re.compile("(?<=[A-Za-z0-9]):")
_URL_RE = re.compile(r"(?i)\b(https?|ftp|wss?):|://")


def script_json(data: Any) -> str:
    """Serialise *data* for a ``<script type="application/json">`` block.

    Keys are sorted and the output is compact, so equal data gives equal bytes. ``<``, ``>`` and
    ``&`` become ``\\u003c`` etc. (nothing can close the script element), ``/`` becomes ``\\/``
    and a ``:`` inside a string ``\\u003a`` (valid JSON; no ``http://`` or ``javascript:``
    appears literally).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = _JSON_ESCAPE_RE.sub(lambda m: _JSON_ESCAPES[m.group()], text)
    return _JSON_SCHEME_RE.sub("\\\\u003a", text)


def inline_script(source: str) -> str:
    """Prepare JavaScript *source* for inlining in a ``<script>`` element.

    Drops ``sourceMappingURL`` comments (a browser's developer tools would fetch the map) and
    writes the ``http://`` / ``https://`` of URLs as ``http\\u003a\\/\\/``: the same string in a
    JavaScript string literal (the SVG namespace, licence and error strings of vis-network) and
    still readable in a comment (its licence header), so no generated file contains a URL.
    Refuses code that could end the element early or that has ``://`` anywhere else.
    """
    source = re.sub(r"^\s*//[#@] sourceMappingURL=.*$", "", source, flags=re.MULTILINE)
    source = re.sub(r"\b(https?)://", lambda m: m.group(1) + "\\u003a\\/\\/", source)
    lowered = source.lower()
    if "</script" in lowered or "<!--" in lowered or "://" in source:
        raise ValueError("script contains '</script', '<!--' or '://' and cannot be inlined as is")
    return source.rstrip() + "\n"


@cache
def _asset(name: str) -> str:
    return resources.files("graph.views.templates").joinpath(name).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(_asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_escape_text,
    )


def _escape_text(value: Any) -> Any:
    """HTML-escape plain text, with ``/`` and ``:`` as ``&#47;`` / ``&#58;`` (text is no URL)."""
    if isinstance(value, jinja2.utils.markupsafe.Markup) or not isinstance(value, str):
        return value
    return jinja2.utils.markupsafe.Markup(
        str(jinja2.utils.markupsafe.escape(value)).replace("/", "&#47;").replace(":", "&#58;")
    )


def render_page(template: str, **context: Any) -> str:
    """Render *template* (a file of ``graph/views/templates``) with the shared assets and *context*.

    Every page gets ``font_stack``, the page CSS and, for views, the vendored vis-network and the
    page script. Text passed in *context* is HTML-escaped by Jinja's autoescape; ``data_json``
    must come from :func:`script_json`.
    """
    page = (
        _environment()
        .get_template(template)
        .render(
            font_stack=CJK_FONT_STACK,
            css=jinja2.utils.markupsafe.Markup(_asset("view.css")),
            vis_js=jinja2.utils.markupsafe.Markup(
                inline_script(_asset("vendor/vis-network.min.js"))
            ),
            view_js=jinja2.utils.markupsafe.Markup(inline_script(_asset("view.js"))),
            **context,
        )
    )
    found = _URL_RE.search(page)
    if found:  # a template or a caller let a URL through: never ship it
        raise ValueError(f"{template}: rendered page contains {found.group()!r}")
    return page


def _normalised_fixed(
    fixed_pos: Mapping[str, tuple[float, float]],
) -> dict[str, tuple[float, float]]:
    """Centre *fixed_pos* and scale its larger extent to [-1, 1], keeping the aspect ratio."""
    xs = [p[0] for p in fixed_pos.values()]
    ys = [p[1] for p in fixed_pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((x - cx) / half, (y - cy) / half) for n, (x, y) in fixed_pos.items()}


def _radius(n: int) -> float:
    """Radius of a component of *n* nodes: area grows with *n*; more room inside a real network
    (labels of a hub's partners overlap first) than around an isolated agency."""
    return math.sqrt(n) * (1.6 if n > 1 else 1.0)


def _component_layout(H: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Positions of a connected graph *H*, centred, within :func:`_radius` of its size.

    Kamada-Kawai (even spacing, no randomness) up to ``_KK_MAX`` nodes, else seeded
    Fruchterman-Reingold; the radius makes a component's area proportional to its size.
    """
    nodes = list(H)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) <= 3:
        raw = nx.circular_layout(H)
    elif len(nodes) <= _KK_MAX:
        raw = nx.kamada_kawai_layout(H, weight=None)
    else:
        raw = nx.spring_layout(H, seed=seed, iterations=50 if len(nodes) <= 1000 else 30)
    xs = [float(raw[n][0]) for n in nodes]
    ys = [float(raw[n][1]) for n in nodes]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    reach = max(math.hypot(x - cx, y - cy) for x, y in zip(xs, ys, strict=True)) or 1.0
    k = _radius(len(nodes)) / reach
    return {n: ((x - cx) * k, (y - cy) * k) for n, x, y in zip(nodes, xs, ys, strict=True)}


def _induced(H: nx.Graph, nodes: list[str]) -> nx.Graph:
    """The subgraph of *H* on *nodes*, built in sorted order.

    ``H.subgraph`` iterates a small node set in set order, which changes with the string hash
    seed of each process; layouts read node order, so that would change the bytes of a page.
    """
    keep = set(nodes)
    C = nx.Graph()
    C.add_nodes_from(sorted(keep))
    C.add_edges_from(sorted((u, v, d) for u, v, d in H.edges(sorted(keep), data=True) if v in keep))
    return C


def _packed_layout(H: nx.Graph, seed: int) -> dict[str, tuple[float, float]]:
    """Lay out each connected component on its own and pack them in rows, largest first.

    A single spring layout of a disconnected graph flings isolated agencies to the rim and
    squeezes the main component into the middle; packing keeps every component readable.
    """
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    placed = [_component_layout(_induced(H, c), seed) for c in comps]
    radii = [_radius(len(c)) for c in comps]
    gap = 1.5
    width = max(2 * radii[0] + gap, 1.15 * math.sqrt(sum((2 * r + gap) ** 2 for r in radii)))
    out: dict[str, tuple[float, float]] = {}
    x = y = row = 0.0
    for pos, r in zip(placed, radii, strict=True):
        box = 2 * r + gap
        if x > 0 and x + box > width:
            x, y, row = 0.0, y - row, 0.0
        row = max(row, box)
        for n, (px, py) in pos.items():
            out[n] = (x + box / 2 + px, y - box / 2 + py)
        x += box
    return out


def layout_positions(
    G: nx.Graph,
    *,
    fixed_pos: Mapping[str, tuple[float, float]] | None = None,
    seed: int = LAYOUT_SEED,
    scale: int = LAYOUT_SCALE,
) -> dict[str, tuple[int, int]]:
    """Deterministic integer positions (within ±*scale*) for the nodes of *G*, keyed by ``str(node)``.

    Works on a sorted copy of *G*, so node order changes nothing and *G* is not modified.
    Without *fixed_pos*: each connected component laid out on its own (Kamada-Kawai, or seeded
    Fruchterman-Reingold for large ones) and the components packed in rows. With *fixed_pos*
    (x to the right, y up, any unit): those nodes stay where they are and a seeded spring layout
    arranges the rest around them (heavier ``weight`` pulls harder).

    >>> pos = layout_positions(nx.path_graph(["a", "b", "c"]))
    >>> sorted(pos) == ["a", "b", "c"] and pos == layout_positions(nx.path_graph(["c", "b", "a"]))
    True
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(str(n) for n in G.nodes))
    H.add_weighted_edges_from(
        sorted(
            (*sorted((str(u), str(v))), float(d.get("weight", 1) or 1))
            for u, v, d in G.edges(data=True)
        )
    )
    if H.number_of_nodes() == 0:
        return {}
    fixed = _normalised_fixed(fixed_pos) if fixed_pos else {}
    fixed = {n: p for n, p in sorted(fixed.items()) if n in H}
    if fixed:
        raw = nx.spring_layout(H, pos=fixed, fixed=sorted(fixed), seed=seed)
        raw = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
    else:
        raw = _packed_layout(H, seed)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    positions = {}
    for node in H:
        x, y = raw[node]
        # vis-network's y axis points down: flip so that north (fixed places) is up.
        positions[node] = (
            round((x - cx) / half * scale),
            round(-(y - cy) / half * scale),
        )
    return positions
