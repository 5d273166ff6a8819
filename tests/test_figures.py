"""Static figures: PNG and SVG, Chinese labels drawn with a real CJK font, reproducible."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import matplotlib
import networkx as nx
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from rdflib import Graph

from graph.network import figures
from graph.network.measures import with_measures
from graph.network.networks import agency_network

SMALL = Path(__file__).parent / "fixtures" / "networks" / "small.ttl"


@pytest.fixture(scope="module")
def G():
    return with_measures(agency_network(Graph().parse(SMALL)))


def render(text: str, family: list[str]) -> np.ndarray:
    with matplotlib.rc_context({"font.family": family}):
        fig = Figure(figsize=(2, 1), dpi=80)
        canvas = FigureCanvasAgg(fig)
        fig.text(0.1, 0.4, text, fontsize=20)
        canvas.draw()
        return np.asarray(canvas.buffer_rgba()).copy()


def test_chinese_glyphs_are_not_boxes():
    """Two different Chinese strings look different; with a Latin-only font both are the same
    row of empty boxes (the control shows the check can fail)."""
    family = figures.cjk_font()
    assert not np.array_equal(render("省港澳办", [family]), render("商务厅局", [family]))
    with pytest.warns(UserWarning, match="missing from font"):
        assert np.array_equal(
            render("省港澳办", ["DejaVu Sans"]), render("商务厅局", ["DejaVu Sans"])
        )


def test_network_figure_png_and_svg(G, tmp_path):
    paths = figures.network_figure(G, tmp_path / "net", title="合作网络")
    assert [p.name for p in paths] == ["net.png", "net.svg"]
    image = matplotlib.image.imread(paths[0])
    assert image.shape[0] > 500 and image.shape[1] > 500
    assert image[..., :3].std() > 0.01  # something is drawn
    root = ET.parse(paths[1]).getroot()  # well-formed SVG
    assert root.tag.endswith("svg")
    assert "<text" not in paths[1].read_text(encoding="utf-8")  # glyphs as paths: no font needed


def test_bar_chart_orders_by_measure(G, tmp_path):
    paths = figures.bar_chart(G, tmp_path / "bars", by="weighted_degree", top=3)
    assert [p.suffix for p in paths] == [".png", ".svg"]
    with pytest.raises(ValueError, match="unknown figure format"):
        figures.bar_chart(G, tmp_path / "bars", formats=("bmp",))


def test_figures_are_reproducible(G, tmp_path):
    a = figures.network_figure(G, tmp_path / "a") + figures.bar_chart(G, tmp_path / "c")
    b = figures.network_figure(G, tmp_path / "b") + figures.bar_chart(G, tmp_path / "d")
    for x, y in zip(a, b, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_layout_is_deterministic_and_keeps_components_apart(G):
    pos = figures.layout(G)
    assert pos == figures.layout(G.copy())
    # the isolate sits below the main component
    main_y = min(pos[v][1] for v in ("a", "b", "c", "d"))
    assert pos["unknown-0123456789"][1] < main_y


def test_without_an_installed_cjk_font_the_bundled_one_draws_chinese(monkeypatch):
    monkeypatch.setattr(figures, "CJK_FAMILIES", ("No Such Font SC",))
    family = figures.cjk_font()
    assert family == "WenQuanYi Micro Hei"
    assert not np.array_equal(render("省港澳办", [family]), render("商务厅局", [family]))


def test_missing_cjk_font_is_a_clear_error(G, tmp_path, monkeypatch):
    monkeypatch.setattr(figures, "CJK_FAMILIES", ("No Such Font SC",))
    monkeypatch.setattr(figures, "BUNDLED_FONT", tmp_path / "missing.ttc")
    with pytest.raises(figures.CJKFontMissing, match="fonts-noto-cjk"):
        figures.network_figure(G, tmp_path / "net")
    assert not (tmp_path / "net.png").exists()


# --------------------------------------------------------------------------- labels and legend


@pytest.fixture(scope="module")
def notice_network():
    import warnings

    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return with_measures(agency_network(build_graph([extract_file(None)])))


def _drawn(G):
    with matplotlib.rc_context(figures._rc()):
        fig = Figure(figsize=(15, 12))
        ax = fig.add_subplot()
        ax.set_axis_off()
        drawn = figures.draw_network(ax, G)
        renderer = FigureCanvasAgg(fig).get_renderer()
        boxes = {t.get_text(): t.get_window_extent(renderer) for t in drawn["texts"]}
    return drawn, boxes


def test_no_label_lies_across_a_node_or_another_label(notice_network):
    drawn, boxes = _drawn(notice_network)
    names = {d["name"] for _, d in notice_network.nodes(data=True)}
    assert set(boxes) == names and drawn["left_out"] == []  # every agency is named
    listed = list(boxes.items())
    for i, (a, box) in enumerate(listed):
        for b, other in listed[i + 1 :]:
            assert not box.overlaps(other), (a, b)
        for v, (x, y, r) in drawn["circles"].items():
            nearest_x = min(max(x, box.x0), box.x1)
            nearest_y = min(max(y, box.y0), box.y1)
            assert (nearest_x - x) ** 2 + (nearest_y - y) ** 2 >= r * r, (a, v)


def test_overlap_check_catches_a_label_on_a_node(notice_network):
    # positive control: the same measure flags a label drawn on top of its own node
    drawn, boxes = _drawn(notice_network)
    x, y, r = next(iter(drawn["circles"].values()))
    box = next(iter(boxes.values()))
    moved = box.translated(x - box.x0 - 1, y - box.y0 - 1)
    nearest_x, nearest_y = min(max(x, moved.x0), moved.x1), min(max(y, moved.y0), moved.y1)
    assert (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r


def test_legend_names_every_community_colour(notice_network):
    drawn, _ = _drawn(notice_network)
    G = notice_network
    sizes = Counter(d["community"] for _, d in G.nodes(data=True))
    several = sorted(c for c, n in sizes.items() if n > 1)
    alone = sum(1 for n in sizes.values() if n == 1)
    texts = [text for _, text in drawn["legend"]]
    assert [t.split(":")[0] for t in texts[: len(several)]] == [
        f"社区 community {c}" for c in several
    ]
    assert texts[-1].endswith(f"one-agency communities ({alone})")
    colours = [c for c, _ in drawn["legend"]]
    assert len(set(colours)) == len(colours)  # one colour per entry


# --------------------------------------------------------------------------- large networks


@pytest.fixture(scope="module")
def large_network():
    """400 agencies in one component (above Kamada–Kawai's limit and the labelling limit),
    with a few hubs."""
    base = nx.barabasi_albert_graph(400, 3, seed=7)
    G = nx.Graph()
    for v in base:
        G.add_node(f"ag-{v:03d}", name=f"单位{v:03d}", items=1 + base.degree(v), community=v % 5)
    G.add_edges_from(
        (f"ag-{u:03d}", f"ag-{v:03d}", {"weight": 1 + (u + v) % 3}) for u, v in base.edges
    )
    return G


def test_a_large_network_is_laid_out_the_same_way_every_time(large_network):
    first = figures.layout(large_network)
    again = figures.layout(large_network.copy())
    assert first == again
    xs = [p[0] for p in first.values()]
    assert len(set(xs)) > 390  # spread out, not collapsed onto a few points


def test_a_large_network_names_its_largest_agencies_and_no_label_covers_another(large_network):
    drawn, boxes = _drawn(large_network)
    assert 0 < len(boxes) <= figures.LABELLED_MAX
    largest = sorted(large_network, key=lambda v: (-large_network.nodes[v]["items"], v))
    named = {large_network.nodes[v]["name"] for v in largest[: figures.LABELLED_MAX]}
    assert set(boxes) <= named
    assert large_network.nodes[largest[0]]["name"] in boxes  # the biggest hub is named
    listed = list(boxes.values())
    for i, box in enumerate(listed):
        assert not any(box.overlaps(other) for other in listed[i + 1 :])
