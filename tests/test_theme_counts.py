"""One theme rule everywhere: a theme's items include its narrower themes' items.

Item 20 of the bundled notice is tagged 21世纪海上丝绸之路 only, a narrower theme of 一带一路, so
一带一路 has 13 items, not 12. Every place that shows a count per theme must say the same: the
index page's theme table, the themes view's data (``theme_view_graph``), the ready-made query
``items-by-theme`` (the notebooks' helper ``run_query``), the report's theme table and the
agency–theme network the notebooks read (edges per theme, as notebook 03 counts them). The
expected counts are computed another way: from the extraction dict and the theme list's
``broader`` links.
"""

from __future__ import annotations

import html
import re
import warnings

import pytest

from graph.extract.gazetteer import load_themes


def expected_counts(notice: dict) -> dict[str, int]:
    """Items per theme name, narrower themes included, from the extraction and the theme list."""
    themes = load_themes()
    name_of = {t.id: t.name for t in themes}
    broader = {t.name: name_of.get(t.broader) for t in themes}
    counts: dict[str, set[int]] = {}
    for item in notice["items"]:
        for tag in item["themes"]:
            name = tag
            while name:
                counts.setdefault(name, set()).add(item["number"])
                name = broader.get(name)
    return {name: len(items) for name, items in counts.items()}


@pytest.fixture(scope="module")
def networks(rdf_graph):
    from graph.network import networks as n
    from graph.network.measures import with_measures

    corpus = n.load_corpus(rdf_graph)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        A = with_measures(n.agency_network(corpus))
    return corpus, A, n.bipartite_network(corpus), n.theme_network(corpus), n.place_network(corpus)


def test_the_bundled_notice_has_a_narrower_theme_item(notice):
    expected = expected_counts(notice)
    direct = sum("一带一路" in i["themes"] for i in notice["items"])
    assert expected["一带一路"] == direct + 1 == 13  # item 20, tagged 21世纪海上丝绸之路
    assert any(i["number"] == 20 and "21世纪海上丝绸之路" in i["themes"] for i in notice["items"])


def test_index_page_counts(notice, networks):
    from graph.views.render import render_index

    _, A, B, T, P = networks
    page = render_index(A, B, T, P)
    table = page[page.index("<h2>主题 Themes</h2>") :]
    table = table[: table.index("</table>")]
    rows = re.findall(
        r"<tr><td>([^<]*)</td><td>[^<]*</td><td[^>]*>\d+</td><td[^>]*>(\d+)</td>", table
    )
    assert {html.unescape(name): int(n) for name, n in rows} == expected_counts(notice)


def test_views_data_counts(notice, networks):
    from graph.views.render import theme_view_graph

    _, _, B, T, _ = networks
    G = theme_view_graph(T, B)
    got = {d["name"]: d["items"] for v, d in G.nodes(data=True) if str(v).startswith("theme:")}
    assert got == expected_counts(notice)


def test_query_counts(notice, rdf_graph):
    from graph.rdf.query import open_store, run_query

    store = open_store(rdf_graph)
    got = {
        theme: len(
            set(run_query("items-by-theme", store, params={"theme": theme}).column("number"))
        )
        for theme in expected_counts(notice)
    }
    assert got == expected_counts(notice)


def test_report_counts(notice, rdf_graph):
    from graph.network.report import build_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = build_report(rdf_graph)
    assert {row[0]: int(row[2]) for row in report["themes"]} == expected_counts(notice)


def test_notebook_counts(notice, networks):
    """Notebook 03, section 1: items per theme from the agency–theme network's edges."""
    from graph.network.exports import edges_frame

    _, _, _, T, _ = networks
    links = edges_frame(T)
    per_theme = links.assign(item=links["items"].str.split(";")).explode("item")
    got = per_theme.groupby("target")["item"].nunique()
    assert {T.nodes[t]["name"]: int(n) for t, n in got.items()} == expected_counts(notice)
    # and the node attribute says the same
    assert {
        d["name"]: d["items"] for v, d in T.nodes(data=True) if str(v).startswith("theme:")
    } == expected_counts(notice)
