"""Search in every view, theme hierarchy and panel order, in headless Chromium on the bundled notice.

The search box says it finds names, item numbers and text: an item number, a theme (with its
narrower themes), a place or a phrase of item text lights the agencies of the matching items.
Expected answers come from the networkx graphs of the same RDF graph, never from a table.
"""

from __future__ import annotations

import re

import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.views import render as views

pytestmark = pytest.mark.browser
VIEWS = ["agencies", "bipartite", "themes", "places"]
DIMMED = "rgba(200"  # view.js dims what is not highlighted to rgba(200,200,200,0.35)


@pytest.fixture(scope="module")
def built(tmp_path_factory, rdf_graph) -> dict:
    """The bundled notice's views, its item network and its theme hierarchy."""
    from graph.network import networks

    out = tmp_path_factory.mktemp("search-views")
    views.write_all_views(rdf_graph, out)
    corpus = networks.load_corpus(rdf_graph)
    B = networks.bipartite_network(corpus)
    nodes = {
        "agencies": set(networks.agency_network(corpus)),
        "bipartite": set(B),
        "themes": set(networks.theme_network(corpus)),
        "places": set(networks.place_network(corpus)),
    }
    broader = {t.name: {corpus.themes[b].name for b in t.broader} for t in corpus.themes.values()}
    return {"dir": out, "B": B, "nodes": nodes, "broader": broader}


def items_where(B, test) -> set[str]:
    return {d["label"] for _, d in B.nodes(data=True) if d.get("bipartite") == 1 and test(d)}


def agencies_of(B, labels: set[str]) -> set[str]:
    return {str(a) for label in labels for a in B[f"item:{label}"]}


def narrower_closure(broader: dict[str, set[str]], name: str) -> set[str]:
    out, grew = {name}, True
    while grew:
        more = {t for t, bs in broader.items() if bs & out} - out
        grew = bool(more)
        out |= more
    return out


def lit_agencies(page, view_nodes: set[str]) -> set[str]:
    """Agencies drawn in full colour (everything else dimmed) after a search."""
    colours = page.evaluate("Object.fromEntries(ygView.nodes.get().map(n => [n.id, n.color.background]))")  # fmt: skip
    assert any(c.startswith(DIMMED) for c in colours.values()), "nothing is dimmed"
    return {
        n
        for n, c in colours.items()
        if not c.startswith(DIMMED) and n in view_nodes and ":" not in n
    }


def search(page, query: str, pick: str | None = None) -> None:
    """Type *query*; press Enter (the first hit) or click the hit whose label starts with *pick*."""
    page.fill("#yg-search", query)
    if pick is None:
        page.press("#yg-search", "Enter")
    else:
        page.locator("#yg-results li", has_text=pick).first.dispatch_event("mousedown")


@pytest.mark.parametrize("view", VIEWS)
def test_search_finds_agencies_by_item_number_theme_place_and_phrase(browser, built, view):  # noqa: F811
    B, broader = built["B"], built["broader"]
    view_nodes = {str(n) for n in built["nodes"][view]}
    by_number = items_where(B, lambda d: d["label"] == "24")
    belt = narrower_closure(broader, "一带一路")
    assert len(belt) > 1, "一带一路 should have a narrower theme in the bundled themes"
    by_theme = items_where(B, lambda d: bool(set(d["themes"]) & belt))
    direct = items_where(B, lambda d: "一带一路" in d["themes"])
    assert by_theme > direct  # positive control: the narrower theme adds items
    by_place = items_where(B, lambda d: "横琴" in d["places"])
    by_phrase = items_where(B, lambda d: "青年" in d["text"])
    assert by_number and by_place and 1 < len(by_phrase) < len(items_where(B, lambda d: True))
    cases = [
        ("24", None, by_number),
        ("一带一路", None, by_theme),
        ("横琴", "地点", by_place),
        ("青年", "文本", by_phrase),
    ]
    page, log = open_view(browser, (built["dir"] / f"{view}.html").as_uri())
    try:
        for query, pick, labels in cases:
            search(page, query, pick)
            expected = agencies_of(B, labels) & view_nodes
            assert expected, (view, query)
            assert lit_agencies(page, view_nodes) == expected, (view, query)
            panel = page.inner_text("#yg-panel")
            for label in sorted(labels)[:5]:
                assert f"第{label}项" in panel, (view, query, label)
        # an agency name still finds the agency itself
        search(page, "省港澳办")
        assert page.evaluate("ygView.network.getSelectedNodes()") == ["gd-hmao"]
        assert log.blocked == [] and log.errors == []
    finally:
        page.context.close()


def test_theme_view_links_narrower_to_broader_and_counts_both(browser, built):  # noqa: F811
    B, broader = built["B"], built["broader"]
    page, log = open_view(browser, (built["dir"] / "themes.html").as_uri())
    try:
        edges = page.evaluate(
            "ygView.data.edges.filter(e => e.rel === 'broader').map(e => [e.from, e.to])"
        )
        names = page.evaluate(
            "Object.fromEntries(ygView.data.nodes.filter(n => n.t === 'theme').map(n => [n.id, n.label]))"
        )
        links = {(names[a], names[b]) for a, b in edges}  # drawn as arrows narrower → broader
        expected = {(t, b) for t, bs in broader.items() for b in bs if t in names.values()}
        assert links == expected and expected
        page.evaluate("ygView.select('theme:belt-and-road')")
        panel = page.inner_text("#yg-panel")
        total = items_where(
            B, lambda d: bool(set(d["themes"]) & narrower_closure(broader, "一带一路"))
        )
        own = items_where(B, lambda d: "一带一路" in d["themes"])
        assert f"Items ({len(total)}) = {len(own)} + {len(total) - len(own)}" in panel
        for label in total - own:
            assert re.search(rf"第{label}项\s*经 21世纪海上丝绸之路", panel), panel
        assert log.errors == []
    finally:
        page.context.close()


def test_side_panel_lists_item_numbers_in_numeric_order(browser, built):  # noqa: F811
    B = built["B"]
    page, log = open_view(browser, (built["dir"] / "themes.html").as_uri())
    try:
        page.evaluate("ygView.select('theme:belt-and-road')")
        panel = page.inner_text("#yg-panel")
        items_part, _, neighbours_part = panel.partition("Neighbours")
        for part in (items_part, neighbours_part):
            numbers = [int(n) for n in re.findall(r"第(\d+)项", part)]
            assert len(numbers) > 2
            # positive control: these numbers sorted as text would come out in another order
            assert sorted(numbers, key=str) != sorted(numbers)
            assert numbers == sorted(numbers)
        assert {str(n) for n in re.findall(r"第(\d+)项", items_part)} <= items_where(
            B, lambda d: True
        )
        assert log.errors == []
    finally:
        page.context.close()


def test_index_counts_a_themes_narrower_items_like_the_view(built):
    html = (built["dir"] / "index.html").read_text(encoding="utf-8")
    B, broader = built["B"], built["broader"]
    total = items_where(B, lambda d: bool(set(d["themes"]) & narrower_closure(broader, "一带一路")))
    row = re.search(
        r"<td>一带一路</td>\s*<td>[^<]*</td>\s*<td[^>]*>\d+</td>\s*<td[^>]*>(\d+)</td>", html
    )
    assert row, "no 一带一路 row in the index's theme table"
    assert int(row.group(1)) == len(total)
