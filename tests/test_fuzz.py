"""Property test: mutated notices never crash with anything but ``NoticeError``, and nothing
numbered is lost — every line of the mutated text that starts a numbered item yields an item."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import NoticeError
from graph.extract.notice import bundled_notice_path, extract_source
from graph.extract.text import read_bytes

NOTICES = Path(__file__).resolve().parent / "fixtures" / "notices"
BASES = [
    bundled_notice_path(),
    NOTICES / "yueao-2018-lead-support.txt",
    NOTICES / "sc-division-2018.txt",
    NOTICES / "yuegang-2018-web-traditional.txt",
    NOTICES / "yuegang-2019-lists.txt",
    NOTICES / "yuegang-2018-paren-items.txt",
    NOTICES / "sc-opinion-restart.txt",
    NOTICES / "labels-outside-brackets.txt",
    NOTICES / "several-lists-paragraph.txt",
    NOTICES / "table-row-per-line.txt",
    NOTICES / "table-cell-per-line.txt",
    NOTICES / "sub-items-paren-arabic.txt",
]
# Lines that open an item, written independently of graph.extract.items: "12." / "12、" (not "1.5亿",
# not a year), and "（三）" when the notice has no Arabic-numbered item at all.
ARABIC_ITEM = re.compile(r"^\s*\d{1,3}\s*[.、](?!\d)\s*\S")
YEAR_START = re.compile(r"^\s*\d{4}")
PAREN_ITEM = re.compile(r"^\s*\(\s*[一二三四五六七八九十]{1,3}\s*\)")
TRAILER = re.compile(r"^\s*(公开方式|抄送)")  # the fixtures' closing lines end the item region
SWAPS = [("，", ","), ("（", "("), ("）", ")"), ("．", "."), ("：", ":"), ("、", ",")]


@cache
def base_text(index: int) -> str:
    return BASES[index].read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def mutate_text(text: str, op: tuple) -> str:
    kind, a, b = op
    lines = text.split("\n")
    if kind == "delete-line":
        del lines[a % len(lines)]
        return "\n".join(lines)
    if kind == "double-bracket":
        spots = [i for i, ch in enumerate(text) if ch in "（）()〔〕"]
        if not spots:
            return text
        i = spots[a % len(spots)]
        return text[: i + 1] + text[i] + text[i + 1 :]
    if kind == "swap-width":
        full, half = SWAPS[a % len(SWAPS)]
        return text.replace(full, half) if b % 2 else text.replace(half, full)
    if kind == "traditional":
        return s2t().convert(text)
    if kind == "cut":
        return text[: a % (len(text) + 1)]
    raise AssertionError(kind)


def numbered_lines(match_text: str) -> set[int]:
    """1-based numbers of the lines that start a numbered item."""
    lines = match_text.split("\n")
    end = next((i for i, ln in enumerate(lines) if TRAILER.match(ln)), len(lines))
    arabic = {
        i + 1
        for i, ln in enumerate(lines[:end])
        if ARABIC_ITEM.match(ln) and not YEAR_START.match(ln)
    }
    if arabic:
        return arabic
    return {i + 1 for i, ln in enumerate(lines[:end]) if PAREN_ITEM.match(ln)}


text_ops = st.tuples(
    st.sampled_from(["delete-line", "double-bracket", "swap-width", "traditional", "cut"]),
    st.integers(0, 10**6),
    st.integers(0, 10**6),
)
byte_ops = st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=6))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    st.integers(0, len(BASES) - 1),
    st.lists(text_ops, max_size=5),
    st.lists(byte_ops, max_size=3),
)
def test_mutated_notices_fail_cleanly_and_lose_no_item(base, ops, insertions):
    text = base_text(base)
    for op in ops:
        text = mutate_text(text, op)
    data = bytearray(text.encode("utf-8"))
    for at, junk in insertions:
        at = at % (len(data) + 1)
        data[at:at] = junk
    try:
        src = read_bytes(bytes(data), "mutated.txt")
        notice = extract_source(src, keywords=False)
    except NoticeError as exc:
        assert exc.source == "mutated.txt" and exc.message
        return
    item_lines = {item["line"] for item in notice["items"]}
    assert numbered_lines(src.match) <= item_lines
    assert len({item["key"] for item in notice["items"]}) == len(notice["items"])
    for item in notice["items"]:
        start, end = item["span"]
        assert 0 <= start <= end <= len(src.text)


def test_whole_notice_in_traditional_script_reads_the_same():
    """Not a mutation but the strongest one: the bundled notice converted with OpenCC s2t."""
    simplified = extract_source(read_bytes(bundled_notice_path().read_bytes()), keywords=False)
    traditional_bytes = s2t().convert(base_text(0)).encode("utf-8")
    traditional = extract_source(read_bytes(traditional_bytes, "t.txt"), keywords=False)
    assert traditional["document"]["script"] == "traditional"
    assert [[(a["name"], a["role"]) for a in i["agencies"]] for i in traditional["items"]] == [
        [(a["name"], a["role"]) for a in i["agencies"]] for i in simplified["items"]
    ]
    assert [i["places"] for i in traditional["items"]] == [i["places"] for i in simplified["items"]]
