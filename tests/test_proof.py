"""The proofreading page, read as HTML: what it marks is what the source says, it flags exactly
the items that need attention, shows corrections side by side, and escapes every text."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.corrections import apply_corrections, parse_corrections, read_corrections
from graph.extract.notice import bundled_notice_path, extract_file, extract_text
from graph.extract.text import read_file
from graph.views.proof import _pieces, line_pieces, proof_model, render_proof, write_proof_pages

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FLAGS = FIXTURES / "notices" / "proof-flags.txt"
FLAGS_FIXES = FIXTURES / "corrections" / "proof-flags.csv"
# enough Chinese text around the payloads for the notice to read as one
FILLER = "现将重点工作印发给你们，请认真贯彻执行，并按分工抓好落实。" * 6


class Page(HTMLParser):
    """Marks (attributes and text), source lines (their text), item sections and unit rows."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marks: list[dict] = []
        self.lines: list[str] = []
        self.sections: list[dict] = []
        self.units: list[dict] = []
        self._stack: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "mark" and "data-start" in a:
            self.marks.append({**a, "text": ""})
        if tag == "span" and "yg-tx" in cls:
            self.lines.append("")
        if tag == "section" and "yg-item" in cls:
            self.sections.append({"key": a["data-item"], "class": cls})
        if tag == "tr" and ("yg-unit" in cls or "yg-unit-was" in cls):
            self.units.append({**a, "item": self.sections[-1]["key"], "was": "yg-unit-was" in cls})
        self._stack.append((tag, a))

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        tags = [t for t, _ in self._stack]
        if "mark" in tags and self.marks and "data-start" in self._stack[tags.index("mark")][1]:
            self.marks[-1]["text"] += data
        if any(t == "span" and "yg-tx" in (a.get("class") or "") for t, a in self._stack):
            self.lines[-1] += data


@pytest.fixture(scope="module")
def bundled() -> tuple[dict, str, str]:
    notice = extract_file(None, keywords=False)
    text = read_file(bundled_notice_path()).text
    return notice, text, render_proof(notice, text, index_href="../index.html")


@pytest.fixture(scope="module")
def flags() -> tuple[dict, str]:
    return extract_file(FLAGS, keywords=False), read_file(FLAGS).text


def test_bundled_page_marks_all_77_items_and_148_units_with_none_flagged(bundled):
    notice, _, html = bundled
    page = Page(html)
    for part in ("number", "text", "list"):
        assert {m["data-item"] for m in page.marks if m["data-part"] == part} == {
            i["key"] for i in notice["items"]
        }, part
    assert len(page.sections) == 77
    assert len([u for u in page.units if not u["was"]]) == 148
    assert not any("yg-flagged-item" in s["class"] for s in page.sections)
    assert "77 项事项 items · 148 个单位 units · 0 项待核 flagged" in html


def test_every_mark_is_the_source_characters_of_its_span(bundled):
    notice, text, html = bundled
    page = Page(html)
    for mark in page.marks:
        assert mark["text"] == text[int(mark["data-start"]) : int(mark["data-end"])]
    # the pieces of each item's text and list cover the span the extraction gives, in order
    for item in notice["items"]:
        for part, key in (("text", "span"), ("list", "responsibility_span")):
            pieces = [
                m for m in page.marks if m["data-item"] == item["key"] and m["data-part"] == part
            ]
            start, end = item[key]
            assert int(pieces[0]["data-start"]) == start and int(pieces[-1]["data-end"]) == end
            assert "".join(m["text"] for m in pieces) == text[start:end].replace("\n", "")
        number = next(
            m for m in page.marks if m["data-item"] == item["key"] and m["data-part"] == "number"
        )
        assert number["text"].strip(" .．、") == str(item["number"])


def test_the_page_shows_the_whole_source_line_by_line(bundled):
    _, text, html = bundled
    assert "\n".join(Page(html).lines) == text


def test_units_are_shown_as_read_and_expanded_with_role_and_register(bundled):
    notice, _, html = bundled
    rows = [u for u in Page(html).units if u["item"] == "1"]
    agencies = notice["items"][0]["agencies"]
    assert [
        (r["data-as-written"], r["data-name"], r["data-role"], r["data-known"]) for r in rows
    ] == [(a["as_written"], a["name"], a["role"], "true") for a in agencies]
    assert "公安厅 → 省公安厅" in html


def test_a_cut_list_and_an_unknown_unit_flag_exactly_those_items(flags):
    notice, text = flags
    html = render_proof(notice, text)
    page = Page(html)
    flagged = [s["key"] for s in page.sections if "yg-flagged-item" in s["class"]]
    assert flagged == ["2", "4"]
    assert 'data-code="list-cut"' in html and 'data-code="unknown-unit"' in html
    assert "2 项待核 flagged" in html
    assert [u["data-name"] for u in page.units if u["data-known"] == "false"] == ["省星际航行局"]
    # the warnings sit under their lines
    assert 'class="yg-warn" data-line="15"' in html and 'class="yg-warn" data-line="21"' in html
    assert "\n".join(page.lines) == text


def test_corrected_items_show_both_readings_and_count_as_resolved(flags):
    notice, text = flags
    corrected, _ = apply_corrections([notice], read_corrections(FLAGS_FIXES))
    html = render_proof(corrected[0], text)
    page = Page(html)
    sections = {s["key"]: s["class"] for s in page.sections}
    assert [k for k, c in sections.items() if "yg-corrected-item" in c] == ["2", "4"]
    assert not any("yg-flagged-item" in c for c in sections.values())
    was = [(u["item"], u["data-name"]) for u in page.units if u["was"]]
    now = [(u["item"], u["data-name"]) for u in page.units if not u["was"] and u["item"] in "24"]
    assert was == [("2", "省商务厅"), ("2", "港澳办"), ("4", "省科技厅"), ("4", "省星际航行局")]
    assert now == [("2", "省商务厅"), ("2", "省港澳办"), ("4", "省科技厅"), ("4", "省发展改革委")]
    assert "星际航行局为录入错误" in html and "proof-flags.csv, 第3行 line 3" in html
    assert "0 项待核 flagged · 2 项已校正 corrected" in html


def test_hostile_text_is_escaped_and_the_page_loads_nothing():
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)> http://evil.example/"
    text = (
        f"关于{payload}的通知\n\n{FILLER}\n\n一、{payload}\n\n"
        f"1. 推进{payload}工作。（省商务厅、<b>局）\n\n2. 深化合作。（省科技厅）\n"
    )
    notice = extract_text(text, "<x>.txt", keywords=False)
    html = render_proof(notice, text)
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html
    assert "://" not in html and "src=" not in html.replace("src=x", "")  # escaped text only
    assert html.count("<script") == 1  # the page's own script
    page = Page(html)
    assert "\n".join(page.lines) == text
    assert all(m["text"] == text[int(m["data-start"]) : int(m["data-end"])] for m in page.marks)


def test_same_input_same_bytes_and_written_by_slug(tmp_path, flags):
    notice, text = flags
    first = write_proof_pages([(notice, text)], tmp_path / "a")
    second = write_proof_pages([(notice, text)], tmp_path / "b")
    assert first[0].path.name == "yuebanhan-2019-901.html"
    assert first[0].path.read_bytes() == second[0].path.read_bytes()
    assert (first[0].items, first[0].units, first[0].flagged, first[0].corrected) == (5, 10, 2, 0)


def test_model_counts_match_the_extraction(flags):
    notice, text = flags
    counts = proof_model(notice, text)["counts"]
    assert counts == {
        "items": 5,
        "units": sum(len(i["agencies"]) for i in notice["items"]),
        "marked": 5,
        "flagged": 2,
        "corrected": 0,
        "warnings": len(notice["warnings"]),
    }


def test_build_links_the_proof_page_from_the_index(tmp_path):
    from graph.pipeline import build_all

    result = build_all([FLAGS], tmp_path, report=False, networks=False)
    proof = tmp_path / "proof" / "yuebanhan-2019-901.html"
    assert result.files["proof:yuebanhan-2019-901"] == proof and proof.exists()
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="proof&#47;yuebanhan-2019-901.html"' in index
    assert "2 项待核 flagged" in index
    assert 'href="..&#47;index.html"' in proof.read_text(encoding="utf-8")


def test_a_correction_naming_an_unknown_unit_stays_flagged(flags):
    notice, text = flags
    fixes = parse_corrections(
        "document,item,list,note\nproof-flags.txt,4,（省科技厅、省月球开发局）,still unknown\n"
    )
    corrected, _ = apply_corrections([notice], fixes)
    sections = {s["key"]: s["class"] for s in Page(render_proof(corrected[0], text)).sections}
    assert "yg-corrected-item" in sections["4"] and "yg-flagged-item" in sections["4"]
    assert [k for k, c in sections.items() if "yg-flagged-item" in c] == ["2", "4"]


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_each_line_is_cut_by_the_marks_that_reach_into_it(data):
    """The sweep over lines gives what cutting every line with every mark gives (marks may
    span lines, overlap, touch, or be empty)."""
    lines = data.draw(st.lists(st.text(alphabet="甲乙ab", max_size=6), min_size=1, max_size=8))
    text = "\n".join(lines)
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    spans = data.draw(
        st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, 4)), max_size=10)
    )
    marks = sorted(
        (
            {"start": s, "end": min(len(text), s + n), "item": str(i)}
            for i, (s, n) in enumerate(spans)
        ),
        key=lambda m: (m["start"], m["end"]),
    )
    every = [_pieces(marks, s, s + len(line), text) for line, s in zip(lines, starts, strict=True)]
    assert list(line_pieces(marks, lines, starts, text)) == every
