"""Corrections: a researcher's CSV of responsibility lists as they should read → corrected items.

A corrections file sits beside the notices and never touches them. It has the columns
``document,item,list,note`` (UTF-8, or GB18030 as Excel saves it on a Chinese system):

- ``document``: the notice's identifier (``粤府函〔2017〕38号``) or its file name;
- ``item``: the item key as ``yuegang extract`` gives it (``1``, ``2.3``, ``5-2``);
- ``list``: the responsibility list as it should read, written as notices write lists
  (``（省商务厅牵头，省港澳办配合）``), read by :func:`graph.extract.responsibility.parse_list`
  with the notice's own rules (a notice whose preamble says the first listed unit leads keeps
  that rule);
- ``note``: why.

:func:`apply_corrections` returns new extraction dicts: a corrected item's ``agencies`` (and its
``deadline``, and ``tail`` when the extractor gives one) are those of the corrected list, and the
item gains ``"correction": {"list", "note", "source", "line", "extracted", "extracted_deadline"}``
(``extracted``: the units as first read). The graph records that provenance
(:mod:`graph.rdf.corrections`); the proofreading page shows both readings side by side.

Errors (:class:`CorrectionError`, naming the CSV file and line): a header other than the four
columns, an unknown document or item, a list that reads as no unit, the same item corrected twice.
A correction that changes nothing is a warning and is left out.

:func:`attention` says which items a reader should check (no list, an unknown unit, a number
that jumps or repeats, a list cut off, a tail or deadline read from the list);
:func:`corrections_template` writes those items as a corrections file ready to edit.

>>> from graph.extract.notice import extract_text
>>> notice = extract_text("一、合作\\n1. 推进试点。（省商务厅、港澳办）\\n", "t.txt", keywords=False)
>>> fixes = parse_corrections("document,item,list,note\\nt.txt,1,（省商务厅牵头，省港澳办配合）,roles\\n")
>>> fixed, warnings = apply_corrections([notice], fixes)
>>> [(a["name"], a["role"]) for a in fixed[0]["items"][0]["agencies"]]
[('省商务厅', 'lead'), ('省港澳办', 'support')]
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.errors import YuegangError
from graph.extract.register import Register, load_register
from graph.extract.responsibility import parse_list
from graph.extract.text import matching_form

__all__ = [
    "ATTENTION",
    "COLUMNS",
    "Correction",
    "CorrectionError",
    "apply_corrections",
    "attention",
    "corrections_template",
    "parse_corrections",
    "read_corrections",
]

COLUMNS = ("document", "item", "list", "note")

#: Why an item needs attention: code → label (zh, en), in the order the page lists them.
ATTENTION = {
    "no-list": "无责任单位 no list or no unit",
    "unknown-unit": "未登记单位 unit not in the register",
    "number-gap": "编号跳跃 number jumps",
    "number-repeat": "编号重复 number repeats",
    "list-cut": "列表未完 list cut off",
    "tail": "略去“等…” a tail was dropped",
    "deadline": "时限 a deadline read from the list",
}
_CLOSE = ")）〕]】"


class CorrectionError(YuegangError):
    """A corrections file that cannot be applied: names the file, the line and what is wrong.

    >>> str(CorrectionError("no item 99", source="fix.csv", line=3))
    'fix.csv:3: no item 99'
    """

    def __init__(self, message: str, *, source: str = "<corrections>", line: int | None = None):
        self.message, self.source, self.line = message, source, line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file."""

    document: str
    item: str
    list: str
    note: str
    line: int  # 1-based line of the CSV file where the row starts
    source: str  # the CSV file's name


# --------------------------------------------------------------------------- reading


def read_corrections(path: str | Path) -> list[Correction]:
    """Read a corrections file (UTF-8 with or without BOM, else GB18030)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorrectionError(f"cannot read the file: {exc.strerror}", source=str(path)) from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise CorrectionError("not UTF-8 or GB18030 text", source=path.name) from exc
    return parse_corrections(text, source=path.name)


def parse_corrections(text: str, source: str = "<corrections>") -> list[Correction]:
    """Rows of a corrections file given as text; blank rows are skipped."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CorrectionError("the file is empty; expected the header document,item,list,note",
                              source=source, line=1)  # fmt: skip
    names = [h.strip().lower() for h in header]
    if names != list(COLUMNS):
        raise CorrectionError(
            f"the header is {','.join(header)!r}; expected exactly {','.join(COLUMNS)}",
            source=source,
            line=1,
        )
    rows: list[Correction] = []
    start = reader.line_num + 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            raise CorrectionError(
                f"{len(row)} fields; expected {len(COLUMNS)} ({','.join(COLUMNS)}); "
                'a list with half-width commas must be quoted: "(A牵头,B配合)"',
                source=source,
                line=line,
            )
        document, item, written, note = (cell.strip() for cell in row)
        for column, value in (("document", document), ("item", item)):
            if not value:
                raise CorrectionError(f"the {column} column is empty", source=source, line=line)
        rows.append(Correction(document, item, written, note, line, source))
    return rows


# --------------------------------------------------------------------------- applying


def apply_corrections(
    extractions: Sequence[Mapping[str, Any]],
    corrections: Iterable[Correction],
    *,
    register: Register | None = None,
) -> tuple[list[dict], list[dict]]:
    """Apply *corrections* to copies of *extractions*; return ``(corrected, warnings)``.

    Each warning is ``{"source", "line", "message"}`` (the CSV file and line). The input dicts are
    not modified. Raises :class:`CorrectionError` for an unknown document or item, a list that
    reads as no unit, or an item corrected twice.
    """
    register = register or load_register()
    out = [copy.deepcopy(dict(e)) for e in extractions]
    warnings: list[dict] = []
    seen: dict[tuple[int, str], Correction] = {}
    for fix in corrections:
        index = _find_document(out, fix)
        item = _find_item(out[index], fix)
        previous = seen.get((index, item["key"]))
        if previous is not None:
            raise CorrectionError(
                f"item {item['key']} of {fix.document} is already corrected on line "
                f"{previous.line}; keep one row per item",
                source=fix.source,
                line=fix.line,
            )
        seen[(index, item["key"])] = fix
        parsed = parse_list(
            fix.list, first_is_lead=_first_is_lead(out[index], register), register=register
        )
        if not parsed.units:
            raise CorrectionError(
                f"the list {fix.list!r} for item {item['key']} reads as no unit; write it as "
                "notices do, e.g. （省商务厅牵头，省港澳办配合）",
                source=fix.source,
                line=fix.line,
            )
        units = [u.to_dict() for u in parsed.units]
        if units == item["agencies"] and parsed.deadline == item.get("deadline"):
            warnings.append(
                {
                    "source": fix.source,
                    "line": fix.line,
                    "message": f"the correction of item {item['key']} of {fix.document} changes "
                    "nothing (the list already reads so); left out",
                }
            )
            continue
        item["correction"] = {
            "list": fix.list,
            "note": fix.note,
            "source": fix.source,
            "line": fix.line,
            "extracted": item["agencies"],
            "extracted_deadline": item.get("deadline"),
        }
        item["agencies"] = units
        item["deadline"] = parsed.deadline
        if "tail" in item:
            item["tail"] = "".join(parsed.dropped) or None
    return out, warnings


def _find_document(extractions: list[dict], fix: Correction) -> int:
    wanted = _fold(fix.document)
    found = []
    for index, extraction in enumerate(extractions):
        doc = extraction["document"]
        names = {doc.get("identifier") or "", doc.get("source") or ""}
        names.add(Path(doc.get("source") or "").stem)
        if wanted in {_fold(n) for n in names if n}:
            found.append(index)
    if len(found) == 1:
        return found[0]
    known = ", ".join(
        sorted({e["document"].get("identifier") or e["document"]["source"] for e in extractions})
    )
    if not found:
        raise CorrectionError(
            f"no notice {fix.document!r} in this build (notices: {known})",
            source=fix.source,
            line=fix.line,
        )
    raise CorrectionError(
        f"{fix.document!r} names {len(found)} notices; use the identifier",
        source=fix.source,
        line=fix.line,
    )


def _fold(name: str) -> str:
    return "".join(matching_form(name).split())


def _find_item(extraction: dict, fix: Correction) -> dict:
    for item in extraction["items"]:
        if str(item.get("key") or item["number"]) == fix.item:
            return item
    keys = [str(i.get("key") or i["number"]) for i in extraction["items"]]
    shown = ", ".join(keys[:5]) + (f" … {keys[-1]}" if len(keys) > 5 else "")
    raise CorrectionError(
        f"{fix.document} has no item {fix.item!r} (item keys: {shown})",
        source=fix.source,
        line=fix.line,
    )


def _first_is_lead(extraction: Mapping[str, Any], register: Register) -> bool:
    """Whether the notice reads its lists with 'the first listed unit leads' (列在首位的为牵头单位).

    The extraction dict does not say; its items do: under that rule an unmarked list comes out
    with a lead, which plain reading never gives.
    """
    for item in extraction["items"]:
        written = item.get("responsibility")
        if not written or len(item["agencies"]) < 1:
            continue
        plain = [u.role for u in parse_list(written, register=register).units]
        extracted = [a["role"] for a in item["agencies"]]
        if plain != extracted and len(plain) == len(extracted):
            ruled = [
                u.role for u in parse_list(written, first_is_lead=True, register=register).units
            ]
            return ruled == extracted
    return False


# --------------------------------------------------------------------------- attention


def attention(extraction: Mapping[str, Any]) -> dict[str, list[str]]:
    """Item key → the codes of :data:`ATTENTION` that apply to it (items that need none are left out).

    Reads the extractor's warning codes (``{"code", "item"}``) when it gives them, and otherwise
    the warning lines and messages and the item's own fields.
    """
    items = extraction["items"]
    by_line = {item.get("line"): _key(item) for item in items}
    found: dict[str, set[str]] = {}
    for warning in extraction.get("warnings") or ():
        code = warning.get("code") or _code_of(warning.get("message") or "")
        key = (
            warning["item"] if warning.get("item") is not None else by_line.get(warning.get("line"))
        )
        if code in ATTENTION and key is not None:
            found.setdefault(str(key), set()).add(code)
    for item in items:
        codes = found.setdefault(_key(item), set())
        if not item.get("agencies"):
            codes.add("no-list")
        if any(not a.get("known", True) for a in item.get("agencies") or ()):
            codes.add("unknown-unit")
        if "lists" not in item and _cut(item.get("responsibility")):
            codes.add("list-cut")  # older extractors: a list read from a bracket never closed
        if _tail(item):
            codes.add("tail")
        if item.get("deadline"):
            codes.add("deadline")
    order = list(ATTENTION)
    keys = [_key(item) for item in items]
    return {k: sorted(found[k], key=order.index) for k in keys if found.get(k)}


def _key(item: Mapping[str, Any]) -> str:
    return str(item.get("key") or item["number"])


_MESSAGE_CODES = (
    (re.compile(r"item numbers jump"), "number-gap"),
    (re.compile(r"item number \S+ repeats"), "number-repeat"),
    (re.compile(r"has no responsibility list"), "no-list"),
    (re.compile(r"the file seems cut off in item"), "list-cut"),
    (re.compile(r"not in the agency register"), "unknown-unit"),
)


def _code_of(message: str) -> str | None:
    return next((code for pattern, code in _MESSAGE_CODES if pattern.search(message)), None)


def _cut(written: str | None) -> bool:
    return bool(written) and written.rstrip("。. ")[-1:] not in _CLOSE


def _tail(item: Mapping[str, Any]) -> bool:
    if "tail" in item:
        return bool(item["tail"])
    written = item.get("responsibility")
    return bool(written) and bool(parse_list(written).dropped)


def _current_list(item: Mapping[str, Any]) -> str:
    correction = item.get("correction")
    if correction:
        return correction["list"]
    return item.get("responsibility") or ""


def corrections_template(extractions: Sequence[Mapping[str, Any]]) -> str:
    """A corrections file (CSV text) with one row per item that needs attention, its current
    list filled in and the reasons as the note, ready to edit."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for extraction in extractions:
        doc = extraction["document"]
        name = doc.get("identifier") or doc.get("source") or ""
        flagged = attention(extraction)
        for item in extraction["items"]:
            codes = flagged.get(_key(item))
            if codes and not item.get("correction"):
                note = "; ".join(ATTENTION[c] for c in codes)
                writer.writerow([name, _key(item), _current_list(item), note])
    return buffer.getvalue()
