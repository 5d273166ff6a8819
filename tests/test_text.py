"""Reading a notice's bytes (``graph.extract.text``): encodings, line ends, the same-length matching form,
script detection and pinyin glosses."""

from __future__ import annotations

import codecs

import pytest

from graph.errors import NoticeError
from graph.extract.text import (
    decode,
    fold_width,
    from_string,
    matching_form,
    pinyin_glosses,
    read_bytes,
    to_simplified,
)

SAMPLE = "广东省人民政府关于印发实施粤港合作框架协议重点工作的通知\n1．推进合作。（省发展改革委、港澳办）\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("gb18030"), "gb18030"),
        (SAMPLE.encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le", "gb18030", "gbk"],
)
def test_encodings_are_recognised(data, encoding):
    text, found = decode(data, "n.txt")
    assert text.lstrip("\ufeff") == SAMPLE
    assert found == encoding


def test_bom_and_line_ends_do_not_shift_lines_or_offsets():
    src = read_bytes(codecs.BOM_UTF8 + SAMPLE.replace("\n", "\r\n").encode("utf-8"), "n.txt")
    assert src.text == SAMPLE
    assert src.line_of(src.text.index("1．")) == 2


def test_sha256_is_of_the_bytes_as_read():
    import hashlib

    data = SAMPLE.encode("gb18030")
    assert read_bytes(data, "n.txt").sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(128, 256))],
    ids=["empty", "png", "undecodable"],
)
def test_undecodable_bytes_name_the_file(data):
    with pytest.raises(NoticeError) as caught:
        read_bytes(data, "scan.pdf.txt")
    assert str(caught.value).startswith("scan.pdf.txt: ")


def test_control_characters_become_spaces():
    src = read_bytes("1. 推进\x0b合作\x07。（省商务厅）".encode(), "n.txt")
    assert "\x0b" not in src.text and "\x07" not in src.text
    assert len(src.text) == len("1. 推进\x0b合作\x07。（省商务厅）")


def test_matching_form_has_the_same_length_and_line_breaks():
    written = "（一）發展與合作。\n１．推進粵港澳大灣區（省發展改革委、港澳辦）"
    match = matching_form(written)
    assert len(match) == len(written)
    assert [i for i, c in enumerate(match) if c == "\n"] == [written.index("\n")]
    assert match == "(一)发展与合作。\n1.推进粤港澳大湾区(省发展改革委、港澳办)"


def test_width_folding_keeps_chinese_punctuation():
    assert fold_width("（省科技厅）１２．ＡＢ　，、。") == "(省科技厅)12.AB ,、。"


def test_simplified_conversion_keeps_every_offset():
    # phrase conversion could change the length; character-by-character fallback keeps it
    for text in ("乾隆皇帝", "著作權", "瞭解情況", "發(fā)展"):
        assert len(to_simplified(text)) == len(text)


@pytest.mark.parametrize(
    ("text", "script"),
    [
        (SAMPLE, "simplified"),
        ("廣東省人民政府關於印發實施粵港合作框架協議重點工作的通知", "traditional"),
        ("广东省人民政府关于印发实施粤港合作框架协议2017年重点工作（学）", "simplified"),
    ],
)
def test_script_detection(text, script):
    assert from_string(text).script == script


def test_pinyin_glosses_are_toned_syllables_after_chinese_characters():
    match = matching_form("發(fā)展，轉(zhuǎn)化，以下簡稱(cepa)，CEPA(ān)，行(háng yè)業")
    spans = pinyin_glosses(match)
    assert [match[s:e] for s, e in spans] == ["(fā)", "(zhuǎn)", "(háng yè)"]
