"""The views in a real headless Chromium (Debian's), loaded from file:// with the network blocked.

Screenshots of every view go to /tmp/shots (outside the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_fixtures import (
    XSS_FULL,
    XSS_NAME,
    XSS_TEXT,
    browser,  # noqa: F401  (pytest fixture)
    open_view,
    synthetic_networks,
)

from graph.views import notebook
from graph.views import render as views

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots")
VIEWS = ["agencies", "bipartite", "themes", "places"]


@pytest.fixture(scope="module")
def notice(tmp_path_factory) -> dict:
    """The bundled notice's views, and its networks built independently for comparison."""
    from graph.extract.notice import extract_file
    from graph.network import networks
    from graph.rdf.build import build_graph

    g = build_graph([extract_file(None)])
    out = tmp_path_factory.mktemp("notice-views")
    views.write_all_views(g, out)
    B = networks.bipartite_network(g)
    T = networks.theme_network(g)
    return {
        "dir": out,
        "graphs": {
            "agencies": networks.agency_network(g),
            "bipartite": B,
            "themes": views.theme_view_graph(T, B),
            "places": networks.place_network(g),
        },
        "B": B,
    }


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> dict:
    """Synthetic views carrying script-injection payloads in names, titles and item text."""
    nets = synthetic_networks()
    A, B, T, P = nets["A"], nets["B"], nets["T"], nets["P"]
    out = tmp_path_factory.mktemp("toy-views")
    pages = {
        "agencies": views.render_agency_view(A, bipartite=B),
        "bipartite": views.render_bipartite_view(B),
        "themes": views.render_theme_view(T, B),
        "places": views.render_place_view(P, B),
    }
    for name, html in pages.items():
        (out / f"{name}.html").write_bytes(html.encode("utf-8"))
    return {"dir": out, "nets": nets, "pages": pages}


def url(directory: Path, name: str) -> str:
    return (directory / f"{name}.html").as_uri()


def shown_ids(page) -> tuple[set, set]:
    """Ids of the nodes and edges the page currently shows (vis DataSet, hidden flag off)."""
    nodes, edges = page.evaluate(
        "[ygView.nodes.get().filter(n => !n.hidden).map(n => n.id),"
        " ygView.edges.get().filter(e => !e.hidden).map(e => [e.from, e.to])]"
    )
    return set(nodes), {frozenset(e) for e in edges}


def assert_clean(log) -> None:
    assert log.blocked == [], f"requests attempted: {log.blocked}"
    assert log.errors == [], f"console errors: {log.errors}"
    assert log.dialogs == [], f"dialogs opened: {log.dialogs}"


# ---- loading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*VIEWS, "index"])
def test_page_loads_offline_without_console_errors(browser, notice, name):  # noqa: F811
    page, log = open_view(browser, url(notice["dir"], name))
    try:
        page.wait_for_timeout(300)  # let late errors surface
        assert_clean(log)
        if name == "index":
            assert page.locator("table").count() == 4
        else:
            assert page.evaluate("ygView.nodes.length") > 0
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"))
    finally:
        page.context.close()


@pytest.mark.parametrize("name", VIEWS)
def test_drawn_nodes_and_edges_equal_the_networkx_graph(browser, notice, name):  # noqa: F811
    G = notice["graphs"][name]
    page, log = open_view(browser, url(notice["dir"], name))
    try:
        nodes, edges = shown_ids(page)
        assert nodes == {str(n) for n in G}
        assert edges == {frozenset((str(u), str(v))) for u, v in G.edges}
        assert page.evaluate("ygView.edges.length") == G.number_of_edges()
        # vis-network itself holds them (not just the DataSet), with physics off
        assert page.evaluate("Object.keys(ygView.network.body.nodes).length") == len(G)
        assert page.evaluate("ygView.network.physics.options.enabled") is False
        assert_clean(log)
    finally:
        page.context.close()


def test_index_links_open_every_view(browser, notice):  # noqa: F811
    page, log = open_view(browser, url(notice["dir"], "index"))
    try:
        hrefs = page.eval_on_selector_all("a", "as => as.map(a => a.getAttribute('href'))")
        assert hrefs == [f"{v}.html" for v in VIEWS]
        for view in VIEWS:
            page.goto(url(notice["dir"], "index"))
            page.click(f'a[href="{view}.html"]')
            page.wait_for_function("window.ygView && window.ygView.ready === true")
            assert page.url.endswith(f"/{view}.html")
        assert_clean(log)
    finally:
        page.context.close()


# ---- interaction -----------------------------------------------------------------------------------


def test_searching_the_hmao_selects_it_and_shows_its_items(browser, notice):  # noqa: F811
    A, B = notice["graphs"]["agencies"], notice["B"]
    page, log = open_view(browser, url(notice["dir"], "agencies"))
    try:
        page.fill("#yg-search", "省港澳办")
        assert page.locator("#yg-results li").first.inner_text().startswith("省港澳办")
        page.press("#yg-search", "Enter")
        assert page.evaluate("ygView.network.getSelectedNodes()") == ["gd-hmao"]
        panel = page.inner_text("#yg-panel")
        assert A.nodes["gd-hmao"]["full_name"] in panel
        assert A.nodes["gd-hmao"]["label_en"] in panel
        for label in A.nodes["gd-hmao"]["item_labels"]:
            assert f"第{label}项" in panel
            assert B.nodes[f"item:{label}"]["text"][:30] in panel
        # neighbour highlighting: the partners keep their colour, everyone else is dimmed
        dimmed = set(page.evaluate("ygView.nodes.get().filter(n => n.color.background.startsWith('rgba(200')).map(n => n.id)"))  # fmt: skip
        assert dimmed == set(A) - {"gd-hmao"} - set(A["gd-hmao"])
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "agencies-selected.png"))
        # an English name and an item number find their nodes too
        page.fill("#yg-search", "Department of Commerce")
        page.press("#yg-search", "Enter")
        assert page.evaluate("ygView.network.getSelectedNodes()") == ["gd-commerce"]
        assert_clean(log)
    finally:
        page.context.close()


def test_searching_an_item_number_in_the_bipartite_view(browser, notice):  # noqa: F811
    B = notice["B"]
    page, log = open_view(browser, url(notice["dir"], "bipartite"))
    try:
        page.fill("#yg-search", "5")
        page.press("#yg-search", "Enter")
        assert page.evaluate("ygView.network.getSelectedNodes()") == ["item:5"]
        assert B.nodes["item:5"]["text"][:30] in page.inner_text("#yg-panel")
        assert_clean(log)
    finally:
        page.context.close()


def test_filters_hide_what_they_should(browser, notice):  # noqa: F811
    A, B = notice["graphs"]["agencies"], notice["B"]
    section_of = {
        d["label"]: d["section"] for n, d in B.nodes(data=True) if d.get("bipartite") == 1
    }
    in_section_1 = {a for a in A if any(section_of[i] == 1 for i in A.nodes[a]["item_labels"])}
    links_1 = {frozenset((u, v)) for u, v, d in A.edges(data=True) if any(section_of[i] == 1 for i in d["items"])}  # fmt: skip
    municipal = {a for a, d in A.nodes(data=True) if d["kind"] == "municipal-government"}
    assert in_section_1 and links_1 and municipal
    assert in_section_1 != set(A) and municipal != set(A)
    page, log = open_view(browser, url(notice["dir"], "agencies"))
    try:
        page.select_option("#yg-f-section", "1")
        assert shown_ids(page) == (in_section_1, links_1)
        page.select_option("#yg-f-section", "")
        page.select_option("#yg-f-kind", "municipal-government")
        nodes, edges = shown_ids(page)
        assert nodes == municipal
        assert edges == {frozenset(e) for e in A.subgraph(municipal).edges}
        page.click("#yg-reset")
        assert shown_ids(page)[0] == set(A)
        # the item view: a section filter keeps exactly that section's items
        page.goto(url(notice["dir"], "bipartite"))
        page.wait_for_function("window.ygView && window.ygView.ready === true")
        page.select_option("#yg-f-section", "2")
        items = {n for n in shown_ids(page)[0] if n.startswith("item:")}
        assert items == {f"item:{label}" for label, s in section_of.items() if s == 2}
        assert_clean(log)
    finally:
        page.context.close()


def test_role_and_theme_filters_on_a_toy_notice(browser, toy):  # noqa: F811
    page, log = open_view(browser, url(toy["dir"], "agencies"))
    try:
        page.select_option("#yg-f-role", "lead")  # leads: 省港澳办 (items 1, 4), 省商务厅 (item 2)
        assert shown_ids(page) == (
            {"gd-hmao", "gd-commerce"},
            {frozenset(("gd-hmao", "gd-commerce"))},
        )
        page.select_option("#yg-f-role", "")
        page.select_option("#yg-f-theme", "CEPA")  # items 2 and 4
        nodes, edges = shown_ids(page)
        assert nodes == {"gd-hmao", "gd-commerce", "shenzhen-gov", "xss-agency"}
        assert frozenset(("gd-hmao", "gd-commerce")) not in edges  # they share item 1 only
        assert frozenset(("gd-hmao", "shenzhen-gov")) in edges
        assert_clean(log)
    finally:
        page.context.close()


def test_colour_size_and_physics_switches(browser, notice):  # noqa: F811
    page, log = open_view(browser, url(notice["dir"], "agencies"))
    try:

        def colours():
            return page.evaluate("Object.fromEntries(ygView.nodes.get().map(n => [n.id, n.color.background]))")  # fmt: skip

        def sizes():
            return page.evaluate("Object.fromEntries(ygView.nodes.get().map(n => [n.id, n.size]))")

        by_kind, by_items = colours(), sizes()
        assert "单位类型" in page.inner_text("#yg-legend")
        page.select_option("#yg-colour", "community")
        assert colours() != by_kind
        assert "社区 community" in page.inner_text("#yg-legend")
        page.select_option("#yg-size", "weighted_degree")
        assert sizes() != by_items
        page.check("#yg-physics")
        assert page.evaluate("ygView.network.physics.options.enabled") is True
        page.uncheck("#yg-physics")
        assert page.evaluate("ygView.network.physics.options.enabled") is False
        assert_clean(log)
    finally:
        page.context.close()


def test_export_png_downloads_the_canvas(browser, notice, tmp_path):  # noqa: F811
    page, log = open_view(browser, url(notice["dir"], "places"))
    try:
        with page.expect_download() as info:
            page.click("#yg-png")
        download = info.value
        assert download.suggested_filename == "places.png"
        target = tmp_path / "places.png"
        download.save_as(target)
        data = target.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
        assert_clean(log)
    finally:
        page.context.close()


# ---- safety ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", VIEWS)
def test_injected_markup_executes_nothing(browser, toy, name):  # noqa: F811
    page, log = open_view(browser, url(toy["dir"], name))
    try:
        # search for the payload agency, open its panel, hover every node (own tooltips)
        page.fill("#yg-search", "onerror")
        assert XSS_NAME in page.inner_text("#yg-results")
        page.fill("#yg-search", "xss-agency")
        page.press("#yg-search", "Enter")
        panel = page.inner_text("#yg-panel")
        assert XSS_NAME in panel and XSS_FULL in panel
        for node in page.evaluate("ygView.nodes.getIds()"):
            page.evaluate("id => ygView.select(id)", node)
            pos = page.evaluate(
                "id => ygView.network.canvasToDOM(ygView.network.getPositions([id])[id])", node
            )
            box = page.locator("#yg-network").bounding_box()
            page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
            page.wait_for_timeout(50)
        if name in ("agencies", "bipartite"):
            page.evaluate("ygView.select('item:2') || ygView.select('xss-agency')")
            assert XSS_TEXT in page.inner_text("#yg-panel")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ygPwned") == []
        assert page.evaluate("document.querySelectorAll('img, iframe, a[href^=javascript]').length") == 0  # fmt: skip
        assert page.evaluate("document.scripts.length") == 3
        assert_clean(log)
    finally:
        page.context.close()


def test_the_payload_would_have_fired_through_innerhtml(browser, toy):  # noqa: F811
    """Control: the hooks do catch the payload when markup IS parsed, so the test above can fail."""
    page, log = open_view(browser, url(toy["dir"], "agencies"))
    try:
        page.evaluate(
            "name => { const d = document.createElement('div'); d.innerHTML = name;"
            " document.body.appendChild(d); }",
            XSS_NAME,
        )
        page.wait_for_function("window.__ygPwned.length > 0")
        assert page.evaluate("window.__ygPwned") == ["alert:1"]
    finally:
        page.context.close()


# ---- notebook display -----------------------------------------------------------------------------------


def test_notebook_iframe_runs_the_view_offline(browser, notice):  # noqa: F811
    A = notice["graphs"]["agencies"]
    html = (notice["dir"] / "agencies.html").read_text(encoding="utf-8")
    wrapper = notice["dir"] / "notebook-output.html"
    wrapper.write_text(
        "<!DOCTYPE html><meta charset='utf-8'><div class='output'>"
        + notebook.inline(html, height=600)._repr_html_()
        + "</div>",
        encoding="utf-8",
    )
    page, log = open_view(browser, wrapper.as_uri(), ready=False)
    try:
        frame = page.frames[1]
        frame.wait_for_function("window.ygView && window.ygView.ready === true", timeout=60_000)
        assert frame.evaluate("ygView.nodes.length") == len(A)
        assert frame.evaluate("ygView.edges.length") == A.number_of_edges()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "notebook-iframe.png"))
        assert_clean(log)
    finally:
        page.context.close()
