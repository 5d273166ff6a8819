"""Results kept in the user cache folder (graph._cache): the SHACL check of the same triples, the
layout of the same network and the ontology's page come back as computed afresh, and anything
they depend on changing computes them again."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graph import _cache
from graph.rdf import validate as validation
from graph.rdf.build import build_nt
from graph.views import page


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty user cache folder of this test's own, every cache switched on."""
    folder = tmp_path / "cache"
    monkeypatch.setattr(_cache, "folder", lambda kind: folder / kind)
    for variable in ("YUEGANG_CACHE", "YUEGANG_SHACL_CACHE", "YUEGANG_LAYOUT_CACHE"):
        monkeypatch.delenv(variable, raising=False)
    return folder


def _no(what: str):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{what} although kept in the cache")

    return refuse


@pytest.fixture(scope="module")
def notice_nt(notice) -> bytes:
    return build_nt([notice])


def test_a_kept_shacl_check_is_the_check_made_afresh(cache, notice_nt, monkeypatch):
    first = validation.validate_nt(notice_nt)
    assert first[0] is True and first[2] == notice_nt.count(b"\n")
    assert len(list((cache / "shacl").iterdir())) == 1
    with monkeypatch.context() as m:
        m.setattr(validation, "validate", _no("checked"))
        assert validation.validate_nt(notice_nt) == first


def test_a_graph_that_does_not_conform_is_kept_as_not_conforming(cache, monkeypatch):
    # an item with no text and no section breaks shapes of sh:Violation severity
    nt = (
        b"<https://w3id.org/yuegang/doc/x/item/1> "
        b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        b"<https://w3id.org/yuegang/ontology#WorkItem> .\n"
    )
    conforms, report, triples = validation.validate_nt(nt)
    assert conforms is False and "Violation" in report and triples == 1
    monkeypatch.setattr(validation, "validate", _no("checked"))
    assert validation.validate_nt(nt) == (conforms, report, triples)


def test_shacl_checked_again_when_shapes_or_triples_change(cache, notice_nt, monkeypatch):
    validation.validate_nt(notice_nt)
    calls = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    validation.validate_nt(notice_nt + notice_nt.splitlines(keepends=True)[0])  # same graph
    assert calls == [1]  # other bytes: checked, though the result is the same
    monkeypatch.setattr(validation, "fingerprint", lambda: ("other shapes",))
    validation.validate_nt(notice_nt)
    assert calls == [1, 1]


def test_shacl_cache_switched_off_or_damaged(cache, notice_nt, monkeypatch):
    calls = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda *a, **k: calls.append(1) or real(*a, **k))
    monkeypatch.setenv("YUEGANG_SHACL_CACHE", "0")
    validation.validate_nt(notice_nt)
    validation.validate_nt(notice_nt)
    assert calls == [1, 1] and not (cache / "shacl").exists()
    monkeypatch.delenv("YUEGANG_SHACL_CACHE")
    monkeypatch.setenv("YUEGANG_CACHE", "0")  # every cache off
    validation.validate_nt(notice_nt)
    assert calls == [1, 1, 1] and not (cache / "shacl").exists()
    monkeypatch.delenv("YUEGANG_CACHE")
    first = validation.validate_nt(notice_nt)
    entry = next((cache / "shacl").iterdir())
    for damaged in ('{"conforms": tr', '[true, "report"]', '["yes", "", 1]'):  # cut, edited
        entry.write_text(damaged, encoding="utf-8")
        assert validation.validate_nt(notice_nt) == first
        assert json.loads(entry.read_text(encoding="utf-8"))[0] is True  # written anew


def _network() -> nx.Graph:
    G = nx.karate_club_graph()
    G = nx.relabel_nodes(G, {n: f"单位{n:02d}" for n in G})
    G.add_edge("孤立A", "孤立B", weight=3)
    return G


def test_a_kept_layout_is_the_layout_computed_afresh(cache, monkeypatch):
    first = page.layout_positions(_network())
    assert (cache / "layouts").exists()
    with monkeypatch.context() as m:
        m.setattr(page, "_positions", _no("laid out"))
        assert page.layout_positions(_network()) == first
    for entry in (cache / "layouts").iterdir():  # edited entries: laid out again
        entry.write_text('[["单位00", 1, 2]]', encoding="utf-8")
    assert page.layout_positions(_network()) == first
    monkeypatch.setenv("YUEGANG_LAYOUT_CACHE", "0")
    assert page.layout_positions(_network()) == first
    assert all(isinstance(p, tuple) and all(isinstance(v, int) for v in p) for p in first.values())


def test_a_changed_network_is_laid_out_afresh(cache, monkeypatch):
    page.layout_positions(_network())
    calls = []
    real = page._positions
    monkeypatch.setattr(page, "_positions", lambda *a: calls.append(1) or real(*a))
    heavier = _network()
    heavier["孤立A"]["孤立B"]["weight"] = 4
    page.layout_positions(heavier)
    renamed = nx.relabel_nodes(_network(), {"孤立A": "孤立C"})
    page.layout_positions(renamed)
    page.layout_positions(_network(), seed=page.LAYOUT_SEED + 1)
    assert calls == [1, 1, 1]


def test_label_moves_kept_and_equal(cache, monkeypatch):
    nodes = [
        {"x": 0, "y": 0, "label": "广东省发展和改革委员会", "t": "agency", "s": {"_": 20}},
        {"x": 5, "y": 3, "label": "深圳市政府", "t": "agency", "s": {"_": 20}},
        {"x": -4, "y": 2, "label": "珠海", "t": "place", "s": {"_": 10}},
    ]
    first = [dict(n) for n in nodes]
    page.label_room(first, None)
    assert [(n["x"], n["y"]) for n in first] != [(n["x"], n["y"]) for n in nodes]
    monkeypatch.setattr(page, "make_room", _no("moved"))
    again = [dict(n) for n in nodes]
    page.label_room(again, None)
    assert again == first


def _files(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_build_from_the_caches_writes_the_same_files(cache, tmp_path, monkeypatch):
    from graph.pipeline import build_all

    monkeypatch.setenv("YUEGANG_WORKERS", "0")  # the monkeypatches below reach every stage
    build_all([None], tmp_path / "first")  # fills the caches
    with monkeypatch.context() as m:
        m.setattr(validation, "validate", _no("checked"))
        m.setattr(page, "_positions", _no("laid out"))
        m.setattr(page, "make_room", _no("moved"))
        m.setattr("graph.rdf.ontology_docs.render_ontology_html", _no("rendered"))
        second = build_all([None], tmp_path / "second")
    monkeypatch.setenv("YUEGANG_CACHE", "0")
    fresh = build_all([None], tmp_path / "fresh")
    assert second.conforms and fresh.conforms and second.triples == fresh.triples > 5000
    assert _files(tmp_path / "second") == _files(tmp_path / "fresh")
    assert _files(tmp_path / "first") == _files(tmp_path / "fresh")
