"""No silent loss (issue 10): every numbered line is read, a unit comes only from its own item's
lists, and input that is not a notice gets one clear message."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import NoticeError
from graph.extract.notice import extract_bytes, extract_file, extract_text, summarise_warnings

HEAD = "关于印发重点工作的通知\n\n一、重点工作\n\n"


def notice_of(lines: list[str]) -> dict:
    return extract_text(HEAD + "\n".join(lines) + "\n", "t.txt", keywords=False)


# --- every numbered line becomes an item -------------------------------------------------------


@pytest.mark.parametrize("mark", ["\u200b", "\ufeff", "\u200e", "\u200f", "\u202a", "\u2066"])
def test_numbers_after_invisible_marks_are_read(mark):
    lines = [f"{mark if n == 3 else ''}{n}. 第{n}项工作。（省科技厅）" for n in range(1, 6)]
    notice = notice_of(lines)
    assert [i["number"] for i in notice["items"]] == [1, 2, 3, 4, 5]
    assert notice["items"][1]["text"] == "第2项工作。"  # item 3 is not merged into item 2


@pytest.mark.parametrize("sep", ["。", "、", "）", ")", "．", "."])
def test_every_number_form_is_read(sep):
    notice = notice_of([f"{n}{sep}第{n}项工作。（省科技厅）" for n in range(1, 6)])
    assert [i["number"] for i in notice["items"]] == [1, 2, 3, 4, 5]
    assert not [w for w in notice["warnings"] if w["code"].startswith("number")]


def test_ten_thousand_items_give_ten_thousand_items():
    notice = notice_of([f"{n}. 第{n}项工作。（省科技厅）" for n in range(1, 10001)])
    assert len(notice["items"]) == 10000
    assert notice["items"][-1]["number"] == 10000
    assert notice["warnings"] == []
    assert {i["responsibility"] for i in notice["items"]} == {"（省科技厅）"}


def test_jumps_and_repeats_name_their_line():
    notice = notice_of([f"{n}. 第{n}项。（省科技厅）" for n in (1, 2, 4, 4, 5)])
    found = {(w["code"], w["line"], w["item"]) for w in notice["warnings"]}
    lines = {i["key"]: i["line"] for i in notice["items"]}
    assert ("number-gap", lines["4"], "4") in found
    assert ("number-repeat", lines["4-2"], "4-2") in found


# --- a unit comes only from its own item's lists ---------------------------------------------------

UNITS = ["省科技厅", "省商务厅", "省财政厅", "省教育厅", "省公安厅", "广州市政府", "深圳市政府"]

item_lists = st.lists(
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True), min_size=1, max_size=12
)
forms = st.sampled_from(["bracket", "label", "sentences"])


def render(k: int, units: list[str], form: str, number: int) -> str:
    joined = "、".join(units)
    if form == "bracket":
        return f"{number}. 第{k}项工作。（{joined}）"
    if form == "label":
        return f"{number}. 第{k}项工作。\n\n责任单位：{joined}"
    half = len(units) // 2 or 1
    first, second = "、".join(units[:half]), "、".join(units[half:])
    tail = f"再推进一步。（{second}负责）" if second else ""
    return f"{number}. 第{k}项工作。（{first}负责）{tail}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item_lists, st.lists(forms, min_size=12, max_size=12), st.data())
def test_units_only_from_the_items_own_lists(lists, chosen, data):
    """Shuffle, drop and duplicate items of a generated notice: each output item's units are
    the units written in that item's own lists, never a neighbour's."""
    order = data.draw(st.permutations(range(len(lists))))
    keep = [k for k in order if data.draw(st.booleans()) or k == order[0]]
    keep += data.draw(st.lists(st.sampled_from(keep), max_size=3))  # duplicates
    blocks = [render(k, lists[k], chosen[k], n) for n, k in enumerate(keep, start=1)]
    notice = notice_of(blocks)
    by_text: dict[str, set[str]] = {f"第{k}项工作": set(lists[k]) for k in keep}
    assert len(notice["items"]) >= len(keep)
    for item in notice["items"]:
        own = re.match(r"第\d+项工作", item["text"])
        allowed = by_text[own.group()] if own else set().union(*by_text.values())
        got = {a["name"] for a in item["agencies"]}
        assert got <= allowed, (item["key"], got, allowed)
        written = {a["name"] for a in item["agencies"]}
        listed = "".join(lst["raw"] for lst in item["lists"])
        assert all(name in listed for name in written)


# --- input that is not a notice --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (
            b"The committee met on Tuesday. 1. Budget was approved. 2. Next meeting.\n" * 20,
            "not Chinese",
        ),
        (
            b"2024-05-01 12:00:01 INFO started worker 1\n2024-05-01 12:00:02 ERROR boom\n" * 50,
            "log file",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "pdftotext"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40, "plain text"),
        (b"<!DOCTYPE html><html><body><div class='x'>" * 50, "HTML page"),
    ],
    ids=["english", "log", "pdf", "docx", "html"],
)
def test_not_a_notice_gets_one_clear_message(data, what):
    with pytest.raises(NoticeError) as caught:
        extract_bytes(data, "input.bin", keywords=False)
    assert what in caught.value.message
    assert "\n" not in str(caught.value)


def test_cli_shows_the_message_without_a_traceback(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n")
    result = CliRunner().invoke(app, ["extract", "--no-keywords", str(path)])
    assert result.exit_code == 2
    assert "pdftotext" in result.output and "Traceback" not in result.output


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_bytes(("1. 某项工作。（省科技厅）\n" * 40000).encode())  # about 1.3 MB
    read = []
    monkeypatch.setattr(type(path), "read_bytes", lambda self: read.append(self) or b"")
    with pytest.raises(NoticeError, match="larger than the limit of 1 MB"):
        extract_file(path, keywords=False, max_size=1024 * 1024)
    assert read == []  # never read whole
    monkeypatch.undo()
    result = CliRunner().invoke(app, ["extract", "--no-keywords", "--max-size", "0.5", str(path)])
    assert result.exit_code == 2 and "--max-size" in result.output


def test_identical_warnings_are_one_line_with_a_count(tmp_path):
    lines = [f"{n}. 第{n}项工作。（市某某局）" for n in range(1, 1001)]
    notice = notice_of(lines)
    assert len([w for w in notice["warnings"] if w["code"] == "unknown-unit"]) == 1000
    summary = summarise_warnings(notice["warnings"], "t.txt")
    assert len(summary) == 1
    assert "and 999 more like it" in summary[0]
    path = tmp_path / "n.txt"
    path.write_text(HEAD + "\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--no-keywords", str(path)])
    assert result.exit_code == 0
    assert sum("warning:" in ln for ln in result.stderr.splitlines()) == 1
