"""``graph.pipeline.build_all``: everything ``yuegang build`` writes, and how it hangs together."""

from __future__ import annotations

import html
import re

import pytest

from graph.pipeline import build_all


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return build_all(None, out)


def test_every_file_reported_exists(built):
    assert built.files
    missing = [str(p) for p in built.files.values() if not p.is_file()]
    assert missing == []


def test_the_bundled_notice_builds_cleanly(built):
    assert built.conforms, built.report
    assert (built.notices, built.items) == (1, 77)
    assert built.warnings == []


def test_index_links_resolve_to_files_beside_it(built):
    index = built.index
    hrefs = {html.unescape(h) for h in re.findall(r'href="([^"#]+)"', index.read_text("utf-8"))}
    assert {
        "agencies.html",
        "bipartite.html",
        "themes.html",
        "places.html",
        "report.html",
        "ontology.html",
        "graph.ttl",
    } <= hrefs
    assert [h for h in hrefs if not (index.parent / h).is_file()] == []


def test_extraction_json_is_kept_beside_the_graph(built):
    import json

    notice = json.loads((built.out / "notices" / "yuegang-2017-key-work.json").read_text("utf-8"))
    assert notice["document"]["identifier"] == "粤府函〔2017〕38号"
    assert len(notice["items"]) == 77


def test_unknown_units_are_kept_and_reported(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text("一、合作\n1. 推进一项工作。（省商务厅、省未知办）\n", encoding="utf-8")
    result = build_all([notice], tmp_path / "out", views=False, report=False)
    assert any("省未知办" in w for w in result.warnings)
    ttl = (tmp_path / "out" / "graph.ttl").read_text("utf-8")
    assert "省未知办" in ttl
