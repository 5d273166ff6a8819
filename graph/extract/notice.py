"""Extraction: a notice file → the extraction dict (the JSON contract of ``yuegang extract``).

This module only orchestrates the stages: :mod:`graph.extract.text` (decode, normalise),
:mod:`graph.extract.items` (structure), :mod:`graph.extract.responsibility` (units and roles),
:mod:`graph.extract.gazetteer` (places, themes) and :mod:`graph.extract.keywords` (jieba).

>>> notice = extract_file()
>>> notice["document"]["identifier"], len(notice["items"])
('粤府函〔2017〕38号', 77)
>>> [a["name"] for a in notice["items"][0]["agencies"]][:2]
['省发展改革委', '省公安厅']
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from graph.extract.gazetteer import find_places, find_themes
from graph.extract.items import RawItem, read_structure, warning
from graph.extract.register import Register, load_register
from graph.extract.responsibility import parse_lists
from graph.extract.text import DEFAULT_MAX_SIZE, SourceText, from_string, read_bytes, read_file

BUNDLED_NOTICE = "yuegang-2017-key-work.txt"


def bundled_notice_path() -> Path:
    """Path of the bundled 2017 notice (the default input)."""
    return Path(str(resources.files("graph.extract.data") / BUNDLED_NOTICE))


def extract_file(
    path: str | Path | None = None,
    *,
    keywords: bool = True,
    register: Register | None = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
) -> dict:
    """Extract a notice file (``None``: the bundled 2017 notice); a file larger than
    *max_size* bytes is refused before it is read."""
    src = read_file(path if path is not None else bundled_notice_path(), max_size=max_size)
    return extract_source(src, keywords=keywords, register=register)


def summarise_warnings(warnings: list[dict], source: str = "") -> list[str]:
    """Warnings as lines for a reader: identical ones (same code and message, whichever item)
    are one line with a count and their first lines, so that a thousand unknown units or
    skipped lines do not bury the rest.

    >>> w = [{"line": n, "code": "unknown-unit", "item": str(n),
    ...       "message": f"item {n}: unit '某办' is not in the agency register"} for n in (3, 5, 9)]
    >>> summarise_warnings(w, "a.txt")
    ["a.txt:3: item 3: unit '某办' is not in the agency register (and 2 more like it, lines 5, 9)"]
    """
    groups: dict[tuple, list[dict]] = {}
    for w in warnings:
        key = (w.get("code"), _ITEM_PREFIX.sub("", w["message"]))
        groups.setdefault(key, []).append(w)
    out = []
    for same in groups.values():
        first = same[0]
        where = f"{source}:{first['line']}" if first["line"] else source
        line = f"{where}: {first['message']}" if where else first["message"]
        if len(same) > 1:
            lines = [str(w["line"]) for w in same[1:] if w["line"]]
            shown = ", ".join(lines[:5]) + (", …" if len(lines) > 5 else "")
            line += f" (and {len(same) - 1} more like it" + (f", lines {shown})" if lines else ")")
        out.append(line)
    return out


_ITEM_PREFIX = re.compile(r"^item \S+?:? ")


def extract_text(
    text: str, source: str = "<text>", *, keywords: bool = True, register: Register | None = None
) -> dict:
    """Extract a notice given as a string."""
    return extract_source(from_string(text, source=source), keywords=keywords, register=register)


def extract_bytes(
    data: bytes, source: str = "<bytes>", *, keywords: bool = True, register: Register | None = None
) -> dict:
    """Extract a notice given as bytes (any supported encoding)."""
    return extract_source(read_bytes(data, source=source), keywords=keywords, register=register)


def extract_source(
    src: SourceText, *, keywords: bool = True, register: Register | None = None
) -> dict:
    """Extract a decoded notice into the contract dict."""
    structure = read_structure(src)
    register = register or load_register()
    doc_year = _document_year(structure)
    texts = [raw.text_match for raw in structure.items]
    found = _keywords(src.sha256, texts) if keywords else [[] for _ in texts]
    items = []
    first_is_lead = structure.first_is_lead
    for raw, kw in zip(structure.items, found, strict=True):
        item, rule = _item(raw, first_is_lead, register, doc_year, kw)
        first_is_lead = first_is_lead or rule  # 列第一位为牵头单位，下同: from this item on
        items.append(item)
    document = {
        "identifier": structure.document["identifier"],
        "title": structure.document["title"],
        "issuer": structure.document["issuer"],
        "date": structure.document["date"],
        "source": Path(src.source).name,
        "sha256": src.sha256,
        "recipients": structure.document["recipients"],
        "contact_unit": structure.document["contact_unit"],
        "cc": structure.document["cc"],
        "annex_title": structure.document["annex_title"],
        "script": src.script,
        "encoding": src.encoding,
    }
    warnings = sorted(structure.warnings, key=lambda w: w["line"] or 0)
    for item in items:
        for name in item.pop("_unknown"):
            warnings.append(
                warning(
                    item["line"],
                    "unknown-unit",
                    f"item {item['key']}: unit {name!r} is not in the agency register "
                    "(kept, known: false)",
                    item["key"],
                )
            )
    return {
        "document": document,
        "sections": structure.sections,
        "items": items,
        "warnings": warnings,
    }


def _item(
    raw: RawItem,
    first_is_lead: bool,
    register: Register,
    doc_year: int | None,
    keywords: list[str],
) -> tuple[dict, bool]:
    parsed = None
    if raw.lists:
        parsed = parse_lists(
            [(lst.text, lst.match, lst.role) for lst in raw.lists],
            first_is_lead=first_is_lead,
            register=register,
        )
    units = parsed.units if parsed else []
    deadline = raw.deadline or (parsed.deadline if parsed else None)
    item = {
        "number": raw.number,
        "key": raw.key,
        "section": raw.section,
        "subsection": raw.subsection,
        "line": raw.line,
        "text": raw.text,
        "responsibility": raw.responsibility,
        "span": list(raw.span),
        "responsibility_span": list(raw.responsibility_span) if raw.responsibility_span else None,
        "lists": [lst.to_dict() for lst in raw.lists],
        "agencies": [u.to_dict() for u in units],
        "deadline": deadline,
        "tail": "".join(parsed.dropped) if parsed and parsed.dropped else None,
        "places": [p.name for p in find_places(raw.text_match)],
        "themes": [t.name for t in find_themes(raw.text_match)],
        "keywords": keywords,
        "target_year": target_year(raw.text_match + "。" + _deadline_match(deadline), doc_year),
        "_unknown": [u.name for u in units if not u.known],
    }
    return item, bool(parsed and parsed.first_is_lead_rule)


def _deadline_match(deadline: str | None) -> str:
    """The deadline group of a list (``2019年底前完成``), in matching form, or ''."""
    from graph.extract.text import matching_form

    return matching_form(deadline) if deadline else ""


def _keywords(sha256: str, texts: list[str]) -> list[list[str]]:
    """Each item's keywords, cached by the notice's SHA-256 (jieba loads only for new notices)."""
    from graph.extract.keywords import notice_keywords

    return notice_keywords(sha256, texts)


def _document_year(structure) -> int | None:
    doc = structure.document
    for value in (doc["identifier"], doc["date"], doc["annex_title"], doc["title"]):
        m = re.search(r"(20\d{2}|19\d{2})", value or "")
        if m:
            return int(m.group(1))
    return None


_QUOTED_TITLES = re.compile(r"《[^》]*》|〔[^〕]*〕|\[[^\]]*\]")
_YEAR = re.compile(
    r"(20\d{2})(?:\s*[-—–~至到]\s*(20\d{2}))?\s*(年(?![代的])|(?=[\u4e00-\u9fff])(?!年))"
)


def target_year(text: str, document_year: int | None = None) -> int | None:
    """The year by which the item is to be done or held, if the text fixes one.

    Years inside titles (《…》) and document numbers (〔2015〕) are not targets, nor years before
    the notice's own year (things already done), nor a year that describes something
    (确定2020年的减排目标).

    >>> target_year("力争在2018年建成启用。", 2017)
    2018
    >>> target_year("香港落实 2016 年 11 月推出的计划", 2017) is None
    True
    >>> target_year("在2017-2018年度提供更多实习岗位", 2017)
    2018
    """
    text = _QUOTED_TITLES.sub("", text)
    years = []
    for m in _YEAR.finditer(text):
        year = int(m.group(2) or m.group(1))
        if document_year is None or year >= document_year:
            years.append(year)
    return max(years) if years else None
