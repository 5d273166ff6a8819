"""Interactive views as files: self-contained, offline, escaped, deterministic, graphs untouched.

What the pages do in a browser is tested in ``test_views_browser.py``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from browser_fixtures import XSS_FULL, XSS_NAME, XSS_TEXT, synthetic_networks

from graph.views import notebook
from graph.views import render as views
from graph.views.page import inline_script, layout_positions, pack_data, script_json, unpack_data

DATA_RE = re.compile(r'<script type="application/json" id="yg-data">(.*?)</script>', re.S)
VENDOR = Path(views.__file__).parent / "templates" / "vendor" / "vis-network.min.js"
LOADING_TAGS = {"link", "iframe", "img", "object", "embed", "source", "video", "audio", "base",
                "frame", "track", "input"}  # fmt: skip
VIEW_HREFS = {"agencies.html", "bipartite.html", "themes.html", "places.html", "index.html"}


class TagCollector(HTMLParser):
    """Start tags and attributes as a browser's parser sees them (text and scripts excluded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def loading_markup(html: str) -> list:
    """Tags or attributes of *html* that would make a browser fetch something."""
    collector = TagCollector()
    collector.feed(html)
    bad = []
    for tag, attrs in collector.tags:
        if tag in LOADING_TAGS and not (tag == "input" and "src" not in attrs):
            bad.append((tag, attrs))
        for name in ("src", "srcset", "poster", "data", "background", "action", "formaction"):
            if name in attrs:
                bad.append((tag, name, attrs[name]))
        if "href" in attrs and attrs["href"] not in VIEW_HREFS:
            bad.append((tag, "href", attrs["href"]))
    return bad


def page_data(html: str) -> dict:
    """The JSON data block of a view page, decoded."""
    match = DATA_RE.search(html)
    assert match, "no data block"
    return unpack_data(json.loads(match.group(1)))


def snapshot(G: nx.Graph) -> tuple:
    return (
        copy.deepcopy(dict(G.graph)),
        [(n, copy.deepcopy(d)) for n, d in G.nodes(data=True)],
        [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)],
    )


@pytest.fixture(scope="module")
def toy() -> dict:
    return synthetic_networks()


@pytest.fixture(scope="module")
def toy_pages(toy) -> dict[str, str]:
    A, B, T, P = toy["A"], toy["B"], toy["T"], toy["P"]
    return {
        "agencies": views.render_agency_view(A, bipartite=B),
        "bipartite": views.render_bipartite_view(B),
        "themes": views.render_theme_view(T, B),
        "places": views.render_place_view(P, B),
        "index": views.render_index(A, B, T, P),
    }


@pytest.fixture(scope="module")
def notice_dir(tmp_path_factory) -> Path:
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    out = tmp_path_factory.mktemp("views")
    index = views.write_all_views(build_graph([extract_file(None)]), out)
    assert index == out / "index.html"
    return out


def drawn(data: dict) -> tuple[set, set]:
    nodes = {n["id"] for n in data["nodes"]}
    edges = {frozenset((e["from"], e["to"])) for e in data["edges"]}
    return nodes, edges


def graph_sets(G: nx.Graph) -> tuple[set, set]:
    return {str(n) for n in G}, {frozenset((str(u), str(v))) for u, v in G.edges}


# ---- offline and escaped ----------------------------------------------------------------------


def test_every_generated_file_has_nothing_to_load(toy_pages, notice_dir):
    files = {f"toy {k}": v for k, v in toy_pages.items()}
    files |= {p.name: p.read_text(encoding="utf-8") for p in sorted(notice_dir.iterdir())}
    assert len(files) == 10
    for name, html in files.items():
        # no absolute or scheme-relative URL anywhere, inlined vis-network included
        for needle in ("http:", "https:", "://", "sourceMappingURL", "@import"):
            assert needle not in html, (name, needle)
        if name not in ("toy index", "index.html"):
            assert "javascript:" not in DATA_RE.search(html).group(1), name
        assert loading_markup(html) == [], name
        styles = " ".join(re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.S))
        assert "url(" not in styles, name
        assert not re.search(r"<script\b[^>]*\bsrc\b", html), name  # every script inline
    # the check itself sees what pyvis's template does (Bootstrap from a CDN) and an image
    assert len(loading_markup('<link rel="stylesheet" href="https://cdn/x.css"><img src=x>')) == 4


def test_vendored_vis_network_is_the_pyvis_copy_and_inlines_without_urls():
    source = VENDOR.read_text(encoding="utf-8")
    digest = hashlib.sha256(VENDOR.read_bytes()).hexdigest()
    assert digest in (VENDOR.parent / "README.md").read_text(encoding="utf-8")
    assert "sourceMappingURL" in source and "://" in source  # what inlining must remove
    inlined = inline_script(source)
    assert "sourceMappingURL" not in inlined and "://" not in inlined and "http:" not in inlined
    # the SVG namespace is still the same JavaScript string, only written with escapes
    assert '"http\\u003a\\/\\/www.w3.org/2000/svg"' in inlined
    with pytest.raises(ValueError, match="</script"):
        inline_script('var s = "</script>";')


def test_script_json_cannot_close_the_script_element_and_round_trips():
    data = {"t": "</script><!-- <img src=x onerror=alert(1)> & \u2028 https://x javascript:1"}
    text = script_json(data)
    assert not set("<>&") & set(text) and "\u2028" not in text
    assert "://" not in text and "https:" not in text and "javascript:" not in text
    assert json.loads(text) == data


def test_packed_page_data_unpacks_to_the_records_and_back(toy_pages):
    for name, html in toy_pages.items():
        if name == "index":
            continue
        block = json.loads(DATA_RE.search(html).group(1))
        assert "E" in block and "edges" not in block, name  # the edges went into columns
        assert pack_data(unpack_data(block)) == block, name
    agency = next(n for n in page_data(toy_pages["agencies"])["nodes"] if n["id"] == "gd-hmao")
    assert agency["a"] == [["1", "lead"], ["4", "lead"]]


def test_pack_data_keeps_what_its_columns_cannot_hold():
    nodes = [
        {"id": "a", "a": [["2", None], ["10", "lead"]]},
        {"id": "b", "a": [["x", 3]]},  # a role that is not text: kept as it is
        {"id": "c", "a": []},
    ]
    edges = [
        {"id": "e0", "from": "a", "to": "b", "w": 1.5, "items": [], "weight": 0},
        {"id": "e1", "from": "b", "to": "c", "w": 1, "items": ["10", "2"], "role": "lead"},
    ]
    data = {"nodes": nodes, "edges": edges, "view": "agencies"}
    packed = pack_data(data)
    assert packed["nodes"][0]["a"] == "0 1.1" and packed["nodes"][1]["a"] == [["x", 3]]
    assert packed["E"]["items"] == ["", "1 0"] and "id" not in packed["E"]
    assert unpack_data(packed) == data and data["nodes"][0]["a"][1] == ["10", "lead"]  # unchanged
    for odd in ({"newman": 0.5}, {"role": None}, {"id": "p7"}):
        changed = {**data, "edges": [{**edges[0], **odd}, edges[1]]}
        assert unpack_data(pack_data(changed)) == changed, odd
    assert "edges" in pack_data({**data, "edges": [{**edges[0], "newman": 0.5}]})


def test_document_text_appears_only_escaped(toy_pages):
    for name, html in toy_pages.items():
        for payload in (XSS_NAME, XSS_FULL, XSS_TEXT, "<script>alert(3)</script>", "<img src=x"):
            assert payload not in html, (name, payload)
        if name != "index":
            data = page_data(html)
            everything = json.dumps(data, ensure_ascii=False)
            assert XSS_NAME.replace('"', '\\"') in everything  # carried as data, intact
    index = toy_pages["index"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in index  # escaped in the summary table


def test_pages_name_the_cjk_font_stack(toy_pages):
    stack = (
        '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif'
    )
    for html in toy_pages.values():
        assert stack in html
        assert '<meta charset="utf-8">' in html


# ---- content: what each view draws ----------------------------------------------------------------


def test_agency_view_draws_the_agency_network_with_items_and_measures(toy, toy_pages):
    data = page_data(toy_pages["agencies"])
    assert drawn(data) == graph_sets(toy["A"])
    hmao = next(n for n in data["nodes"] if n["id"] == "gd-hmao")
    assert hmao["label"] == "省港澳办"
    assert hmao["info"]["full_name"] == "广东省人民政府港澳事务办公室"
    assert hmao["info"]["label_en"].startswith("Hong Kong and Macao")
    assert hmao["a"] == [["1", "lead"], ["4", "lead"]]
    assert data["items"]["1"]["text"] == "推进港珠澳大桥建设。"
    measures = dict(hmao["info"]["measures"])
    assert measures["介数 betweenness"] == toy["A"].nodes["gd-hmao"]["betweenness"]
    assert {m["id"] for m in data["modes"]["colour"]} == {"kind", "community"}
    assert {m["id"] for m in data["modes"]["size"]} == {"items", "weighted_degree"}
    # edge width grows with shared items
    widths = {frozenset((e["from"], e["to"])): e["w"] for e in data["edges"]}
    heavy = frozenset(("gd-commerce", "shenzhen-gov"))
    assert toy["A"].edges["gd-commerce", "shenzhen-gov"]["weight"] == 1
    assert len(set(widths.values())) == 1 and heavy in widths  # all weights 1 → one width
    # filters offered: sections, themes, kinds, roles of the data
    assert [s for s, _ in data["filters"]["section"]] == ["1", "2", "3"]
    assert {r for r, _ in data["filters"]["role"]} == {"lead", "support", "responsible"}


def test_bipartite_view_colours_items_by_section(toy, toy_pages):
    data = page_data(toy_pages["bipartite"])
    assert drawn(data) == graph_sets(toy["B"])
    section_mode = data["modes"]["colour"][0]
    assert section_mode["id"] == "section"
    colour = {e["key"]: e["color"] for e in section_mode["legend"]}
    items = [n for n in data["nodes"] if n["t"] == "item"]
    assert {n["c"]["section"] for n in items} == {"1", "2", "3"}
    assert len(set(colour.values())) == 3
    roles = {frozenset((e["from"], e["to"])): e["role"] for e in data["edges"]}
    assert roles[frozenset(("gd-hmao", "item:1"))] == "lead"


def test_theme_view_draws_themes_agencies_and_items(toy, toy_pages):
    data = page_data(toy_pages["themes"])
    G = views.theme_view_graph(toy["T"], toy["B"])
    assert drawn(data) == graph_sets(G)
    nodes, edges = graph_sets(toy["T"])
    assert nodes <= drawn(data)[0] and edges <= drawn(data)[1]
    # item 2 names CEPA and the payload theme; item 3 names none and is not drawn
    assert {frozenset(("item:2", "theme:cepa")), frozenset(("item:2", "theme:xss"))} <= drawn(data)[
        1
    ]
    assert "item:3" not in drawn(data)[0]
    assert {n["t"] for n in data["nodes"]} == {"theme", "agency", "item"}


def test_place_view_puts_places_at_their_coordinates(toy, toy_pages):
    data = page_data(toy_pages["places"])
    assert drawn(data) == graph_sets(toy["P"])
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    # screen y grows downwards: north is smaller y, east is larger x
    assert pos["place:shenzhen"][1] < pos["place:macao"][1]
    assert (
        pos["place:hk"][0] > pos["place:zhuhai"][0] and pos["place:hk"][0] > pos["place:macao"][0]
    )
    # Beijing is not on the map of Guangdong: it has a box in the strip of far places
    assert [f["id"] for f in data["map"]["far"]] == ["place:beijing"]
    assert "place:beijing" not in data["map"]["anchors"]


def test_endpoint_links_resource_pages_only_when_asked(toy):
    A, B = toy["A"], toy["B"]
    plain = page_data(views.render_agency_view(A, bipartite=B))
    assert not any("link" in n for n in plain["nodes"])
    html = views.render_bipartite_view(B, endpoint="http://127.0.0.1:7878/")
    links = {n["id"]: n.get("link") for n in page_data(html)["nodes"]}
    assert links["gd-hmao"] == "http://127.0.0.1:7878/agency/gd-hmao"
    assert links["item:2"] == "http://127.0.0.1:7878/doc/toy/item/2"
    assert "://" not in html  # the link lives in the escaped data block


def test_index_links_every_view_and_summarises(toy_pages, notice_dir):
    for index in (toy_pages["index"], (notice_dir / "index.html").read_text(encoding="utf-8")):
        hrefs = re.findall(r'<a href="([^"]+)"', index)
        assert hrefs == ["agencies.html", "bipartite.html", "themes.html", "places.html"]
        assert "<table>" in index
    index = toy_pages["index"]
    for text in (
        "省港澳办",
        "广东省人民政府港澳事务办公室",
        "跨界基础设施",
        "CEPA",
        "香港",
        "Beijing",
    ):
        assert text in index
    assert all((notice_dir / h).is_file() for h in hrefs)


# ---- determinism and purity ---------------------------------------------------------------------------


def test_rendering_does_not_mutate_the_graphs(toy):
    A, B, T, P = (synthetic_networks()[k] for k in "ABTP")
    before = [snapshot(G) for G in (A, B, T, P)]
    views.render_agency_view(A, bipartite=B, endpoint="http://x")
    views.render_bipartite_view(B)
    views.render_theme_view(T, B)
    views.render_place_view(P, B)
    views.render_index(A, B, T, P)
    assert [snapshot(G) for G in (A, B, T, P)] == before


def test_same_input_gives_the_same_bytes_whatever_the_insertion_order(toy, toy_pages):
    def reversed_copy(G: nx.Graph) -> nx.Graph:
        H = nx.Graph()
        H.add_nodes_from(reversed(list(G.nodes(data=True))))
        H.add_edges_from((v, u, d) for u, v, d in reversed(list(G.edges(data=True))))
        return H

    A, B, T, P = (reversed_copy(toy[k]) for k in "ABTP")
    assert views.render_agency_view(A, bipartite=B) == toy_pages["agencies"]
    assert views.render_bipartite_view(B) == toy_pages["bipartite"]
    assert views.render_theme_view(T, B) == toy_pages["themes"]
    assert views.render_place_view(P, B) == toy_pages["places"]


def test_write_all_views_is_byte_identical_and_utf8(notice_dir, tmp_path):
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    views.write_all_views(build_graph([extract_file(None)]), tmp_path)
    names = sorted(p.name for p in notice_dir.iterdir())
    assert names == ["agencies.html", "bipartite.html", "index.html", "places.html", "themes.html"]
    for name in names:
        raw = (notice_dir / name).read_bytes()
        assert raw == (tmp_path / name).read_bytes(), name
        text = raw.decode("utf-8")  # strict: the file is UTF-8
        assert "\r\n" not in text
    assert "省港澳办" in (notice_dir / "agencies.html").read_text(encoding="utf-8")


def test_layout_is_deterministic_and_about_a_thousand_wide():
    G = nx.les_miserables_graph()
    pos = layout_positions(G)
    assert pos == layout_positions(G)
    assert all(isinstance(c, int) for p in pos.values() for c in p)
    assert max(abs(c) for p in pos.values() for c in p) == 1000
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot


def test_numpy_attribute_values_are_serialised():
    np = pytest.importorskip("numpy")
    G = nx.Graph()
    G.add_node("a", name="甲", kind="other", items=np.int64(2), betweenness=np.float64(0.25))
    G.add_node("b", name="乙", kind="other", items=np.int64(1), constraint=float("nan"))
    G.add_edge("a", "b", weight=np.int64(1), items=["1"])
    data = page_data(views.render_agency_view(G))
    measures = dict(next(n for n in data["nodes"] if n["id"] == "a")["info"]["measures"])
    assert measures["介数 betweenness"] == 0.25
    assert (
        dict(next(n for n in data["nodes"] if n["id"] == "b")["info"]["measures"])[
            "约束 constraint"
        ]
        is None
    )


# ---- notebook display -----------------------------------------------------------------------------------


def test_notebook_view_embeds_the_page_in_srcdoc_not_a_file(toy_pages, notice_dir):
    page = toy_pages["agencies"]
    shown = notebook.inline(page)._repr_html_()
    match = re.fullmatch(r'<iframe srcdoc="([^"]*)"([^<>]*)></iframe>', shown)
    assert match and " src=" not in match.group(2)
    srcdoc = match.group(1)
    import html as html_lib

    assert html_lib.unescape(srcdoc) == page
    assert 'sandbox="allow-scripts' in shown and "allow-same-origin" not in shown
    from_file = notebook.inline(notice_dir / "agencies.html")
    assert from_file.html == (notice_dir / "agencies.html").read_text(encoding="utf-8")
    with pytest.raises(ValueError):
        notebook.inline("not a page")


def test_readme_shows_a_screenshot_of_every_view():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    for name in [*views.VIEW_FILES, "index"]:
        image = root / "docs" / "images" / f"{name}.png"
        assert f"](docs/images/{name}.png)" in readme, name
        data = image.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and 20_000 < len(data) < 300_000, name


def test_theme_view_adds_the_broader_theme_that_only_a_narrower_one_names():
    T = nx.Graph()
    T.add_node("theme:msr", name="21世纪海上丝绸之路", label_en="MSR", broader=["bri"], bipartite=1)
    T.add_node("gd-hmao", name="省港澳办", kind="provincial-office", bipartite=0)
    T.add_edge("gd-hmao", "theme:msr", weight=1, items=["20"])
    tree = {
        "一带一路": {"id": "bri", "en": "Belt and Road", "broader": []},
        "21世纪海上丝绸之路": {"id": "msr", "en": "MSR", "broader": ["一带一路"]},
    }
    H = views.theme_view_graph(T, None, tree)
    assert H.nodes["theme:bri"]["name"] == "一带一路"
    assert H.edges["theme:msr", "theme:bri"]["broader"] == "theme:bri"
    assert "theme:bri" not in T  # T untouched
    data = page_data(views.render_theme_view(T, None, themes=tree))
    arrows = [(e["from"], e["to"]) for e in data["edges"] if e.get("rel") == "broader"]
    assert arrows == [("theme:msr", "theme:bri")]
    # without the tree the broader theme is unknown: no node is made up for it
    assert "theme:bri" not in views.theme_view_graph(T)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("see HTTPS:x", "HTTPS:"),  # any case
        ("见，http:", "http:"),  # after Chinese punctuation: a new word
        ("第一http:", None),  # after a Chinese letter: inside a word, as str.isalnum says
        ("_http: xhttp: 1ftp:", None),
        ("a://b", "://"),
        ("wss:", "wss:"),
        ("Ws:中", "Ws:"),
    ],
)
def test_find_url_sees_schemes_at_the_start_of_a_word(text, found):
    from graph.views.page import find_url

    assert find_url(text) == found


def test_renders_pause_the_garbage_collector_and_restore_it():
    import gc

    from graph._gc import no_gc

    seen = []
    probe = no_gc(lambda: seen.append(gc.isenabled()))
    assert gc.isenabled()
    probe()
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller who keeps it off keeps it off
    try:
        probe()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_preload_lists_every_page_template():
    from importlib import resources

    from graph.views import page

    folder = resources.files("graph.views.templates")
    html = {p.name for p in folder.iterdir() if p.name.endswith(".html")}
    assert set(page.TEMPLATES) == html
    page.preload()  # every listed template exists and compiles
