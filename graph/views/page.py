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
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import numpy as np

from graph import _cache

__all__ = [
    "CJK_FONT_STACK",
    "LAYOUT_SEED",
    "LAYOUT_SCALE",
    "inline_script",
    "layout_positions",
    "pack_data",
    "preload",
    "render_page",
    "script_json",
    "unpack_data",
]

#: Fonts named by every page and used on the canvas, so Chinese labels never fall back to boxes.
CJK_FONT_STACK = (
    '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif'
)
LAYOUT_SEED = 20170302
LAYOUT_SCALE = 1000
_KK_MAX = 300  # nodes up to which a component gets Kamada-Kawai (O(n²) memory)
#: Fruchterman-Reingold of larger components: "igraph" (C), or "networkx" (the code before it).
FR_BACKEND = "igraph"
#: igraph Fruchterman-Reingold iterations. 200 instead of 300 saves 0.1 s at 2,000 nodes /
#: 20,000 edges; on a planted 10-community graph of 2,000 nodes the mean distance within a
#: community against between communities was 0.339 (200) against 0.336 (300) and 0.334 (500).
FR_ITERATIONS = 200

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "/": "\\/",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
# A colon after a letter or digit is inside a string (the compact JSON puts every structural
# colon right after a closing quote): escaping it keeps "http:" and "javascript:" out of the page.
_JSON_SCHEME_RE = re.compile("(?<=[A-Za-z0-9]):")
_URL_SCHEMES = ("http:", "https:", "ftp:", "ws:", "wss:")


def script_json(data: Any) -> str:
    """Serialise *data* for a ``<script type="application/json">`` block.

    Keys are sorted and the output is compact, so equal data gives equal bytes. ``<``, ``>`` and
    ``&`` become ``\\u003c`` etc. (nothing can close the script element), ``/`` becomes ``\\/``
    and a ``:`` inside a string ``\\u003a`` (valid JSON; no ``http://`` or ``javascript:``
    appears literally).
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _JSON_ESCAPES.items():  # str.replace: ~10x faster than translate here
        text = text.replace(char, escaped)
    return _JSON_SCHEME_RE.sub("\\\\u003a", text)


# ---- packed page data ------------------------------------------------------------------------
# A view of 2,000 agencies carries some 100,000 (item, role) pairs and 20,000 edges: as JSON
# objects that was 3.3 MB of the page's 4 MB data block, all of it read (HTML parser, JSON.parse,
# garbage collector) before the first draw, though only a click, a search or a filter reads it.
# pack_data writes them compactly, and view.js decodes each list when it is first used:
# - "refs": every item label (and agency id) named by a node's "a" or an edge's "items", once;
#   "roles": the roles of those pairs, null first;
# - a node's "a" ([[ref, role], ...]) becomes one string of space-separated tokens, each the
#   base-36 index of the ref in "refs", then "." and the base-36 index of the role unless it is
#   null: [["12", null], ["40", "lead"]] -> "c 14.1";
# - the edges become columns ("E"): "from"/"to" as indices of DATA.nodes, "w", and "weight",
#   "role", "rel" (null where an edge has none), "items" as a token string like "a"; "id" only
#   when an edge's id is not "e" + its index.
# A list that does not fit this shape (a pyvis caller's own records) is left as it was.
_PACKED_EDGE_KEYS = ("weight", "items", "role", "rel")


def _b36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = digits[n % 36]
    while n >= 36:
        n //= 36
        out = digits[n % 36] + out
    return out


class _Table(dict):
    """Index (as base 36) of each value, in order of first use; ``values`` lists them."""

    def __init__(self, first: tuple = ()) -> None:
        super().__init__()
        self.values: list = []
        for v in first:
            self[v]  # noqa: B018 - registers v

    def __missing__(self, value: Any) -> str:
        code = self[value] = _b36(len(self.values))
        self.values.append(value)
        return code


def _packable_pairs(pairs: Any) -> bool:
    return isinstance(pairs, list) and all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and (p[1] is None or isinstance(p[1], str))
        for p in pairs
    )  # fmt: skip


def _pack_edges(edges: list[dict], index: Mapping[str, int], refs: _Table) -> dict | None:
    """The columns of *edges*, or None when an edge has a key or value they cannot hold."""
    allowed = {"id", "from", "to", "w", *_PACKED_EDGE_KEYS}
    for e in edges:
        if not allowed.issuperset(e) or "id" not in e or "w" not in e:
            return None
        if e["from"] not in index or e["to"] not in index:
            return None
        if any(k in e and e[k] is None for k in _PACKED_EDGE_KEYS):
            return None  # null stands for "absent" in a column
        items = e.get("items")
        if items is not None and not (isinstance(items, list) and all(isinstance(x, str) for x in items)):  # fmt: skip
            return None
    cols: dict[str, Any] = {
        "from": [index[e["from"]] for e in edges],
        "to": [index[e["to"]] for e in edges],
        "w": [e["w"] for e in edges],
    }
    if any(e.get("id") != f"e{i}" for i, e in enumerate(edges)):
        cols["id"] = [e.get("id") for e in edges]
    for key in _PACKED_EDGE_KEYS:
        if any(key in e for e in edges):
            cols[key] = [e.get(key) for e in edges]
    if "items" in cols:
        cols["items"] = [
            None if items is None else " ".join([refs[x] for x in items]) for items in cols["items"]
        ]
    return cols


def pack_data(data: Mapping[str, Any]) -> dict:
    """The page data *data* (``nodes``, ``edges`` and the rest) as the page carries it: long
    lists packed (see the comment above; :func:`unpack_data` is the inverse). *data* is not
    changed."""
    refs, roles = _Table(), _Table((None,))
    out = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
    nodes = []
    for n in data["nodes"]:
        pairs = n.get("a")
        if pairs and _packable_pairs(pairs):
            n = dict(n)
            n["a"] = " ".join([refs[p] if r is None else f"{refs[p]}.{roles[r]}" for p, r in pairs])
        nodes.append(n)
    out["nodes"] = nodes
    index = {n["id"]: i for i, n in enumerate(nodes) if isinstance(n.get("id"), str)}
    columns = _pack_edges(data["edges"], index, refs) if len(index) == len(nodes) else None
    if columns is None:
        out["edges"] = data["edges"]
    else:
        out["E"] = columns
    out["refs"], out["roles"] = refs.values, roles.values
    return out


def _unpack_tokens(text: str, refs: list, roles: list) -> list[list]:
    pairs = []
    for token in text.split(" ") if text else []:
        ref, _, role = token.partition(".")
        pairs.append([refs[int(ref, 36)], roles[int(role, 36)] if role else None])
    return pairs


def unpack_data(packed: Mapping[str, Any]) -> dict:
    """The page data that :func:`pack_data` packed into *packed* (e.g. a page's decoded JSON
    block), as the Python code built it."""
    refs, roles = packed.get("refs", []), packed.get("roles", [None])
    data = {k: v for k, v in packed.items() if k not in ("E", "refs", "roles")}
    data["nodes"] = [
        {**n, "a": _unpack_tokens(n["a"], refs, roles)} if isinstance(n.get("a"), str) else n
        for n in packed["nodes"]
    ]
    if "E" in packed:
        cols, ids = packed["E"], [n["id"] for n in packed["nodes"]]
        edges = []
        for i in range(len(cols["from"])):
            e = {"id": cols["id"][i] if "id" in cols else f"e{i}", "from": ids[cols["from"][i]],
                 "to": ids[cols["to"][i]], "w": cols["w"][i]}  # fmt: skip
            for key in _PACKED_EDGE_KEYS:
                if key in cols and cols[key][i] is not None:
                    value = cols[key][i]
                    e[key] = [p for p, _ in _unpack_tokens(value, refs, roles)] if key == "items" else value  # fmt: skip
            edges.append(e)
        data["edges"] = edges
    return data


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
def _inlined(*names: str) -> str:
    """The assets *names*, joined and prepared by :func:`inline_script` (once per process)."""
    return inline_script("\n".join(_asset(n) for n in names))


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


def find_url(text: str) -> str | None:
    """The first URL scheme (``http:``, ``https:``, ``ftp:``, ``ws:``, ``wss:`` at the start of
    a word, any case) or ``://`` in *text*, or None.

    Searched in the UTF-8 bytes, lowered by ``bytes.lower`` (ASCII letters only, which is all a
    scheme has): ``str.lower`` of a 5 MB page of Chinese text took 0.1 s, this 10 ms, and one
    regex took 0.5 s. A scheme is "at the start of a word" when the character before it is not
    alphanumeric or ``_`` (``str.isalnum``, so also not a Chinese character)."""
    if "://" in text:
        return "://"
    raw = text.encode("utf-8", "surrogatepass")
    lowered = raw.lower()
    for scheme in _URL_SCHEMES:
        pattern = scheme.encode("ascii")
        at = lowered.find(pattern)
        while at >= 0:
            if not _word_before(raw, at):
                return raw[at : at + len(pattern)].decode("ascii")
            at = lowered.find(pattern, at + 1)
    return None


def _word_before(raw: bytes, at: int) -> bool:
    """Whether the character ending just before byte *at* of the UTF-8 text *raw* is
    alphanumeric or ``_``."""
    start = at - 1
    while start > 0 and 0x80 <= raw[start] < 0xC0:  # continuation bytes of one character
        start -= 1
    if start < 0:
        return False
    before = raw[start:at].decode("utf-8", "surrogatepass")
    return before.isalnum() or before == "_"


#: Every template a page is rendered from.
TEMPLATES = ("base.html", "index.html", "view.html", "proof.html", "proof_units.html")


def preload() -> None:
    """Read and compile the templates and the inlined scripts (0.15 s) ahead of the first page:
    a build's page worker does it while the notices are still being read."""
    env = _environment()
    for name in TEMPLATES:
        env.get_template(name)
    _asset("view.css")
    _inlined("vendor/vis-network.min.js")
    _inlined("labels.js", "view.js")


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
            vis_js=jinja2.utils.markupsafe.Markup(_inlined("vendor/vis-network.min.js")),
            view_js=jinja2.utils.markupsafe.Markup(_inlined("labels.js", "view.js")),
            **context,
        )
    )
    found = find_url(page)
    if found:  # a template or a caller let a URL through: never ship it
        raise ValueError(f"{template}: rendered page contains {found!r}")
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
    elif FR_BACKEND == "networkx":  # the layout before igraph, kept for scripts/bench_views.py
        raw = nx.spring_layout(H, seed=seed, iterations=50 if len(nodes) <= 1000 else 30)
    else:
        raw = _igraph_fr(H, nodes, seed)
    xs = [float(raw[n][0]) for n in nodes]
    ys = [float(raw[n][1]) for n in nodes]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    reach = max(math.hypot(x - cx, y - cy) for x, y in zip(xs, ys, strict=True)) or 1.0
    k = _radius(len(nodes)) / reach
    return {n: ((x - cx) * k, (y - cy) * k) for n, x, y in zip(nodes, xs, ys, strict=True)}


def _igraph_fr(H: nx.Graph, nodes: list[str], seed: int) -> dict[str, tuple[float, float]]:
    """:func:`graph.network.force_layout.fruchterman_reingold` of *H* (heavier ``weight`` pulls
    harder)."""
    from graph.network.force_layout import fruchterman_reingold

    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v], float(d.get("weight", 1) or 1)) for u, v, d in H.edges(data=True)]
    return fruchterman_reingold(nodes, edges, seed=seed, iterations=FR_ITERATIONS)


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
    placed = [_component_layout(H if len(c) == len(H) else _induced(H, c), seed) for c in comps]
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
    entry = _cache.key(
        json.dumps([list(H), list(H.edges(data="weight")), fixed, seed, scale]),
        f"{_KK_MAX} {FR_BACKEND} {FR_ITERATIONS}",  # the settings that choose the algorithm
        *_layout_fingerprint(),
    )
    nodes = list(H)

    def valid(kept: Any) -> bool:  # one [node, x, y] per node, in order
        return (
            isinstance(kept, list)
            and [k[0] if isinstance(k, list) and len(k) == 3 else None for k in kept] == nodes
            and all(isinstance(v, int) for k in kept for v in k[1:])
        )

    kept = _cache.remembered(
        "layouts", "YUEGANG_LAYOUT_CACHE", entry, lambda: _positions(H, fixed, seed, scale), valid
    )
    return {node: (x, y) for node, x, y in kept}


@cache
def _layout_fingerprint() -> tuple[str | bytes, ...]:
    """What a layout depends on besides its network and settings: this module's and the force
    layout's code, and the tools."""
    from graph.network import force_layout

    return (
        _cache.tools("networkx", "numpy", "scipy", "igraph"),
        Path(__file__).read_bytes(),
        Path(force_layout.__file__).read_bytes(),
    )


def _positions(
    H: nx.Graph, fixed: dict[str, tuple[float, float]], seed: int, scale: int
) -> list[tuple[str, int, int]]:
    """:func:`layout_positions` of the sorted graph *H*, computed: ``(node, x, y)`` in order.
    Layouts are kept in the user cache folder (:mod:`graph._cache`; Kamada–Kawai and
    scipy's optimiser take most of a small build's page time); ``YUEGANG_LAYOUT_CACHE=0`` off."""
    if fixed:
        raw = nx.spring_layout(H, pos=fixed, fixed=sorted(fixed), seed=seed)
        raw = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}
    else:
        raw = _packed_layout(H, seed)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    positions = []
    for node in H:
        x, y = raw[node]
        # vis-network's y axis points down: flip so that north (fixed places) is up.
        positions.append((node, round((x - cx) / half * scale), round(-(y - cy) / half * scale)))
    return positions


# ---- room for labels ----------------------------------------------------------------------------

#: Label font size (canvas px) of item nodes and of every other node; view.js draws them so.
LABEL_FONT = {"item": 20, "_": 30}
_LABEL_GAP = 3  # vis-network draws a label 3 px below the node's shape
_PAD = 14  # free space kept between two nodes' boxes (canvas px): ~4 screen px at the first zoom
_SPREAD_MAX = (
    400  # nodes above which labels cannot all fit: the page shows those that do (labels.js)
)


def text_em(text: str) -> float:
    """Width of *text* in em: CJK and full-width characters 1, others 0.62 (a little more than
    the digits and Latin letters of the CJK fonts, so estimates err on the wide side)."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.62 for ch in text)


def node_box(
    x: float, y: float, size: float, label: str, font: float
) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a node of radius *size* at (*x*, *y*) and its label drawn
    below it in *font* px, as vis-network draws dots, squares, diamonds and triangles."""
    half = max(size, text_em(label) * font / 2)
    return (x - half, y - size, x + half, y + size + _LABEL_GAP + 1.25 * font)


def make_room(
    centres: list[tuple[float, float]],
    offsets: list[tuple[float, float, float, float]],
    fixed: list[bool],
    *,
    rounds: int = 200,
) -> list[tuple[float, float]]:
    """Move boxes apart until none overlap: a node and its label must never cover another's.

    *centres* are node positions; *offsets* each box's (left, top, right, bottom) relative to its
    centre; *fixed* nodes (places on a map) do not move. Each round pushes every overlapping
    pair apart along the axis where they overlap least, half each (all of it for the free one
    when the other is fixed), so the layout keeps its shape and grows only where it is crowded.
    Deterministic: pairs are handled in sorted order.
    """
    pos = [list(c) for c in centres]
    n = len(pos)
    if n < 2 or n > _SPREAD_MAX:
        return [tuple(p) for p in pos]
    for _ in range(rounds):
        boxes = [_box_at(p, o) for p, o in zip(pos, offsets, strict=True)]
        moved = False
        for i, j in _overlapping(boxes):
            a, b = boxes[i], boxes[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx <= 1 or dy <= 1 or (fixed[i] and fixed[j]):  # under 1 px: within the padding
                continue
            dx, dy = dx + 0.5, dy + 0.5  # a little more, so that the pair is done with
            share_i = 0.0 if fixed[i] else (1.0 if fixed[j] else 0.5)
            share_j = 1.0 - share_i
            if dx < dy:  # push sideways: i goes the way its centre already lies
                sign = -1.0 if (a[0] + a[2], i) < (b[0] + b[2], j) else 1.0
                pos[i][0] += sign * dx * share_i
                pos[j][0] -= sign * dx * share_j
            else:
                sign = -1.0 if (a[1] + a[3], i) < (b[1] + b[3], j) else 1.0
                pos[i][1] += sign * dy * share_i
                pos[j][1] -= sign * dy * share_j
            boxes[i] = _box_at(pos[i], offsets[i])
            boxes[j] = _box_at(pos[j], offsets[j])
            moved = True
        if not moved:
            break
    return [tuple(p) for p in pos]


def _overlapping(boxes: list[tuple]) -> list[tuple[int, int]]:
    """Index pairs (i < j, sorted) of *boxes* that overlap by more than 1 px both ways (numpy:
    every pair at once, a few hundred boxes in well under a millisecond)."""
    b = np.asarray(boxes, dtype=float)
    dx = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    dy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    i, j = np.nonzero(np.triu((dx > 1) & (dy > 1), k=1))
    return list(zip(i.tolist(), j.tolist(), strict=True))


def _box_at(p: list[float], o: tuple[float, float, float, float]) -> tuple:
    """The box of offsets *o* around point *p*, with half the padding on every side."""
    h = _PAD / 2
    return (p[0] + o[0] - h, p[1] + o[1] - h, p[0] + o[2] + h, p[1] + o[3] + h)


def label_room(nodes: list[dict], size_mode: str | None) -> None:
    """Move the page records *nodes* (``x``, ``y``, ``label``, ``t``, sizes ``s``) so that no
    two nodes-with-labels overlap at any zoom; places keep their map positions. In place."""
    if len(nodes) < 2 or len(nodes) > _SPREAD_MAX:  # too many to give every label room: the
        return  # page shows the labels that fit, measured in the browser (labels.js)
    offsets = []
    for n in nodes:
        size = float(n["s"].get(size_mode, n["s"].get("_", 10)) or 10) if size_mode else 10.0
        font = LABEL_FONT.get(n["t"], LABEL_FONT["_"])
        offsets.append(node_box(0.0, 0.0, size, str(n["label"]), font))
    centres = [(float(n["x"]), float(n["y"])) for n in nodes]
    fixed = [n["t"] == "place" for n in nodes]
    entry = _cache.key(json.dumps([centres, offsets, fixed]), *_layout_fingerprint())
    moved = _cache.remembered(  # kept with the layouts: the same layout needs the same moves
        "labels",
        "YUEGANG_LAYOUT_CACHE",
        entry,
        lambda: make_room(centres, offsets, fixed),
        lambda kept: (
            isinstance(kept, list)
            and len(kept) == len(nodes)
            and all(
                isinstance(p, list) and len(p) == 2 and all(isinstance(v, float) for v in p)
                for p in kept
            )
        ),
    )
    for n, (x, y) in zip(nodes, moved, strict=True):
        n["x"], n["y"] = round(x), round(y)
