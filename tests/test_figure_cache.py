"""The report's figures come from the figure cache when the same network was drawn before:
the same bytes as a fresh drawing, drawn afresh when anything they show changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.network import figure_cache
from graph.network.report import write_report

SMALL = Path(__file__).parent / "fixtures" / "networks" / "small.ttl"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty figure cache of this test's own."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(figure_cache, "_folder", lambda: folder)
    monkeypatch.setenv("YUEGANG_FIGURE_CACHE", "1")
    monkeypatch.delenv("YUEGANG_CACHE", raising=False)
    return folder


def _figure_bytes(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "figures").iterdir())}


def test_a_cached_figure_is_the_figure_drawn_afresh(cache, tmp_path, monkeypatch):
    g = Graph().parse(SMALL)
    write_report(g, tmp_path / "first")
    assert len(list(cache.iterdir())) == 6  # three figures, PNG and SVG
    from graph.network import figures

    def no_drawing(*args, **kwargs):
        raise AssertionError("drawn although cached")

    monkeypatch.setattr(figures, "network_figure", no_drawing)
    monkeypatch.setattr(figures, "bar_chart", no_drawing)
    second = write_report(g, tmp_path / "second")
    monkeypatch.undo()  # drawing again, and the cache switched off
    monkeypatch.setenv("YUEGANG_FIGURE_CACHE", "0")
    fresh = write_report(g, tmp_path / "fresh")
    assert _figure_bytes(tmp_path / "second") == _figure_bytes(tmp_path / "fresh")
    assert _figure_bytes(tmp_path / "first") == _figure_bytes(tmp_path / "fresh")
    for key in ("html", "markdown"):
        assert second[key].read_bytes() == fresh[key].read_bytes(), key


def test_a_changed_network_is_drawn_afresh(cache, tmp_path):
    from graph.network.networks import agency_network, load_corpus

    g = Graph().parse(SMALL)
    G = agency_network(load_corpus(g))
    key = figure_cache.figure_key("network", G, {"title": "t"})
    renamed = G.copy()
    first = next(iter(renamed))
    renamed.nodes[first]["name"] = "改名了"
    assert figure_cache.figure_key("network", renamed, {"title": "t"}) != key
    fewer = G.copy()
    fewer.remove_edge(*next(iter(G.edges)))
    assert figure_cache.figure_key("network", fewer, {"title": "t"}) != key
    assert figure_cache.figure_key("network", G, {"title": "T"}) != key
    assert figure_cache.figure_key("network", G.copy(), {"title": "t"}) == key


def test_the_cache_can_be_switched_off(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("YUEGANG_FIGURE_CACHE", "0")
    write_report(Graph().parse(SMALL), tmp_path / "out")
    assert not cache.exists()
    assert (tmp_path / "out" / "figures" / "network.png").is_file()


def test_a_half_written_entry_is_not_used(cache, tmp_path):
    g = Graph().parse(SMALL)
    write_report(g, tmp_path / "first")
    for svg in cache.glob("*.svg"):
        svg.unlink()  # PNG without its SVG: drawn again, both kept
    write_report(g, tmp_path / "second")
    assert len(list(cache.glob("*.svg"))) == 3
    assert _figure_bytes(tmp_path / "first") == _figure_bytes(tmp_path / "second")
