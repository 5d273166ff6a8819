"""Provenance, keywords and the shape of the extraction dict on the bundled notice."""

from __future__ import annotations

import hashlib

from graph.extract.notice import bundled_notice_path


def test_spans_point_into_the_source(notice):
    source = bundled_notice_path().read_text(encoding="utf-8")
    for item in notice["items"]:
        start, end = item["span"]
        written = source[start:end]
        # page-break artefacts (line breaks) are the only difference
        assert "".join(written.split()) == "".join(item["text"].split()), item["number"]
        rs, re_ = item["responsibility_span"]
        assert "".join(source[rs:re_].split()) == "".join(item["responsibility"].split())
        assert rs >= end


def test_line_numbers_point_at_the_item_start(notice):
    lines = bundled_notice_path().read_text(encoding="utf-8").split("\n")
    for item in notice["items"]:
        assert lines[item["line"] - 1].lstrip().startswith(f"{item['number']}")


def test_checksum_is_of_the_file_bytes(notice):
    digest = hashlib.sha256(bundled_notice_path().read_bytes()).hexdigest()
    assert notice["document"]["sha256"] == digest


def test_contract_keys(notice):
    assert set(notice) == {"document", "sections", "items", "warnings"}
    assert {"identifier", "title", "issuer", "date", "source", "sha256"} <= set(notice["document"])
    for item in notice["items"]:
        assert {
            "number",
            "section",
            "subsection",
            "text",
            "responsibility",
            "span",
            "agencies",
            "places",
            "themes",
            "keywords",
            "target_year",
            "lists",
            "deadline",
            "tail",
        } <= set(item)
        for unit in item["agencies"]:
            assert set(unit) == {
                "name",
                "as_written",
                "role",
                "position",
                "id",
                "known",
                "kind",
                "list",
            }
            assert 0 <= unit["list"] < len(item["lists"])


def test_lists_point_into_the_source(notice):
    source = bundled_notice_path().read_text(encoding="utf-8")
    for item in notice["items"]:
        assert item["lists"], item["key"]
        for lst in item["lists"]:
            start, end = lst["span"]
            assert source[start:end] == lst["raw"]
            # the list as written, with page-break line breaks inside it
            assert "".join(lst["raw"].split()) == "".join(item["responsibility"].split())


def test_keywords_keep_project_names_whole(notice):
    by_number = {i["number"]: i for i in notice["items"]}
    assert "港珠澳大桥" in by_number[1]["keywords"]
    assert "一带一路" in by_number[9]["keywords"]
    for item in notice["items"]:
        assert 1 <= len(item["keywords"]) <= 5
        assert not any(k.isdigit() for k in item["keywords"])


def test_segmentation_keeps_agency_and_theme_names():
    from graph.extract.keywords import segment

    words = segment("省发展改革委会同省港澳办推进一带一路和粤港澳大湾区建设")
    assert {"省发展改革委", "省港澳办", "一带一路", "粤港澳大湾区"} <= set(words)


def test_extraction_is_deterministic(notice):
    from graph.extract.notice import extract_file

    assert extract_file(None) == notice
