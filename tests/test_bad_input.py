"""Bad input: every case gives a clear ``NoticeError`` (file, line, what) — and ``yuegang extract``
exits non-zero with that message — or a warning while every numbered item is kept."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import NoticeError
from graph.extract.notice import extract_bytes, extract_file, extract_text

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + os.urandom(300)
HEAD = "广东省人民政府关于印发测试重点工作的通知\n\n一、测试\n\n"


def run(*args: str):
    return CliRunner().invoke(app, ["extract", "--no-keywords", *args])


def warnings_of(notice: dict) -> list[tuple[int | None, str]]:
    return [(w["line"], w["message"]) for w in notice["warnings"]]


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"", "empty"),
        (b"  \n\n\t\n", "empty"),
        (PNG, "not a text file"),
        (bytes(range(256)) * 8, "not a text file"),
        (bytes(range(128, 256)) * 8, "cannot decode"),
        (
            "广东省人民政府关于某事的通知\n\n各有关单位：\n请认真执行。\n".encode(),
            "no numbered items",
        ),
        (b"Minutes of the meeting. Nothing numbered here.", "does not read as a notice"),
    ],
    ids=["empty", "blank", "png", "all-bytes", "high-bytes", "no-items", "english"],
)
def test_unreadable_notices_raise_a_clear_error(data, what):
    with pytest.raises(NoticeError) as caught:
        extract_bytes(data, "notice.txt", keywords=False)
    assert caught.value.source == "notice.txt"
    assert what in caught.value.message
    assert str(caught.value).startswith("notice.txt")


@pytest.mark.parametrize(
    "data", [b"", PNG, "只有一句话。".encode()], ids=["empty", "png", "no-items"]
)
def test_cli_exits_non_zero_with_the_message(tmp_path, data):
    path = tmp_path / "bad notice.txt"
    path.write_bytes(data)
    result = run(str(path))
    assert result.exit_code != 0
    with pytest.raises(NoticeError) as caught:
        extract_file(path, keywords=False)
    assert str(caught.value) in result.output
    assert "Traceback" not in result.output


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(NoticeError, match="nope.txt"):
        extract_file(tmp_path / "nope.txt")


# --- warnings, nothing lost ---------------------------------------------------------------------


def test_bracket_that_never_closes_inside_the_text():
    notice = extract_text(
        HEAD + "1. 推进（试点工作。（省商务厅）\n\n2. 深化合作。（省港澳办）\n",
        "t.txt",
        keywords=False,
    )
    assert [i["number"] for i in notice["items"]] == [1, 2]
    assert [a["name"] for a in notice["items"][0]["agencies"]] == ["省商务厅"]
    assert (5, "item 1: a bracket opened on line 5 never closes") in warnings_of(notice)


def test_list_bracket_that_never_closes_mid_notice():
    text = HEAD + "1. 推进试点工作。（省商务厅、港澳办\n\n2. 深化合作。（省科技厅）\n"
    notice = extract_text(text, "t.txt", keywords=False)
    first, second = notice["items"]
    assert [a["name"] for a in first["agencies"]] == ["省商务厅", "省港澳办"]
    assert [a["name"] for a in second["agencies"]] == ["省科技厅"]
    assert any(line == 5 and "never closes" in m for line, m in warnings_of(notice))


def test_item_with_no_list_is_kept_with_a_warning():
    text = HEAD + "1. 推进试点工作。\n\n2. 深化合作。（省科技厅）\n"
    notice = extract_text(text, "t.txt", keywords=False)
    assert [(i["number"], i["responsibility"], i["agencies"]) for i in notice["items"]][0] == (
        1,
        None,
        [],
    )
    assert (5, "item 1 has no responsibility list") in warnings_of(notice)


def test_numbers_that_skip_or_repeat_are_kept_with_warnings():
    text = HEAD + "".join(
        f"{n}. 第{k}项工作。（省科技厅）\n\n" for k, n in enumerate([1, 2, 4, 4, 5, 3], start=1)
    )
    notice = extract_text(text, "t.txt", keywords=False)
    assert [i["number"] for i in notice["items"]] == [1, 2, 4, 4, 5, 3]
    assert [i["key"] for i in notice["items"]] == ["1", "2", "4", "4-2", "5", "3"]
    found = [m for _, m in warnings_of(notice)]
    assert "item numbers jump from 2 to 4" in found
    assert "item number 4 repeats (kept as key 4-2)" in found
    assert "item numbers jump from 5 to 3" in found


def test_cut_off_mid_item():
    text = HEAD + "1. 推进试点工作。（省商务厅）\n\n2. 深化粤港两地在金融、"
    notice = extract_text(text, "t.txt", keywords=False)
    assert [i["number"] for i in notice["items"]] == [1, 2]
    assert notice["items"][1]["text"] == "深化粤港两地在金融、"
    assert (7, "the file seems cut off in item 2: it ends without a responsibility list") in (
        warnings_of(notice)
    )


def test_text_before_the_first_section_or_outside_items():
    text = "关于测试的通知\n\n1. 推进试点工作。（省商务厅）\n\n二、第二部分\n\n孤立的一段说明文字。\n\n2. 深化合作。（省科技厅）\n"
    notice = extract_text(text, "t.txt", keywords=False)
    assert [(i["number"], i["section"]) for i in notice["items"]] == [(1, 0), (2, 2)]
    found = warnings_of(notice)
    assert any("section 0" in m for _, m in found)
    # a paragraph between a heading and an item is kept in the warnings, not silently dropped
    assert any(line == 7 and "孤立的一段说明文字" in m for line, m in found)


def test_cli_prints_warnings_and_exits_zero(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_text(HEAD + "1. 推进试点工作。（省商务厅）\n\n2. 深化", encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", "--no-keywords", str(path)])
    assert result.exit_code == 0
    assert "cut off in item 2" in result.output
    assert json.loads(result.stdout[result.stdout.index("{") :])["items"][1]["number"] == 2


def test_a_restart_outside_a_new_section_is_a_jump():
    text = HEAD + "1. 第一项。（省科技厅）\n\n2. 第二项。（省科技厅）\n\n1. 又是一。（省科技厅）\n"
    notice = extract_text(text, "t.txt", keywords=False)
    assert [i["key"] for i in notice["items"]] == ["1", "2", "1-2"]
    assert "item numbers jump from 2 to 1" in [m for _, m in warnings_of(notice)]
