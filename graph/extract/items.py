"""Stage 2, items: the structure of a notice — metadata, sections, sub-sections, numbered items,
and each item's text and raw responsibility list with their character spans.

Everything is read from the matching form of :class:`graph.extract.text.SourceText` (simplified,
half-width) and sliced from the text as written, so spans point into the decoded source.
Line breaks inside an item are page-break artefacts of PDF conversion and are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.errors import NoticeError
from graph.extract.lines import (
    _ARABIC,
    _SECTION,
    _TRAILER,
    Line,
    ListSpan,
    RawItem,
    Structure,
    warning,
)
from graph.extract.responsibility import LABEL, LEAD_RULE, NAMED_LABEL
from graph.extract.text import SourceText, matching_form, pinyin_glosses

CN_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

_PAREN_NUM = re.compile(r"^\s*\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*(.*?)\s*$")
#: ``（1）`` lines: items of their own when they carry a list, else part of the item's text
_SUB_ARABIC = re.compile(r"^\s*(?:\(\s*(\d{1,4})\s*\)|([\u2460-\u2473]))\s*(\S.*?)\s*$")
#: a line that holds a list with its label (责任单位：…, 牵头单位：…；配合单位：…, 部门分工：…)
_LABEL_LINE = re.compile(r"^\s*[(〔\[【]?\s*(?:" + LABEL.pattern + ")")
#: a short labelled line that is not a list (分管省领导：林克庆): not item text either
_META_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{2,8}\s*[:：]\s*\S{1,20}\s*$")
#: where a list starts inside an item's text without brackets (…。责任单位：…)
_INLINE_LABEL = re.compile(r"(?:(?<=[。;；\s])|^)(?:" + NAMED_LABEL.pattern + ")")
_SENTENCE_END = "。;；!！?？"
_IDENTIFIER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[【(]\s*(\d{4})\s*[〕\]】)]\s*(\d{1,4})\s*号"
)
_TITLE_END = re.compile(r"(通知|意见|方案|决定|批复|公告|通报|规划|要点|安排|办法|函|分工)$")
_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(
    r"^\s*([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$"
)
_CONTACT = re.compile(r"(?:请径向|请及时向|径向|请向|请与)(\S{2,20}?)(?:反映|报告|联系|反馈)")
_OPEN = "(〔[【"
_CLOSE = ")〕]】"


def cn_number(text: str) -> int:
    """Value of a Chinese numeral up to 99.

    >>> cn_number("十二"), cn_number("二十"), cn_number("七")
    (12, 20, 7)
    """
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + CN_DIGITS[ch]
    return value


def split_lines(src: SourceText) -> list[Line]:
    """The source's lines with their offsets."""
    lines, start = [], 0
    for number, raw in enumerate(src.text.split("\n"), start=1):
        end = start + len(raw)
        lines.append(Line(number, start, end, src.match[start:end]))
        start = end + 1
    return lines


def read_structure(src: SourceText) -> Structure:
    """Find metadata, sections, sub-sections and items in a notice.

    Raises :class:`NoticeError` when the file holds no numbered item at all, or is not a notice.
    """
    from graph.extract.tables import read_tables

    lines = split_lines(src)
    if not src.text.strip():
        raise NoticeError("the file is empty", source=src.source)
    _check_reads_as_chinese(src)
    table = read_tables(src, lines)
    body = lines
    kinds = _classify_all(lines)
    if table is not None:  # the table's lines are the table reader's
        for i in range(table.first_line, table.end_line):
            kinds[i] = ("table", None, "")
    first_heading = next(
        (i for i, k in enumerate(kinds) if k[0] in ("section", "item", "table")), None
    )
    if first_heading is None and table is None:
        raise NoticeError(
            "no numbered items found (expected lines such as '1.' or '（一）', or a task table "
            "with a header row); is this a work-assignment notice?",
            source=src.source,
        )
    warnings: list[dict] = []
    sections: list[dict] = []
    items: list[RawItem] = []
    section: dict | None = None
    subsection: dict | None = None
    block: list[tuple[Line, str]] = []
    head: tuple | None = None
    parent_index: int | None = None
    trailer_start: int | None = None

    def close_block() -> None:
        if head is not None:
            items.extend(_make_items(src, head, block, section, subsection, warnings, items))

    for index in range(first_heading if first_heading is not None else len(body), len(body)):
        line, (kind, number, title) = body[index], kinds[index]
        if kind == "trailer":
            trailer_start = index
            break
        if kind == "table":
            if index == table.first_line:
                close_block()
                head, block = None, []
                if section is None and table.items:  # every item sits in a section
                    section = _implicit_section(sections, warnings, table.items[0].line)
                for item in table.items:  # a table under a section heading is in it
                    item.section = section["number"]
                    item.subsection = subsection["number"] if subsection else None
                items.extend(table.items)
                warnings.extend(table.warnings)
            continue
        if kind == "section":
            close_block()
            head, block = None, []
            section = {
                "number": number,
                "title": _clean_title(title),
                "line": line.number,
                "subsections": [],
            }
            sections.append(section)
            subsection = None
        elif kind == "subsection":
            close_block()
            head, block = None, []
            if section is None:
                section = _implicit_section(sections, warnings, line.number)
            subsection = {"number": number, "title": _clean_title(title), "line": line.number}
            section["subsections"].append(subsection)
        elif kind in ("item", "paren-item", "sub-item"):
            close_block()
            if section is None:
                section = _implicit_section(sections, warnings, line.number)
            if kind == "paren-item":
                subsection = None  # a （三） item stands at the sub-section's level
            if kind != "sub-item":
                parent_index = len(items)
            head, block = (number, line, kind, parent_index), [(line, "item")]
        elif kind != "blank":
            if head is None:
                warnings.append(
                    warning(
                        line.number,
                        "outside-item",
                        "text outside any numbered item was skipped: "
                        + src.text[line.start : line.end].strip()[:40],
                    )
                )
            else:
                block.append((line, kind))
    close_block()
    if not items:
        raise NoticeError(
            "no numbered items found (expected lines such as '1.' or '（一）', or a task table "
            "with a header row); is this a work-assignment notice?",
            source=src.source,
        )
    if len(sections) == 1 and sections[0]["number"] == 0:
        _one_untitled_section(sections[0], items, warnings)
    parents = {id(i.parent) for i in items if i.parent is not None}
    for item in items:  # an item whose （1）（2） items carry the lists is their heading
        if id(item) in parents and not item.lists:
            item.warnings = [w for w in item.warnings if w["code"] != "no-list"]
    _assign_keys(items)
    warnings.extend(_numbering_warnings(items))
    for item in items:
        warnings.extend(item.warnings)
    last = items[-1]
    if trailer_start is None and not last.lists:
        warnings.append(
            warning(
                last.line,
                "list-cut",
                f"the file seems cut off in item {last.number}: it ends without a "
                "responsibility list",
                last.key,
            )
        )
    elif trailer_start is None and _open_list(last.lists[-1].match):
        warnings.append(
            warning(
                last.line,
                "list-cut",
                f"the file seems cut off in item {last.number}: its responsibility list "
                "never closes",
                last.key,
            )
        )
    start = first_heading if first_heading is not None else len(body)
    if table is not None:
        start = min(start, table.first_line)
    preamble = lines[:start]
    trailer = lines[trailer_start:] if trailer_start is not None else []
    document = _metadata(src, preamble, trailer)
    first_is_lead = any(LEAD_RULE.search(ln.match) for ln in preamble)
    return Structure(document, sections, items, first_is_lead, warnings)


def _open_list(match: str) -> bool:
    """A bracketed list that never closes, or a list ending on a separator."""
    match = match.rstrip()
    return (match[:1] in _OPEN and match[-1:] not in _CLOSE) or match[-1:] in "、,，;；"


def _check_reads_as_chinese(src: SourceText) -> None:
    """Refuse text that cannot be a Chinese notice (English prose, a log file) in one message."""
    sample = "".join(src.match[:20000].split())
    cjk = len(_CJK_CHAR.findall(sample))
    if cjk < 0.1 * len(sample):
        head = src.match[:5000].lower()
        if "<html" in head or "<div" in head or "<!doctype" in head:
            raise NoticeError(
                "this is an HTML page, not the notice's text: save the page as text (or copy "
                "its text into a .txt file) first",
                source=src.source,
            )
        what = "a log file" if _LOG_LINE.search(src.match[:5000]) else "not Chinese text"
        raise NoticeError(
            f"this does not read as a notice ({what}: {cjk} Chinese characters in "
            f"{len(sample)}); expected the text of a Chinese work-assignment notice",
            source=src.source,
        )


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
_MID_LIST = re.compile(r"[。;；!！?？]\s*[(〔\[【]")
_LOG_LINE = re.compile(
    r"(?m)^\s*(\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\[?(INFO|DEBUG|WARN|WARNING|ERROR)\b)"
)


def _classify_all(lines: list[Line]) -> list[tuple[str, int | None, str]]:
    """Kind of every line. A （一） line is an item when the notice has no ``1.`` items, or
    when it carries a list (in brackets, or a 责任单位： line before the next numbered line);
    otherwise it is a sub-section heading (（二）金融合作。 followed by ``1.`` items)."""
    kinds = [_classify(ln) for ln in lines]
    _sub_items(lines, kinds)
    arabic = any(k[0] == "item" for k in kinds)
    for i, (kind, number, title) in enumerate(kinds):
        if kind != "paren":
            continue
        if not arabic or _block_has_list(lines, kinds, i):
            kinds[i] = ("paren-item", number, title)
        else:
            kinds[i] = ("subsection", number, title)
    return kinds


def _sub_items(lines: list[Line], kinds: list[tuple]) -> None:
    """（1）/① lines under one item are items when each carries its own list; when only some
    do (…：①…；②…。（省商务厅）), the list is the whole item's and they are its text."""
    group: list[int] = []
    for i in range(len(kinds) + 1):
        kind = kinds[i][0] if i < len(kinds) else "section"
        if kind == "sub":
            group.append(i)
        elif kind in ("section", "paren", "item", "trailer") and group:
            own = all(_block_has_list(lines, kinds, j) for j in group)
            for j in group:
                kinds[j] = ("sub-item" if own else "text", kinds[j][1], kinds[j][2])
            group = []


def _block_has_list(lines: list[Line], kinds: list[tuple], start: int) -> bool:
    for j in range(start, len(lines)):
        if j > start and kinds[j][0] in (
            "section",
            "paren",
            "item",
            "trailer",
            "subsection",
            "sub",
            "sub-item",
            "paren-item",
        ):
            return False
        if kinds[j][0] == "label" or _list_start(_paren_body(lines[j].match)) is not None:
            return True
    return False


def _paren_body(match: str) -> str:
    m = _PAREN_NUM.match(match)
    return m.group(2) if m else match


def _classify(line: Line) -> tuple[str, int | None, str]:
    text = line.match
    if not text.strip():
        return ("blank", None, "")
    if _TRAILER.match(text):
        return ("trailer", None, "")
    m = _SECTION.match(text)
    if m and len(m.group(2)) <= 40:
        return ("section", cn_number(m.group(1)), m.group(2))
    m = _PAREN_NUM.match(text)
    if m:
        return ("paren", cn_number(m.group(1)), m.group(2))
    m = _SUB_ARABIC.match(text)
    if m:  # （1） or ①
        value = int(m.group(1)) if m.group(1) else ord(m.group(2)) - 0x245F
        return ("sub", value, m.group(3))
    m = _ARABIC.match(text)
    if m:
        return ("item", int(m.group(1)), m.group(2))
    if _LABEL_LINE.match(text):
        return ("label", None, "")
    if _META_LINE.match(text):
        return ("meta", None, "")
    return ("text", None, "")


def _implicit_section(sections: list[dict], warnings: list[dict], line: int) -> dict:
    warnings.append(
        warning(
            line,
            "no-section",
            "items before the first section heading are put in section 0 (untitled)",
        )
    )
    section = {"number": 0, "title": "", "line": line, "subsections": []}
    sections.append(section)
    return section


def _one_untitled_section(section: dict, items: list[RawItem], warnings: list[dict]) -> None:
    """A notice without any section heading (a task table, a list of targets): its items form
    one untitled section numbered 1 (sections are numbered from 1 in the graph)."""
    section["number"] = 1
    for item in items:
        item.section = 1
    for w in warnings:
        if w["code"] == "no-section":
            w["message"] = (
                "the notice has no section heading: its items are put in one untitled section 1"
            )


def _clean_title(title: str) -> str:
    return "".join(title.split()).rstrip("。.:：")


def _pieces(src: SourceText, block: list[Line], first_offset: int) -> list[tuple[int, int]]:
    """Offsets of the block's text, line by line, stripped; first line from *first_offset*."""
    out = []
    for i, line in enumerate(block):
        start = first_offset if i == 0 else line.start
        end = line.end
        while start < end and src.text[start].isspace():
            start += 1
        while end > start and src.text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


def _assemble(src: SourceText, pieces: list[tuple[int, int]]) -> tuple[str, str, list[int]]:
    """Join pieces of the source into (text, match, offsets) with pinyin glosses dropped."""
    text, match, offsets = [], [], []
    for start, end in pieces:
        skip = set()
        for gs, ge in pinyin_glosses(src.match[start:end]):
            skip.update(range(start + gs, start + ge))
        for i in range(start, end):
            if i not in skip:
                text.append(src.text[i])
                match.append(src.match[i])
                offsets.append(i)
    return "".join(text), "".join(match), offsets


def _make_items(
    src: SourceText,
    head: tuple,
    block: list[tuple[Line, str]],
    section: dict | None,
    subsection: dict | None,
    warnings: list[dict],
    done: list[RawItem],
) -> list[RawItem]:
    """The item(s) of one numbered block: one per list-closed sentence (usually one)."""
    number, first, kind, parent = head
    pattern = {"paren-item": _PAREN_NUM, "sub-item": _SUB_ARABIC}.get(kind, _ARABIC)
    found = pattern.match(first.match)
    body_start = first.start + found.start(found.lastindex)
    text_lines, label_groups, deadline_lines = _sort_block(block)
    text_lines = _drop_trailing_lines(src, text_lines, label_groups, number, warnings)
    text, match, offsets = _assemble(src, _pieces(src, text_lines, body_start))
    label_lists = [_lines_list(src, group) for group in label_groups]
    item_warnings: list[dict] = []
    cuts = _bracket_lists(match)
    if not cuts and not label_lists:
        inline = _inline_label(match)
        if inline is not None:
            cuts = [(inline, len(match.rstrip("。. ")))]
    if not cuts and not label_lists:
        unclosed = _unclosed_bracket(match)
        if unclosed is not None:
            where = src.line_of(offsets[unclosed])
            item_warnings.append(
                warning(
                    first.number,
                    "list-cut",
                    f"item {number}: a bracket opened on line {where} never closes",
                )
            )
            if _looks_like_list(match[unclosed + 1 :]):
                cuts = [(unclosed, len(match.rstrip("。. ")))]
        if not cuts:
            item_warnings.append(
                warning(first.number, "no-list", f"item {number} has no responsibility list")
            )
    elif cuts:
        inner = _unclosed_bracket(match[: cuts[0][0]])
        if inner is not None:
            where = src.line_of(offsets[inner])
            item_warnings.append(
                warning(
                    first.number,
                    "list-cut",
                    f"item {number}: a bracket opened on line {where} never closes",
                )
            )
    parts = _split_parts(text, match, offsets, cuts, src)
    items = []
    for part, (t, m, span, lst) in enumerate(parts):
        lists = [lst] if lst is not None else []
        if part == len(parts) - 1:
            lists.extend(label_lists)
        line = first.number if part == 0 else src.line_of(span[0])
        items.append(_raw_item(number, section, subsection, line, t, m, span, lists, part, src))
        if part > 0 and not lists:
            items[-1].warnings.append(
                warning(line, "no-list", f"item {number}: a sentence after its lists has no list")
            )
    if items:
        items[0].warnings[:0] = item_warnings
    if deadline_lines and items:
        m = _DEADLINE_LINE.match(deadline_lines[0].match)
        items[-1].deadline = src.text[
            deadline_lines[0].start + m.start(1) : deadline_lines[0].start + m.end(1)
        ]
    if kind == "sub-item" and parent is not None and parent < len(done):
        for item in items:
            item.parent = done[parent]
    return items


def _raw_item(number, section, subsection, line, text, match, span, lists, part, src) -> RawItem:
    resp = resp_match = resp_span = None
    if len(lists) == 1:
        resp, resp_match, resp_span = lists[0].text, lists[0].match, lists[0].span
    elif lists:
        resp_span = (lists[0].span[0], lists[-1].span[1])
        resp, resp_match = (
            src.text[resp_span[0] : resp_span[1]],
            src.match[resp_span[0] : resp_span[1]],
        )
    return RawItem(
        number=number,
        key=str(number),
        section=section["number"] if section else None,
        subsection=subsection["number"] if subsection else None,
        line=line,
        text=text,
        text_match=match,
        span=span,
        responsibility=resp,
        responsibility_match=resp_match,
        responsibility_span=resp_span,
        lists=lists,
        part=part,
    )


def _split_parts(text, match, offsets, cuts, src):
    """Cut the assembled text at its lists: ``[(text, match, span, ListSpan | None)]``."""
    parts = []
    previous = 0
    for start, end in cuts:
        t, m = text[previous:start].rstrip(), match[previous:start].rstrip()
        lead = len(t) - len(t.lstrip(" \t"))
        t, m = t[lead:], m[lead:]
        begin = previous + lead
        span = (
            (offsets[begin], offsets[begin + len(t) - 1] + 1) if t else _empty_span(offsets, start)
        )
        parts.append((t, m, span, _text_list(src, text, match, offsets, start, end)))
        previous = end
    rest_t, rest_m = text[previous:], match[previous:]
    if rest_m.strip(" \t。.;；,，") or not parts:
        lead = len(rest_t) - len(rest_t.lstrip())
        t, m = rest_t.strip(), rest_m.strip()
        begin = previous + lead
        span = (
            (offsets[begin], offsets[begin + len(t) - 1] + 1)
            if t
            else _empty_span(offsets, previous)
        )
        parts.append((t, m, span, None))
    return parts


def _empty_span(offsets: list[int], at: int) -> tuple[int, int]:
    if not offsets:
        return (0, 0)
    pos = offsets[min(at, len(offsets) - 1)]
    return (pos, pos)


def _text_list(src, text, match, offsets, start, end) -> ListSpan:
    written, m = text[start:end].rstrip("。. "), match[start:end].rstrip("。. ")
    span = (offsets[start], offsets[start + len(written) - 1] + 1)
    return ListSpan(src.text[span[0] : span[1]], written, m, span)


def _sort_block(block: list[tuple[Line, str]]) -> tuple[list[Line], list[list[Line]], list[Line]]:
    """The block's text lines, and its label lists as groups of lines: a line right after a
    label line continues its list when the label line ends on a separator (、，) or the line
    reads as names only (a list wrapped by the copy)."""
    from graph.extract.tables import unit_cell

    text_lines: list[Line] = []
    groups: list[list[Line]] = []
    deadlines: list[Line] = []
    last = None
    for line, kind in block:
        if kind == "meta" and _DEADLINE_LINE.match(line.match):
            deadlines.append(line)
            continue
        if kind == "label":
            groups.append([line])
        elif kind in ("item", "text"):
            if last == "label" and (
                groups[-1][-1].match.rstrip()[-1:] in "、,，;；" or unit_cell(line.match.strip())
            ):
                groups[-1].append(line)
                continue
            text_lines.append(line)
        else:
            continue
        last = kind
    return text_lines, groups, deadlines


#: a line giving the item's time limit (完成时限：2024年底前), read as its deadline
_DEADLINE_LINE = re.compile(
    r"^\s*(?:完成时限|完成时间|时限要求|时间节点|时限|完成期限)\s*[:：]\s*(\S.*?)\s*$"
)


def _lines_list(src: SourceText, group: list[Line]) -> ListSpan:
    start, end = group[0].start, group[-1].end
    while start < end and src.match[start].isspace():
        start += 1
    while end > start and src.match[end - 1] in " \t。.":
        end -= 1
    raw = src.text[start:end]
    text, match, _ = _assemble(src, _pieces(src, group, start))
    text, match = text.rstrip("。. "), match.rstrip("。. ")
    return ListSpan(raw, text, match, (start, end))


def _drop_trailing_lines(src, text_lines, label_groups, number, warnings) -> list[Line]:
    """Lines after the line that closes the item's list, with no list of their own, are not
    the item's (a reporter's byline, 详见…): skipped with a warning naming them."""
    if label_groups or len(text_lines) < 2:
        return text_lines
    closing = None
    for i, ln in enumerate(text_lines):
        if _list_start(_paren_body(_arabic_body(ln.match))) is not None:
            closing = i
    if closing is None or closing == len(text_lines) - 1:
        return text_lines
    rest = text_lines[closing + 1 :]
    if any(_unclosed_bracket(ln.match) is not None or ")" in ln.match for ln in rest):
        return text_lines
    for ln in rest:
        warnings.append(
            warning(
                ln.number,
                "outside-item",
                f"text after the list of item {number} was skipped: "
                + src.text[ln.start : ln.end].strip()[:40],
            )
        )
    return text_lines[: closing + 1]


def _arabic_body(match: str) -> str:
    m = _ARABIC.match(match)
    return m.group(2) if m else match


def _bracket_lists(match: str) -> list[tuple[int, int]]:
    """Spans of the item's bracketed lists, in order: the final bracket, and brackets that close
    a sentence inside the paragraph (…规划信息。(市规划国土委负责落实)推进…)."""
    out = []
    final = _list_start(match)
    end_of_text = len(match.rstrip("。. \t"))
    depth, opened = 0, None
    limit = final if final is not None else len(match)
    if not _MID_LIST.search(match, 0, limit):  # no bracket right after a sentence end
        return [(final, end_of_text)] if final is not None else []
    for i, ch in enumerate(match[:limit]):
        if ch in _OPEN:
            if depth == 0:
                opened = i
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
            if depth == 0 and opened is not None:
                before = match[:opened].rstrip()
                after = match[i + 1 :].strip()
                if (
                    before
                    and before[-1] in _SENTENCE_END
                    and after
                    and _looks_like_list(match[opened + 1 : i])
                ):
                    out.append((opened, i + 1))
    if final is not None:
        out.append((final, end_of_text))
    return out


def _inline_label(match: str) -> int | None:
    """Start of a list written at the item's end without brackets (…。责任单位：市发改委)."""
    end = len(match.rstrip("。. "))
    for m in _INLINE_LABEL.finditer(match):
        if m.start() > 0 and "。" not in match[m.start() : end]:
            return m.start()
    return None


def _list_start(match: str) -> int | None:
    """Where the final bracketed responsibility list starts, or None if the item has none."""
    end = len(match.rstrip("。. \t"))
    if end == 0 or match[end - 1] not in _CLOSE:
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        ch = match[i]
        if ch in _CLOSE:
            depth += 1
        elif ch in _OPEN:
            depth -= 1
            if depth == 0:
                return i if _looks_like_list(match[i + 1 : end - 1]) else None
    return None


def _unclosed_bracket(match: str) -> int | None:
    """Offset of the last opening bracket that never closes."""
    stack: list[int] = []
    for i, ch in enumerate(match):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            stack.pop()
    return stack[-1] if stack else None


@lru_cache(maxsize=8192)
def _looks_like_list(inner: str) -> bool:
    """True when a bracket's content reads as units, not as text (以下简称CEPA, 2017年底前)."""
    from graph.extract.responsibility import parse_list

    inner = inner.strip()
    if not inner or len(inner) > 400:
        return False
    if "。" in inner:
        # 〔责任单位：…按职责分工负责。具体任务均涉及…，下同。〕: a list, then a note
        head = inner[: inner.index("。")]
        if not LABEL.match(head) and not re.search(r"(负责|牵头|配合)$", head):
            return False
    parsed = parse_list(inner)
    return any(u.known or _unit_ending(u.name) for u in parsed.units)


def _unit_ending(name: str) -> bool:
    from graph.extract.responsibility import _UNIT_ENDINGS, _UNIT_SUFFIXES

    return len(name) >= 2 and (
        name[-1] in _UNIT_ENDINGS or name.endswith(_UNIT_SUFFIXES) or name.startswith("各")
    )


def _restart_scope(items: list[RawItem]) -> str | None:
    """How numbering restarts: ``"section"`` (（一） items, or 1. items per section),
    ``"subsection"`` (1. items per （一） sub-section), or None (numbered through).

    A restart is an item numbered 1 that opens a new section or sub-section.
    """
    scope = None
    items = [i for i in items if i.part == 0 and i.parent is None]
    for previous, item in zip(items, items[1:], strict=False):
        if item.number != 1 or previous.number == 0:
            continue
        if item.section != previous.section:
            scope = scope or "section"
        elif item.subsection != previous.subsection and item.subsection is not None:
            scope = "subsection"
    return scope


def _scope_key(item: RawItem, scope: str | None) -> str:
    if scope == "section":
        return f"{item.section}.{item.number}"
    if scope == "subsection":
        return f"{item.section}.{item.subsection or 0}.{item.number}"
    return str(item.number)


_PART_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _assign_keys(items: list[RawItem]) -> None:
    """Give every item a key unique in its notice: its number ("5"); "2.3" when numbering
    restarts per section ("2.1.3" per sub-section); "5-2" for the second item numbered 5;
    "5b", "5c" for the further list-closed sentences of paragraph 5; "5.2" for a （2） item
    under item 5."""
    scope = _restart_scope(items)
    seen: dict[str, int] = {}
    base = ""
    for item in items:
        if item.part:
            item.key = (
                base
                + _PART_LETTERS[min(item.part, 25)]
                + (str(item.part) if item.part > 25 else "")
            )
            continue
        if item.parent is not None:  # （2） under item 5: "5.2"
            key = f"{item.parent.key}.{item.number}"
        else:
            key = _scope_key(item, scope)
        seen[key] = seen.get(key, 0) + 1
        item.key = base = key if seen[key] == 1 else f"{key}-{seen[key]}"
    for item in items:
        for w in item.warnings:
            w["item"] = item.key


def _numbering_warnings(items: list[RawItem]) -> list[dict]:
    """Warnings for numbers that repeat or skip (a restart where the notice restarts is fine)."""
    scope = _restart_scope(items)
    out: list[dict] = []
    items = [i for i in items if i.part == 0 and i.parent is None]
    for previous, item in zip(items, items[1:], strict=False):
        restart = (
            scope is not None
            and item.number == 1
            and (item.section, item.subsection if scope == "subsection" else None)
            != (previous.section, previous.subsection if scope == "subsection" else None)
        )
        if restart:
            continue
        if item.number == previous.number:
            out.append(
                warning(
                    item.line,
                    "number-repeat",
                    f"item number {item.number} repeats (kept as key {item.key})",
                    item.key,
                )
            )
        elif item.number != previous.number + 1:
            out.append(
                warning(
                    item.line,
                    "number-gap",
                    f"item numbers jump from {previous.number} to {item.number}",
                    item.key,
                )
            )
    return out


def _metadata(src: SourceText, preamble: list[Line], trailer: list[Line]) -> dict:
    """Identifier, title, issuer, recipients, contact unit, cc list, date, annex title."""
    texts = [(ln, src.text[ln.start : ln.end].strip(), ln.match.strip()) for ln in preamble]
    texts = [t for t in texts if t[2]]
    doc = {
        "identifier": None,
        "title": None,
        "issuer": None,
        "date": None,
        "recipients": [],
        "contact_unit": None,
        "cc": [],
        "annex_title": None,
    }
    for _, _written, match in texts:
        m = _IDENTIFIER.search(match)
        if m and len(match) <= 40:
            # simplified script, so that a traditional web copy names the same document
            doc["identifier"] = f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}号"
            break
    title_at = None
    for i, (_, _written, match) in enumerate(texts):
        if ">" in match or "|" in match or "关于" not in match:
            continue
        joined, j = match, i
        while not _TITLE_END.search(_squash(joined)) and j + 1 < len(texts) and j - i < 2:
            j += 1
            joined += texts[j][2]
        if "关于" in joined and _TITLE_END.search(_squash(joined)) and len(_squash(joined)) <= 120:
            doc["title"] = _squash("".join(t[1] for t in texts[i : j + 1]))
            title_at = j
            break
    if doc["title"]:
        at = matching_form(doc["title"]).find("关于")
        if at > 0:
            doc["issuer"] = doc["title"][:at]
    for _, written, match in texts:
        if doc["issuer"] is None and re.fullmatch(
            r"\S{2,20}(人民政府|办公厅|国务院|委员会)", match
        ):
            doc["issuer"] = written
    for _, written, match in texts[(title_at + 1) if title_at is not None else 0 :]:
        if match.endswith((":", "：")) and len(match) <= 120 and not doc["recipients"]:
            # 、 joins recipients of one kind (各省、自治区、直辖市人民政府): split on commas only
            doc["recipients"] = _split_list(written[:-1], separators="，,；;")
            continue
        m = _CONTACT.search(match)
        if m and doc["contact_unit"] is None:
            doc["contact_unit"] = written[m.start(1) : m.end(1)]
    if texts:
        last_written, last_match = texts[-1][1], texts[-1][2]
        if (
            not last_match.endswith(("。", ":", "："))
            and len(last_match) <= 60
            and not _IDENTIFIER.search(last_match)
            and texts[-1][0] is not None
            and (title_at is None or len(texts) - 1 > title_at)
        ):
            doc["annex_title"] = last_written
    for ln in [*preamble, *trailer]:
        match = ln.match.strip()
        written = src.text[ln.start : ln.end].strip()
        if match.startswith("抄送"):
            doc["cc"] = _split_list(re.sub(r"^抄送\s*[:：]\s*", "", written).rstrip("。."))
        date = _parse_date(match)
        if date:
            doc["date"] = date
    if doc["title"] is None and doc["annex_title"]:
        doc["title"] = _squash(doc["annex_title"])
    return doc


def _squash(text: str) -> str:
    """Remove stray spaces (between Chinese characters and at the ends)."""
    return "".join(text.split())


def _split_list(text: str, separators: str = "，,、；;") -> list[str]:
    return [p.strip() for p in re.split(f"[{separators}]", text) if p.strip()]


def _parse_date(match: str) -> str | None:
    m = _DATE.match(match)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _CN_DATE.match(match)
        if not m:
            return None
        y = int("".join(str(CN_DIGITS[c]) for c in m.group(1)))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None
