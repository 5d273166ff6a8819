"""A view with thousands of nodes in headless Chromium: the page draws the nodes itself
(vis-network would set up an object per node, with a copy of every option), and they look and
behave as vis-network's do: the same pixels, hover and its tooltip, click and selection, dragging,
zoom, filters, labels that do not overlap, search, and physics handing them to vis-network."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.views import render as views

pytestmark = pytest.mark.browser
KINDS = ["provincial-department", "municipal-government", "central-branch"]
N_NODES, N_EDGES = 1200, 6000  # over the page's thresholds: 1,000 nodes, 5,000 edges


@pytest.fixture(scope="module")
def crowd(tmp_path_factory) -> dict:
    rng = random.Random(11)
    base = nx.gnm_random_graph(N_NODES, N_EDGES, seed=11)
    G = nx.Graph()
    for i in base:
        G.add_node(f"a{i:04d}", name=f"单位{i:04d}", kind=KINDS[i % 3], items=0, item_labels=[])
    for u, v in base.edges:
        items = sorted({str(rng.randint(1, 3000)) for _ in range(rng.randint(1, 3))}, key=int)
        G.add_edge(f"a{u:04d}", f"a{v:04d}", weight=len(items), items=items)
    for n in G:
        labels = sorted({x for nb in G[n] for x in G.edges[n, nb]["items"]}, key=int)
        G.nodes[n].update(items=len(labels), item_labels=labels)
    path = tmp_path_factory.mktemp("own-nodes") / "agencies.html"
    path.write_bytes(views.render_agency_view(G).encode("utf-8"))
    return {"G": G, "url": path.as_uri()}


def canvas_png(page) -> bytes:
    return page.locator("#yg-network canvas").screenshot()


def top_node(page, G) -> str:
    """A node drawn on top at its own centre (no other node covers it) and away from the rim."""
    return page.evaluate(
        """ids => { const net = ygView.network, el = document.getElementById('yg-network');
             return ids.find(id => { const p = net.canvasToDOM(net.getPositions([id])[id]);
               return p.x > 80 && p.y > 80 && p.x < el.clientWidth - 80 && p.y < el.clientHeight - 80 &&
                      net.getNodeAt(p) === id; }); }""",
        sorted(G, key=G.degree, reverse=True),
    )


def dom_of(page, node: str) -> dict:
    return page.evaluate(
        "id => ygView.network.canvasToDOM(ygView.network.getPositions([id])[id])", node
    )


def on_screen(page, node: str) -> tuple[float, float]:
    """Where *node*'s centre is in the page (for the mouse)."""
    at, box = dom_of(page, node), page.locator("#yg-network").bounding_box()
    return box["x"] + at["x"], box["y"] + at["y"]


def corner(page) -> tuple[float, float]:
    """An empty spot of the canvas (its top left corner)."""
    box = page.locator("#yg-network").bounding_box()
    return box["x"] + 3, box["y"] + 3


def rgb(hex_colour: str) -> list[int]:
    return [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]


def painted(page, node: str, colour: str) -> float:
    """The share of the pixels inside *node*'s disc (as drawn now) that have *colour*; a label
    drawn over the node (labels come after every node) covers a little of it."""
    return page.evaluate(
        """([id, c]) => { const net = ygView.network, s = net.getScale();
             const p = net.canvasToDOM(net.getPositions([id])[id]), r = ygView.nodeOf(id).options.size * s * 0.8;
             const x0 = Math.round(p.x - r), y0 = Math.round(p.y - r), w = Math.round(2 * r);
             const d = document.querySelector('#yg-network canvas').getContext('2d').getImageData(x0, y0, w, w).data;
             let n = 0, hit = 0;
             for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) {
               if ((x0 + x - p.x) ** 2 + (y0 + y - p.y) ** 2 > r * r) continue;
               const i = 4 * (y * w + x); n++;
               if (Math.abs(d[i] - c[0]) < 8 && Math.abs(d[i + 1] - c[1]) < 8 && Math.abs(d[i + 2] - c[2]) < 8) hit++;
             }
             return hit / n; }""",
        [node, rgb(colour)],
    )


@pytest.fixture(scope="module")
def bipartite_crowd(tmp_path_factory) -> dict:
    """A two-mode view of 300 agencies (dots) and 2,500 items (squares, smaller labels)."""
    rng = random.Random(4)
    B = nx.Graph()
    for i in range(300):
        B.add_node(f"a{i:03d}", bipartite=0, name=f"单位{i:03d}", kind=KINDS[i % 3], items=0, item_labels=[])  # fmt: skip
    for n in range(1, 2501):
        B.add_node(f"item:{n}", bipartite=1, number=n, label=str(n), text=f"第{n}项工作。",
                   section=1 + n % 3, section_title=f"第{1 + n % 3}章", subsection=None,
                   themes=[], places=[], document="toy")  # fmt: skip
        for pos, a in enumerate(rng.sample(range(300), rng.randint(2, 3)), 1):
            B.add_edge(f"a{a:03d}", f"item:{n}", role=rng.choice(["lead", "support"]), position=pos)
    for a in range(300):
        labels = sorted((str(B.nodes[x]["number"]) for x in B[f"a{a:03d}"]), key=int)
        B.nodes[f"a{a:03d}"].update(items=len(labels), item_labels=labels)
    path = tmp_path_factory.mktemp("own-nodes-bipartite") / "bipartite.html"
    path.write_bytes(views.render_bipartite_view(B).encode("utf-8"))
    return {"G": B, "url": path.as_uri()}


STATES = """async () => {  // a node selected and zoomed into, then a neighbour hovered
  const net = ygView.network, el = document.getElementById('yg-network');
  const frame = () => new Promise(done => net.once('afterDrawing', () => done()));
  const id = ygView.data.nodes[37].id;
  ygView.select(id); net.moveTo({scale: 2.5, animation: false}); net.redraw(); await frame();
  const nb = ygView.data.nodes.map(n => n.id).find(x => { const p = net.canvasToDOM(net.getPositions([x])[x]);
    return x !== id && p.x > 100 && p.y > 100 && p.x < el.clientWidth - 100 && p.y < el.clientHeight - 100 &&
           net.getNodeAt(p) === x; });
  return net.canvasToDOM(net.getPositions([nb])[nb]);
}"""


LABEL_AT_THE_EDGE = """async () => {  // a node labelled since the first draw, just above the canvas
  const net = ygView.network, el = document.getElementById('yg-network');
  const frame = () => new Promise(done => net.once('afterDrawing', () => done()));
  ygView.network.unselectAll();
  const id = Array.from(ygView.firstLabels).sort()[0], p = net.getPositions([id])[id];
  const size = ygView.nodes.get(id).size, scale = 2;
  // the canvas's top 15 units below the node's shape (and 10 below vis-network's 20 px margin): the label
  // (from 19 units below the shape) shows, the shape does not
  net.moveTo({position: {x: p.x, y: p.y + size + 15 + el.clientHeight / 2 / scale}, scale: scale, animation: false});
  net.redraw(); await frame();
}"""


def own_and_vis_drawing(browser, url: str, n_nodes: int) -> list[tuple[bytes, bytes]]:  # noqa: F811
    """Screenshots of the network canvas as the page draws the nodes and as vis-network does
    (``window.ygOwnNodesMin`` raised before the page runs), in pairs: after the first draw, with
    a node selected and zoomed into (labels cut by the canvas's edge), with a neighbour hovered,
    and with a node just above the canvas whose label reaches into it. Both show every node, in
    the same framing, without errors."""
    shots, views_ = [], []
    for init in ("", "window.ygOwnNodesMin = 1e9"):
        page, log = open_view(browser, "about:blank", ready=False)
        try:
            if init:
                page.add_init_script(init)
            page.goto(url)
            page.wait_for_function("window.ygView && ygView.ready === true")
            page.wait_for_timeout(300)
            own = page.evaluate("ygView.ownNodes()")
            assert own is (not init)
            drawn_by_vis = page.evaluate("Object.keys(ygView.network.body.nodes).length")
            assert drawn_by_vis == (0 if own else n_nodes)
            assert len(page.evaluate("ygView.network.getPositions()")) == n_nodes
            views_.append(
                page.evaluate("[ygView.network.getScale(), ygView.network.getViewPosition()]")
            )
            mode = [canvas_png(page)]
            at = page.evaluate(STATES)
            page.wait_for_timeout(200)
            mode.append(canvas_png(page))
            box = page.locator("#yg-network").bounding_box()
            page.mouse.move(box["x"] + at["x"], box["y"] + at["y"])
            page.wait_for_timeout(300)
            assert page.is_visible("#yg-tip")
            mode.append(canvas_png(page))
            page.mouse.move(box["x"] + 3, box["y"] + 3)
            page.evaluate(LABEL_AT_THE_EDGE)
            page.wait_for_timeout(200)
            mode.append(canvas_png(page))
            shots.append(mode)
            assert log.errors == [] and log.blocked == []
        finally:
            page.context.close()
    assert views_[0] == views_[1]
    return list(zip(shots[0], shots[1], strict=True))


def assert_same_pixels(own: bytes, theirs: bytes, margin: int = 0) -> None:
    """At most a few grey levels apart, on under 0.1 % of the pixels (a band of *margin* pixels
    along the canvas's edges left out)."""
    from io import BytesIO

    from PIL import Image, ImageChops

    a, b = (Image.open(BytesIO(x)).convert("RGB") for x in (own, theirs))
    assert a.size == b.size
    if margin:
        inner = (margin, margin, a.size[0] - margin, a.size[1] - margin)
        a, b = a.crop(inner), b.crop(inner)
    diff = ImageChops.difference(a, b).convert("L")
    changed = sum(diff.histogram()[1:])
    assert diff.getextrema()[1] <= 8 and changed < 0.001 * a.size[0] * a.size[1], (
        diff.getextrema(),
        changed,
    )


# Zoomed in, a node just outside the canvas may have its label drawn into it by one and not the
# other: vis-network leaves out a node whose box, label included, is out of view, but it counts
# a label only once it has drawn it (here: labels given by labels.js after the first draw). The
# page counts every label. In the two-mode view this happens: a band along the edges is left out.
MARGINS = (0, 60, 60, 60)  # the last three are zoomed in


def test_the_page_draws_the_nodes_as_vis_network_does(browser, crowd):  # noqa: F811
    G = crowd["G"]
    page, _ = open_view(browser, crowd["url"])
    try:
        assert set(page.evaluate("ygView.visibleIds()")) == set(G)
        positions = page.evaluate("ygView.network.getPositions()")
        data = page.evaluate("Object.fromEntries(ygView.data.nodes.map(n => [n.id, [n.x, n.y]]))")
        assert {k: [p["x"], p["y"]] for k, p in positions.items()} == data
    finally:
        page.context.close()
    for own, theirs in own_and_vis_drawing(browser, crowd["url"], len(G)):
        assert_same_pixels(own, theirs)  # labels cut by the canvas's edge included


def test_squares_and_item_labels_of_a_two_mode_view_as_vis_network_draws_them(
    browser,  # noqa: F811
    bipartite_crowd,
):
    B = bipartite_crowd["G"]
    pairs = own_and_vis_drawing(browser, bipartite_crowd["url"], len(B))
    for (own, theirs), margin in zip(pairs, MARGINS, strict=True):
        assert_same_pixels(own, theirs, margin)
    page, log = open_view(browser, bipartite_crowd["url"])
    try:  # an item node, clicked, lists its agencies
        item = page.evaluate(
            """() => { const net = ygView.network;
                 return ygView.data.nodes.filter(n => n.t === 'item').map(n => n.id).find(id =>
                   net.getNodeAt(net.canvasToDOM(net.getPositions([id])[id])) === id); }"""
        )
        page.mouse.click(*on_screen(page, item))
        page.wait_for_timeout(300)
        assert page.evaluate("ygView.network.getSelectedNodes()") == [item]
        panel = page.inner_text("#yg-panel")
        assert all(B.nodes[a]["name"] in panel for a in B[item])
        assert log.errors == []
    finally:
        page.context.close()


def test_hover_click_and_selection_of_a_page_drawn_node(browser, crowd):  # noqa: F811
    G = crowd["G"]
    page, log = open_view(browser, crowd["url"])
    try:
        node = top_node(page, G)
        colour = page.evaluate("id => ygView.nodes.get(id).color.background", node)
        assert painted(page, node, colour) > 0.6
        unhovered = canvas_png(page)
        page.mouse.move(*on_screen(page, node))
        page.wait_for_timeout(200)
        assert page.is_visible("#yg-tip") and G.nodes[node]["name"] in page.inner_text("#yg-tip")
        page.mouse.move(*corner(page))
        page.wait_for_timeout(200)
        assert not page.is_visible("#yg-tip")
        assert canvas_png(page) == unhovered  # the edges kept as an image between frames: the same
        page.mouse.click(*on_screen(page, node))
        page.wait_for_timeout(300)
        assert page.evaluate("ygView.network.getSelectedNodes()") == [node]
        assert set(page.evaluate("ygView.litIds()")) == {node, *G[node]}
        panel = page.inner_text("#yg-panel")
        assert f"相邻 Neighbours ({G.degree(node)})" in panel
        listed = page.evaluate(
            "Array.from(document.querySelector('#yg-panel ol').children).map(li => li.firstChild.textContent)"
        )
        assert listed == G.nodes[node]["item_labels"]
        assert page.evaluate("id => ygView.nodeOf(id).options.label", node) == G.nodes[node]["name"]
        page.mouse.click(*corner(page))  # empty canvas: let go
        page.wait_for_timeout(300)
        assert page.evaluate("ygView.network.getSelectedNodes()") == []
        assert page.evaluate("ygView.litIds()") is None
        assert log.errors == []
    finally:
        page.context.close()


def test_dragging_moves_a_page_drawn_node_and_zoom_keeps_it_under_the_pointer(browser, crowd):  # noqa: F811
    G = crowd["G"]
    page, log = open_view(browser, crowd["url"])
    try:
        node = top_node(page, G)
        x, y = on_screen(page, node)
        before = page.evaluate("[ygView.network.getViewPosition(), ygView.network.getScale()]")
        start = page.evaluate("id => ygView.network.getPositions([id])[id]", node)
        page.mouse.move(x, y)
        page.mouse.down()
        for k in range(1, 11):
            page.mouse.move(x + 6 * k, y + 3 * k)
        page.mouse.up()
        page.wait_for_timeout(300)
        moved = page.evaluate("id => ygView.network.getPositions([id])[id]", node)
        scale = before[1]
        assert abs(moved["x"] - start["x"] - 60 / scale) < 2 / scale
        assert abs(moved["y"] - start["y"] - 30 / scale) < 2 / scale
        assert page.evaluate("ygView.network.getViewPosition()") == before[0]  # no pan
        # zoom in with the wheel: the node is drawn where the view now puts it
        page.mouse.move(*on_screen(page, node))
        page.mouse.wheel(0, -400)
        page.wait_for_timeout(400)
        assert page.evaluate("ygView.network.getScale()") > scale
        colour = page.evaluate("id => ygView.nodes.get(id).color.highlight.background", node)
        assert painted(page, node, colour) > 0.6
        assert log.errors == []
    finally:
        page.context.close()


def test_filters_labels_search_and_physics_with_page_drawn_nodes(browser, crowd):  # noqa: F811
    G = crowd["G"]
    page, log = open_view(browser, crowd["url"])
    try:
        node = top_node(page, G)
        at = dom_of(page, node)
        kind = G.nodes[node]["kind"]
        other = next(k for k in KINDS if k != kind)
        page.evaluate("k => ygView.setFilter('kind', k)", other)
        page.wait_for_timeout(300)
        keep = {n for n, d in G.nodes(data=True) if d["kind"] == other}
        assert set(page.evaluate("ygView.visibleIds()")) == keep
        colour = page.evaluate("id => ygView.nodes.get(id).color.background", node)
        assert painted(page, node, colour) < 0.2  # not drawn
        assert page.evaluate("p => ygView.network.getNodeAt(p)", at) in keep | {None}
        page.evaluate("ygView.setFilter('kind', '')")
        page.wait_for_timeout(300)
        # the labels drawn do not overlap, and some are left out (1,200 names do not fit)
        boxes = page.evaluate(
            """() => { const net = ygView.network, s = net.getScale();
                 const c = document.createElement('canvas').getContext('2d');
                 return ygView.nodes.getIds().map(id => ygView.nodeOf(id)).filter(r =>
                   !r.options.hidden && r.options.label && r.options.font.size * s >= 5).map(r => {
                   c.font = `${r.options.font.size}px ${r.options.font.face}`;
                   const w = c.measureText(r.options.label).width, t = r.y + r.options.size + 3;
                   return [r.x - w / 2, r.x + w / 2, t, t + r.options.font.size]; }); }"""
        )
        assert 0 < len(boxes) < len(G) and page.evaluate("ygView.hiddenLabels") > 0
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]), (a, b)
        # search selects and focuses a node by name
        target = sorted(G)[7]
        page.evaluate("q => ygView.search(q)", G.nodes[target]["name"])
        assert page.evaluate("ygView.network.getSelectedNodes()") == [target]
        centre = page.evaluate("ygView.network.getViewPosition()")
        pos = page.evaluate("id => ygView.network.getPositions([id])[id]", target)
        assert abs(centre["x"] - pos["x"]) < 1 and abs(centre["y"] - pos["y"]) < 1
        # physics: the nodes (and edges) become vis-network's, where they were
        page.check("#yg-physics")
        assert page.evaluate("ygView.ownNodes()") is False
        assert page.evaluate("Object.keys(ygView.network.body.nodes).length") == len(G)
        assert page.evaluate("Object.keys(ygView.network.body.edges).length") == len(G.edges)
        assert page.evaluate("ygView.network.getSelectedNodes()") == [target]
        page.uncheck("#yg-physics")
        assert set(page.evaluate("ygView.visibleIds()")) == set(G)
        assert log.errors == []
    finally:
        page.context.close()
