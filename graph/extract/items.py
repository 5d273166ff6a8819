"""Stage 2, items: the structure of a notice — metadata, sections, sub-sections, numbered items,
and each item's text and raw responsibility list with their character spans.

Everything is read from the matching form of :class:`graph.extract.text.SourceText` (simplified,
half-width) and sliced from the text as written, so spans point into the decoded source.
Line breaks inside an item are page-break artefacts of PDF conversion and are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.errors import NoticeError
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

_SECTION = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.]\s*(\S.*?)\s*$")
_PAREN_NUM = re.compile(r"^\s*\(\s*([一二三四五六七八九十]{1,3})\s*\)\s*(.*?)\s*$")
_ARABIC = re.compile(r"^\s*(\d{1,3})\s*[.、](?!\d)\s*(\S.*?)\s*$")
_TRAILER = re.compile(
    r"^\s*(公开方式|信息公开选项|抄送|主题词|附件[:：]|[^\s]{0,12}办公厅(秘书处)?\s*\d{4}年.*印发)"
)
_IDENTIFIER = re.compile(
    r"([\u4e00-\u9fff]{1,10})\s*[〔\[【(]\s*(\d{4})\s*[〕\]】)]\s*(\d{1,4})\s*号"
)
_TITLE_END = re.compile(r"(通知|意见|方案|决定|批复|公告|通报|规划|要点|安排|办法|函|分工)$")
_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(
    r"^\s*([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$"
)
_LEAD_RULE = re.compile(r"(列|排)在(首位|第一位|前面)的?(单位|部门)?(为|是)牵头")
_CONTACT = re.compile(r"(?:请径向|请及时向|径向|请向|请与)(\S{2,20}?)(?:反映|报告|联系|反馈)")
_OPEN = "(〔[【"
_CLOSE = ")〕]】"


@dataclass
class Line:
    """One line of the source: its offsets and its matching form."""

    number: int
    start: int
    end: int
    match: str


@dataclass
class RawItem:
    """A numbered item as found: where it is and what it says, before its list is parsed."""

    number: int
    key: str
    section: int | None
    subsection: int | None
    line: int
    text: str
    text_match: str
    span: tuple[int, int]
    responsibility: str | None
    responsibility_match: str | None
    responsibility_span: tuple[int, int] | None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Structure:
    """What the structure reader found in a notice."""

    document: dict
    sections: list[dict]
    items: list[RawItem]
    first_is_lead: bool
    warnings: list[dict]


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

    Raises :class:`NoticeError` when the file holds no numbered item at all.
    """
    lines = split_lines(src)
    if not src.text.strip():
        raise NoticeError("the file is empty", source=src.source)
    paren_items = not any(_ARABIC.match(ln.match) and _plausible_arabic(ln.match) for ln in lines)
    kinds = [_classify(ln, paren_items) for ln in lines]
    first_heading = next((i for i, k in enumerate(kinds) if k[0] in ("section", "item")), None)
    if first_heading is None:
        raise NoticeError(
            "no numbered items found (expected lines such as '1.' or '（一）')", source=src.source
        )
    warnings: list[dict] = []
    sections: list[dict] = []
    items: list[RawItem] = []
    section: dict | None = None
    subsection: dict | None = None
    block: list[Line] = []
    head: tuple | None = None
    trailer_start: int | None = None

    def close_block() -> None:
        if head is not None:
            items.append(_make_item(src, head, block, section, subsection, paren_items))

    for index in range(first_heading, len(lines)):
        line, (kind, number, title) = lines[index], kinds[index]
        if kind == "trailer":
            trailer_start = index
            break
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
        elif kind == "item":
            close_block()
            if section is None:
                section = _implicit_section(sections, warnings, line.number)
            head, block = (number, line), [line]
        elif line.match.strip():
            if head is None:
                warnings.append(
                    {
                        "line": line.number,
                        "message": "text outside any numbered item was skipped: "
                        + src.text[line.start : line.end].strip()[:40],
                    }
                )
            else:
                block.append(line)
    close_block()
    _assign_keys(items, paren_items)
    warnings.extend(_numbering_warnings(items, paren_items))
    for item in items:
        warnings.extend({"line": item.line, "message": w} for w in item.warnings)
    last = items[-1] if items else None
    if last is not None and trailer_start is None:
        if last.responsibility is None:
            warnings.append(
                {
                    "line": last.line,
                    "message": f"the file seems cut off in item {last.number}: "
                    "it ends without a responsibility list",
                }
            )
        elif last.responsibility_match[-1:] not in _CLOSE:
            warnings.append(
                {
                    "line": last.line,
                    "message": f"the file seems cut off in item {last.number}: "
                    "its responsibility list never closes",
                }
            )
    preamble = lines[:first_heading]
    trailer = lines[trailer_start:] if trailer_start is not None else []
    document = _metadata(src, preamble, trailer)
    first_is_lead = any(_LEAD_RULE.search(ln.match) for ln in preamble)
    return Structure(document, sections, items, first_is_lead, warnings)


def _plausible_arabic(match: str) -> bool:
    m = _ARABIC.match(match)
    return bool(m) and not re.match(r"\s*\d{4}", match)


def _classify(line: Line, paren_items: bool) -> tuple[str, int | None, str]:
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
        return ("item" if paren_items else "subsection", cn_number(m.group(1)), m.group(2))
    m = _ARABIC.match(text)
    if m and not paren_items and _plausible_arabic(text):
        return ("item", int(m.group(1)), m.group(2))
    return ("text", None, "")


def _implicit_section(sections: list[dict], warnings: list[dict], line: int) -> dict:
    warnings.append(
        {
            "line": line,
            "message": "items before the first section heading are put in section 0 (untitled)",
        }
    )
    section = {"number": 0, "title": "", "line": line, "subsections": []}
    sections.append(section)
    return section


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


def _make_item(
    src: SourceText,
    head: tuple,
    block: list[Line],
    section: dict | None,
    subsection: dict | None,
    paren_items: bool,
) -> RawItem:
    number, first = head
    pattern = _PAREN_NUM if paren_items else _ARABIC
    m = pattern.match(first.match)
    body_start = first.start + m.start(2)
    text, match, offsets = _assemble(src, _pieces(src, block, body_start))
    warnings: list[str] = []
    cut = _list_start(match)
    resp = resp_match = resp_span = None
    if cut is None:
        unclosed = _unclosed_bracket(match)
        if unclosed is not None:
            where = src.line_of(offsets[unclosed])
            warnings.append(f"item {number}: a bracket opened on line {where} never closes")
            if _looks_like_list(match[unclosed + 1 :]):
                cut = unclosed
        if cut is None:
            warnings.append(f"item {number} has no responsibility list")
    if cut is not None:
        inner = _unclosed_bracket(match[:cut])
        if inner is not None and not warnings:
            where = src.line_of(offsets[inner])
            warnings.append(f"item {number}: a bracket opened on line {where} never closes")
        resp, resp_match = text[cut:].rstrip("。. "), match[cut:].rstrip("。. ")
        resp_span = (offsets[cut], offsets[cut + len(resp) - 1] + 1)
        text, match = text[:cut].rstrip(), match[:cut].rstrip()
    span = (offsets[0], offsets[len(text) - 1] + 1) if text else (body_start, body_start)
    return RawItem(
        number=number,
        key=str(number),
        section=section["number"] if section else None,
        subsection=subsection["number"] if subsection else None,
        line=first.number,
        text=text,
        text_match=match,
        span=span,
        responsibility=resp,
        responsibility_match=resp_match,
        responsibility_span=resp_span,
        warnings=warnings,
    )


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


def _looks_like_list(inner: str) -> bool:
    """True when a bracket's content reads as units, not as text (以下简称CEPA, 2017年底前)."""
    from graph.extract.responsibility import parse_list

    inner = inner.strip()
    if not inner or "。" in inner or len(inner) > 400:
        return False
    parsed = parse_list(inner)
    return any(u.known or _unit_ending(u.name) for u in parsed.units)


def _unit_ending(name: str) -> bool:
    from graph.extract.responsibility import _UNIT_ENDINGS

    return len(name) >= 2 and name[-1] in _UNIT_ENDINGS


def _restart_scope(items: list[RawItem]) -> str | None:
    """How numbering restarts: ``"section"`` (（一） items, or 1. items per section),
    ``"subsection"`` (1. items per （一） sub-section), or None (numbered through).

    A restart is an item numbered 1 that opens a new section or sub-section.
    """
    scope = None
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


def _assign_keys(items: list[RawItem], paren_items: bool) -> None:
    """Give every item a key unique in its notice: its number ("5"); "2.3" when numbering
    restarts per section ("2.1.3" per sub-section); "5-2" for the second item numbered 5."""
    scope = _restart_scope(items)
    seen: dict[str, int] = {}
    for item in items:
        key = _scope_key(item, scope)
        seen[key] = seen.get(key, 0) + 1
        item.key = key if seen[key] == 1 else f"{key}-{seen[key]}"


def _numbering_warnings(items: list[RawItem], paren_items: bool) -> list[dict]:
    """Warnings for numbers that repeat or skip (a restart where the notice restarts is fine)."""
    scope = _restart_scope(items)
    out: list[dict] = []
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
            message = f"item number {item.number} repeats (kept as key {item.key})"
        elif item.number != previous.number + 1:
            message = f"item numbers jump from {previous.number} to {item.number}"
        else:
            continue
        out.append({"line": item.line, "message": message})
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
