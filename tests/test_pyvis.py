"""pyvis as the way in (issue 16): ``to_pyvis`` gives a ``pyvis.network.Network`` with the
project's page as its template; pyvis writes it offline, escaped, and the graph stays as it was.

The browser tests open what ``net.write_html`` wrote in headless Chromium with the network
blocked (tests/browser_fixtures.py).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import networkx as nx
import pytest
from browser_fixtures import (
    XSS_EN,
    XSS_FULL,
    XSS_NAME,
    XSS_TEXT,
    browser,  # noqa: F401  (pytest fixture)
    open_view,
    synthetic_networks,
)

from graph.views import render, to_pyvis
from graph.views.page import unpack_data
from graph.views.pyvis_net import project_options

DATA_RE = re.compile(r'<script type="application/json" id="yg-data">(.*?)</script>', re.S)
VIEWS = ["agencies", "bipartite", "themes", "places"]


def data_of(html: str) -> dict:
    return unpack_data(json.loads(DATA_RE.search(html).group(1)))


def snapshot(G: nx.Graph) -> tuple:
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


def graphs_of(nets: dict) -> dict[str, tuple[nx.Graph, dict]]:
    """view → (the graph passed to to_pyvis, its keyword arguments)."""
    B = nets["B"]
    return {
        "agencies": (nets["A"], {"bipartite": B}),
        "bipartite": (B, {}),
        "themes": (nets["T"], {"bipartite": B}),
        "places": (nets["P"], {"bipartite": B}),
    }


def drawn_graph(view: str, G: nx.Graph, kwargs: dict) -> nx.Graph:
    return render.theme_view_graph(G, kwargs["bipartite"]) if view == "themes" else G


@pytest.fixture(scope="module")
def notice() -> dict:
    from graph.extract.notice import extract_file
    from graph.network import measures, networks
    from graph.rdf.build import build_graph

    g = build_graph([extract_file(None)])
    corpus = networks.load_corpus(g)
    return {
        "A": measures.with_measures(networks.agency_network(corpus)),
        "B": networks.bipartite_network(corpus),
        "T": networks.theme_network(corpus),
        "P": networks.place_network(corpus),
    }


@pytest.fixture(scope="module")
def toy() -> dict:
    return synthetic_networks()


# ---- Python side ----------------------------------------------------------------------------------


def test_to_pyvis_returns_a_pyvis_network_and_the_package_imports_pyvis(toy):
    net = to_pyvis(toy["A"], "agencies", bipartite=toy["B"])
    from pyvis.network import Network

    assert isinstance(net, Network) and "pyvis.network" in sys.modules
    assert {n["id"] for n in net.nodes} == set(toy["A"])
    assert net.num_edges() == toy["A"].number_of_edges()
    source = (Path(__file__).parents[1] / "graph/views/pyvis_net.py").read_text(encoding="utf-8")
    assert "from pyvis.network import Network" in source
    with pytest.raises(ValueError, match="unknown view 'map'"):
        to_pyvis(toy["A"], "map")


@pytest.mark.parametrize("view", VIEWS)
def test_pyvis_output_is_the_build_view_byte_for_byte(toy, view):
    G, kwargs = graphs_of(toy)[view]
    built = {
        "agencies": lambda: render.render_agency_view(G, **kwargs),
        "bipartite": lambda: render.render_bipartite_view(G),
        "themes": lambda: render.render_theme_view(G, kwargs["bipartite"]),
        "places": lambda: render.render_place_view(G, kwargs["bipartite"]),
    }[view]()
    assert to_pyvis(G, view, **kwargs).generate_html() == built
    assert to_pyvis(G, view, **kwargs).generate_html() == built  # and again: no state kept


def test_the_notice_agency_view_is_the_same_bytes_through_pyvis(notice):
    html = render.render_agency_view(notice["A"], bipartite=notice["B"])
    assert to_pyvis(notice["A"], bipartite=notice["B"]).generate_html() == html


def test_graphs_are_unchanged_after_to_pyvis_and_writing(toy, tmp_path, monkeypatch):
    nets = synthetic_networks()
    before = {k: snapshot(G) for k, G in nets.items()}
    monkeypatch.chdir(tmp_path)
    for view, (G, kwargs) in graphs_of(nets).items():
        net = to_pyvis(G, view, **kwargs)
        for node in net.nodes:  # changing the Network does not reach the graph either
            node["color"] = "#000000"
            node["yg"]["c"]["kind"] = "changed"
        net.write_html(f"{view}.html")
    assert {k: snapshot(G) for k, G in nets.items()} == before
    # pyvis's "local" mode would have copied lib/ into the current folder: nothing but the pages
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{v}.html" for v in VIEWS)


def test_tooltips_are_escaped_in_the_network_itself(toy):
    """Titles hold escaped text, so even pyvis's own template (which shows every title through
    innerHTML once one contains ``href``) would show the payloads as text."""
    net = to_pyvis(toy["A"], bipartite=toy["B"])
    titles = [n["title"] for n in net.nodes]
    assert any("href" in t for t in titles)  # the condition that switches pyvis to innerHTML
    assert not any("<" in t or ">" in t for t in titles)
    xss = next(n for n in net.nodes if n["id"] == "xss-agency")
    assert "&lt;img src=x onerror=alert(1)&gt;" in xss["title"]
    page = data_of(net.generate_html())
    tip = next(n["tip"] for n in page["nodes"] if n["id"] == "xss-agency")
    assert XSS_NAME in tip and XSS_EN in tip  # the page shows the text itself (textContent)


def test_pyvis_api_changes_reach_the_page(toy):
    A, B = toy["A"], toy["B"]
    net = to_pyvis(A, bipartite=B, title=XSS_NAME)
    net.toggle_physics(True)
    net.set_edge_smooth("continuous")
    for node in net.nodes:  # colour by community, the pyvis way
        community = A.nodes[node["id"]]["community"]
        node["group"] = f"社区 {community}"
        node["color"] = ["#e15759", "#4e79a7"][community]
    net.nodes[0]["size"] = 99
    net.add_node("mine", label="我的节点", color="#59a14f")  # no group: its colour names it
    net.add_edge("mine", "gd-hmao", width=3)
    html = net.generate_html()
    data = data_of(html)
    assert data["vis"]["physics"]["enabled"] is True
    assert data["vis"]["edges"]["smooth"] == {"enabled": True, "type": "continuous"}
    first = data["modes"]["colour"][0]
    assert first["id"] == "pyvis"
    assert {e["key"]: e["color"] for e in first["legend"]} == {
        "#59a14f": "#59a14f",
        "社区 0": "#e15759",
        "社区 1": "#4e79a7",
    }
    assert [m["id"] for m in data["modes"]["colour"][1:]] == ["kind", "community"]
    assert data["modes"]["size"][0]["id"] == "pyvis"
    assert {n["id"] for n in data["nodes"]} == {*A, "mine"}
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} >= {frozenset(("mine", "gd-hmao"))}  # fmt: skip
    # the heading is escaped (pyvis's template inserts it as markup, twice)
    assert XSS_NAME not in html and "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in html


def test_project_options_are_what_pyvis_gives_after_to_pyvis(toy):
    net = to_pyvis(toy["B"], "bipartite")
    assert json.loads(net.options.to_json()) == project_options(False)


# ---- in the browser ---------------------------------------------------------------------------------


def assert_clean(log) -> None:
    assert log.blocked == [], f"requests attempted: {log.blocked}"
    assert log.errors == [], f"console errors: {log.errors}"
    assert log.dialogs == [], f"dialogs opened: {log.dialogs}"


def shown(page) -> tuple[set, set]:
    nodes, edges = page.evaluate(
        "[Object.keys(ygView.network.body.nodes).filter(id => ygView.network.body.nodes[id].options.hidden !== true && !id.startsWith('edgeId:')),"
        " Object.values(ygView.network.body.edges).filter(e => e.options.hidden !== true && e.connected).map(e => [e.fromId, e.toId])]"
    )  # fmt: skip
    return set(nodes), {frozenset(e) for e in edges}


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS)
def test_pyvis_written_notice_view_is_offline_and_draws_the_graph(
    browser,  # noqa: F811
    notice,
    view,
    tmp_path,
    monkeypatch,
):
    G, kwargs = graphs_of(notice)[view]
    before = snapshot(G)
    monkeypatch.chdir(tmp_path)
    net = to_pyvis(G, view, **kwargs)
    net.write_html(f"{view}.html")
    page, log = open_view(browser, (tmp_path / f"{view}.html").as_uri())
    try:
        page.wait_for_timeout(300)
        H = drawn_graph(view, G, kwargs)
        nodes, edges = shown(page)
        assert nodes == {str(n) for n in H}
        assert edges == {frozenset((str(u), str(v))) for u, v in H.edges}
        assert page.evaluate("ygView.network.physics.options.enabled") is False
        assert page.locator("#yg-legend li").count() > 0  # legend and search are there
        page.fill("#yg-search", str(net.nodes[0]["label"]))
        assert page.locator("#yg-results li").count() > 0
        assert_clean(log)
    finally:
        page.context.close()
    assert snapshot(G) == before


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS)
def test_payloads_stay_inert_in_a_pyvis_written_page(browser, toy, view, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    G, kwargs = graphs_of(toy)[view]
    net = to_pyvis(G, view, title=XSS_NAME, **kwargs)
    for node in net.nodes:  # a recoloured network, with a payload as a group name too
        node["color"] = "#e15759"
        node["group"] = XSS_FULL
    net.add_node("added", label=XSS_NAME, title=XSS_TEXT)
    net.write_html(f"{view}.html")
    page, log = open_view(browser, (tmp_path / f"{view}.html").as_uri())
    try:
        page.fill("#yg-search", "xss-agency")
        page.press("#yg-search", "Enter")
        panel = page.inner_text("#yg-panel")
        assert XSS_NAME in panel and XSS_FULL in panel
        assert XSS_FULL in page.inner_text("#yg-legend")  # the group name, as text
        assert XSS_NAME in page.inner_text("h1")
        box = page.locator("#yg-network").bounding_box()
        for node in page.evaluate("ygView.nodes.getIds()"):
            page.evaluate("id => ygView.select(id)", node)
            pos = page.evaluate(
                "id => ygView.network.canvasToDOM(ygView.network.getPositions([id])[id])", node
            )
            page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
            page.wait_for_timeout(40)
        page.evaluate("ygView.select('added')")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ygPwned") == []
        assert page.evaluate("document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0  # fmt: skip
        assert page.evaluate("document.scripts.length") == 3
        assert_clean(log)
    finally:
        page.context.close()


@pytest.mark.browser
def test_physics_switched_on_through_pyvis_runs_in_the_page(browser, toy, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.chdir(tmp_path)
    net = to_pyvis(toy["A"], bipartite=toy["B"])
    net.toggle_physics(True)
    net.write_html("physics.html")
    page, log = open_view(browser, (tmp_path / "physics.html").as_uri())
    try:
        assert page.evaluate("ygView.network.physics.options.enabled") is True
        assert page.is_checked("#yg-physics")
        assert_clean(log)
    finally:
        page.context.close()
