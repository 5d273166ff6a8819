"""A view with many edges (5,000 or more) in headless Chromium: the page draws the edges itself
(vis-network would build an object per edge), and they behave as vis-network's do: filtered,
painted under the nodes, clickable, and handed to vis-network when physics is switched on."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.views import render as views

pytestmark = pytest.mark.browser
KINDS = ["provincial-department", "municipal-government", "central-branch"]


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict:
    """700 agencies with 5,200 links in one component, and one pair of agencies on their own
    (a component far from the rest, so its one edge has clear canvas around it)."""
    rng = random.Random(5)
    base = nx.gnm_random_graph(700, 5200, seed=5)
    G = nx.Graph()
    for i in base:
        G.add_node(f"a{i:03d}", name=f"单位{i:03d}", kind=KINDS[i % 3], items=0, item_labels=[])
    for u, v in base.edges:
        items = sorted({str(rng.randint(1, 900)) for _ in range(rng.randint(1, 3))}, key=int)
        G.add_edge(f"a{u:03d}", f"a{v:03d}", weight=len(items), items=items)
    G.add_node("lone-a", name="甲单位", kind="court", items=1, item_labels=["901"])
    G.add_node("lone-b", name="乙单位", kind="court", items=1, item_labels=["901"])
    G.add_edge("lone-a", "lone-b", weight=1, items=["901"])
    for n in G:
        labels = sorted({x for nb in G[n] for x in G.edges[n, nb]["items"]}, key=int)
        G.nodes[n].update(items=len(labels), item_labels=labels)
    path = tmp_path_factory.mktemp("large-view") / "agencies.html"
    path.write_bytes(views.render_agency_view(G).encode("utf-8"))
    assert nx.number_connected_components(G) == 2
    return {"G": G, "url": path.as_uri()}


def shown(page) -> tuple[set, set]:
    nodes = page.evaluate("ygView.visibleIds()")
    edges = page.evaluate("ygView.shownEdges()")
    return set(nodes), {frozenset(e) for e in edges}


def lone_edge_point(page) -> dict:
    """The DOM position of the middle of the lone pair's edge."""
    return page.evaluate(
        """() => { const p = ygView.network.getPositions(['lone-a', 'lone-b']);
                   return ygView.network.canvasToDOM({x: (p['lone-a'].x + p['lone-b'].x) / 2,
                                                      y: (p['lone-a'].y + p['lone-b'].y) / 2}); }"""
    )


def pixel(page, at: dict) -> list[int]:
    """RGBA of the network canvas at DOM position *at* (device pixel ratio 1)."""
    return page.evaluate(
        """at => { const c = document.querySelector('#yg-network canvas');
                   return Array.from(c.getContext('2d').getImageData(Math.round(at.x), Math.round(at.y), 1, 1).data); }""",
        at,
    )


def test_the_page_draws_the_edges_and_shows_every_one(browser, large):  # noqa: F811
    G = large["G"]
    page, log = open_view(browser, large["url"])
    try:
        assert page.evaluate("ygView.ownEdges()") is True
        assert page.evaluate("Object.keys(ygView.network.body.edges).length") == 0
        nodes, edges = shown(page)
        assert nodes == set(G)
        assert edges == {frozenset(e) for e in G.edges}
        assert log.errors == [] and log.blocked == []
        # painted: the lone edge's middle is grey, and blank once a filter hides the pair
        mid = lone_edge_point(page)
        r, g, b, a = pixel(page, mid)
        assert a > 0 and max(abs(r - 110), abs(g - 118), abs(b - 129)) < 60, (r, g, b, a)
        page.evaluate("ygView.setFilter('kind', 'municipal-government')")
        page.wait_for_timeout(200)
        assert pixel(page, mid)[3] == 0
    finally:
        page.context.close()


def test_filters_apply_to_the_page_drawn_edges(browser, large):  # noqa: F811
    G = large["G"]
    page, _ = open_view(browser, large["url"])
    try:
        page.evaluate("ygView.setFilter('kind', 'central-branch')")
        keep = {n for n, d in G.nodes(data=True) if d["kind"] == "central-branch"}
        nodes, edges = shown(page)
        assert nodes == keep
        assert edges == {frozenset(e) for e in G.subgraph(keep).edges}
        assert page.inner_text("#yg-count").startswith(f"{len(keep)} / {len(G)} nodes")
    finally:
        page.context.close()


def test_clicking_a_page_drawn_edge_selects_it_and_shows_its_items(browser, large):  # noqa: F811
    page, _ = open_view(browser, large["url"])
    try:
        mid = lone_edge_point(page)
        box = page.locator("#yg-network").bounding_box()
        page.mouse.click(box["x"] + mid["x"], box["y"] + mid["y"])
        page.wait_for_timeout(300)
        panel = page.inner_text("#yg-panel")
        assert "甲单位 — 乙单位" in panel and "Shared items (1)\n901" in panel
        r, g, b, _ = pixel(page, mid)  # drawn in the selection colour, #0969da
        assert b > 150 and r < 80, (r, g, b)
        page.mouse.click(box["x"] + 5, box["y"] + 5)  # empty canvas: the edge is let go
        page.wait_for_timeout(300)
        assert pixel(page, mid)[2] < 150
    finally:
        page.context.close()


def test_a_node_lists_its_partners_without_vis_network_edges(browser, large):  # noqa: F811
    G = large["G"]
    page, _ = open_view(browser, large["url"])
    try:
        node = max(G, key=G.degree)
        page.evaluate("id => ygView.select(id)", node)
        lit = set(page.evaluate("ygView.litIds()"))
        assert lit == {node, *G[node]}
        assert f"相邻 Neighbours ({G.degree(node)})" in page.inner_text("#yg-panel")
        # its items, from the page's packed (item, role) pairs, in reading order
        labels = G.nodes[node]["item_labels"]
        assert f"承担事项 Items ({len(labels)})" in page.inner_text("#yg-panel")
        listed = page.evaluate(
            "Array.from(document.querySelector('#yg-panel ol').children).map(li => li.firstChild.textContent)"
        )
        assert listed == labels and len(labels) > 10
        pairs = page.evaluate("id => ygView.pairs(ygView.data.nodes.find(n => n.id === id))", node)
        assert pairs == [[label, None] for label in labels]
    finally:
        page.context.close()


def test_physics_hands_the_edges_to_vis_network(browser, large):  # noqa: F811
    G = large["G"]
    page, log = open_view(browser, large["url"])
    try:
        page.check("#yg-physics")
        assert page.evaluate("ygView.ownEdges()") is False
        assert page.evaluate("Object.keys(ygView.network.body.edges).length") == G.number_of_edges()
        assert page.evaluate("ygView.network.physics.options.enabled") is True
        page.uncheck("#yg-physics")
        nodes, edges = shown(page)
        assert edges == {frozenset(e) for e in G.edges}
        assert log.errors == []
    finally:
        page.context.close()


def test_page_drawn_edges_follow_a_moved_node(browser, large):  # noqa: F811
    """The page keeps its painted edges as an image between frames: moving an end repaints them."""
    page, log = open_view(browser, large["url"])
    try:
        before = lone_edge_point(page)
        assert pixel(page, before)[3] > 0
        page.evaluate(
            """() => { const p = ygView.network.getPositions(['lone-b'])['lone-b'];
                       ygView.network.moveNode('lone-b', p.x, p.y + 400 / ygView.network.getScale());
                       ygView.network.redraw(); }"""
        )
        page.wait_for_timeout(200)
        after = lone_edge_point(page)
        assert abs(after["y"] - before["y"]) > 150
        assert pixel(page, before)[3] == 0  # the edge left its old place
        r, g, b, a = pixel(page, after)
        assert a > 0 and max(abs(r - 110), abs(g - 118), abs(b - 129)) < 60, (r, g, b, a)
        assert log.errors == []
    finally:
        page.context.close()
