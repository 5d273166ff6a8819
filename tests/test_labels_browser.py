"""No two labels overlap at the initial zoom (issue 12), measured in headless Chromium.

A label's box is the one vis-network drew: its position from ``getPositions``, its width from
the canvas's ``measureText`` in the node's font, its top 3 px below the node's shape (where
vis-network draws labels of dots, squares, diamonds and triangles), its height the font size;
a label counts when vis-network draws it at the initial scale (at least 5 px high).
"""

from __future__ import annotations

import random

import networkx as nx
import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.views import render as views

pytestmark = pytest.mark.browser
VIEWS = ["agencies", "bipartite", "themes", "places"]

LABEL_BOXES = """() => {
  const net = ygView.network, scale = net.getScale();
  const ctx = document.createElement("canvas").getContext("2d");
  const ids = ygView.nodes.getIds().filter(id => !net.body.nodes[id].options.hidden);
  const pos = net.getPositions(ids);
  const boxes = [];
  for (const id of ids) {
    const o = net.body.nodes[id].options;
    if (!o.label || o.font.size * scale < 5) continue;  // vis-network does not draw it
    ctx.font = `${o.font.size}px ${o.font.face}`;
    const w = ctx.measureText(o.label).width, top = pos[id].y + o.size + 3;
    boxes.push({id, label: o.label, l: pos[id].x - w / 2, r: pos[id].x + w / 2,
                t: top, b: top + o.font.size});
  }
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], c = boxes[j];
    if (a.l < c.r && c.l < a.r && a.t < c.b && c.t < a.b) overlaps.push([a.label, c.label]);
  }
  return {scale, drawn: boxes.map(b => b.label), overlaps, hidden: ygView.hiddenLabels};
}"""


@pytest.fixture(scope="module")
def notice_dir(tmp_path_factory):
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    out = tmp_path_factory.mktemp("label-views")
    views.write_all_views(build_graph([extract_file(None)]), out)
    return out


def measure(browser, path) -> tuple[dict, object]:  # noqa: F811
    page, log = open_view(browser, path.as_uri())
    page.wait_for_timeout(300)  # labels.js has run and the canvas is redrawn
    return page.evaluate(LABEL_BOXES), page


@pytest.mark.parametrize("name", VIEWS)
def test_no_two_labels_overlap_at_the_initial_zoom(browser, notice_dir, name):  # noqa: F811
    result, page = measure(browser, notice_dir / f"{name}.html")
    try:
        assert result["overlaps"] == []
        assert result["drawn"], "no label drawn at all"
        if name != "places":  # the layout leaves room for every label; none is left out
            assert result["hidden"] == 0
            assert len(result["drawn"]) == page.evaluate("ygView.nodes.length")
        if name == "agencies":
            assert {"省港澳办", "广州市政府", "深圳市政府", "珠海市政府"} <= set(result["drawn"])
        if name == "bipartite":
            assert {"珠海市政府", "深圳市政府"} <= set(result["drawn"])
    finally:
        page.context.close()


def test_the_measure_sees_an_overlap(browser, notice_dir):  # noqa: F811
    """Control: put 深圳市政府 on 珠海市政府 and the same measure reports the pair."""
    page, _ = open_view(browser, (notice_dir / "agencies.html").as_uri())
    try:
        page.evaluate(
            "() => { const p = ygView.network.getPositions(['zhuhai-gov'])['zhuhai-gov'];"
            " ygView.network.moveNode('shenzhen-gov', p.x + 10, p.y); ygView.network.redraw(); }"
        )
        result = page.evaluate(LABEL_BOXES)
        assert ["深圳市政府", "珠海市政府"] in result["overlaps"] or [
            "珠海市政府",
            "深圳市政府",
        ] in result["overlaps"]
    finally:
        page.context.close()


def test_a_dense_network_shows_the_labels_that_fit_and_the_rest_on_selection_and_hover(
    browser,  # noqa: F811
    tmp_path,
):
    rng = random.Random(3)
    base = nx.gnm_random_graph(500, 1500, seed=3)
    G = nx.Graph()
    for i in base:
        G.add_node(f"a{i:03d}", name=f"单位{i:03d}号", kind="other", items=rng.randint(1, 9))
    G.add_edges_from((f"a{u:03d}", f"a{v:03d}", {"weight": 1}) for u, v in base.edges)
    path = tmp_path / "dense.html"
    path.write_bytes(views.render_agency_view(G).encode("utf-8"))
    result, page = measure(browser, path)
    try:
        assert result["overlaps"] == []
        assert result["hidden"] > 0 and result["drawn"]
        hidden = page.evaluate(  # a node without its label, not covered by another node
            "(() => { const net = ygView.network; return ygView.nodes.getIds().find(id =>"
            " !net.body.nodes[id].options.label &&"
            " net.getNodeAt(net.canvasToDOM(net.getPositions([id])[id])) === id); })()"
        )
        page.evaluate("id => ygView.select(id)", hidden)  # selecting it shows its label
        page.wait_for_timeout(300)
        assert page.evaluate("id => ygView.network.body.nodes[id].options.label", hidden) == G.nodes[hidden]["name"]  # fmt: skip
        assert page.evaluate(LABEL_BOXES)["overlaps"] == []
        pos = page.evaluate(
            "id => ygView.network.canvasToDOM(ygView.network.getPositions([id])[id])", hidden
        )
        box = page.locator("#yg-network").bounding_box()
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])  # and hovering names it
        page.wait_for_timeout(200)
        at = page.evaluate("p => ygView.network.getNodeAt(p)", pos)
        assert G.nodes[at]["name"] in page.inner_text("#yg-tip")
    finally:
        page.context.close()
