"""Proofreading page: one notice's text as read, with what the extractor found marked on it.

For a notice (its extraction dict and its decoded source text) :func:`render_proof` writes one
self-contained HTML page: every line of the source, numbered, with each item's number, text and
responsibility list marked from the character spans of the extraction (the spans the graph keeps
as ``oa:TextPositionSelector``); beside each item a card with its units as read and as expanded
(``公安厅 → 省公安厅``), their role and whether the register knows them, and — for an item
corrected from a corrections file — the extracted and the corrected units side by side.
Warnings sit under the line they name. Items that need attention
(:func:`graph.extract.corrections.attention`: no list, an unknown unit, a number that jumps or
repeats, a list cut off, a tail or deadline read from the list) are flagged; a filter shows only
them, and the count is at the top. A corrected item counts as resolved, not flagged, unless its
corrected list names a unit the register does not know.

The page loads nothing (no script or style from elsewhere), every text goes through Jinja's
escaping, and the same input gives the same bytes. Marks are split at line ends, so each marked
element holds exactly ``text[data-start:data-end]``.

Example
-------
>>> from graph.extract.notice import extract_text
>>> text = "一、合作\\n1. 推进试点。（省商务厅、港澳办）\\n"
>>> html = render_proof(extract_text(text, "t.txt", keywords=False), text)
>>> html.count('class="yg-m yg-m-list"'), "://" in html
(1, False)
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2.utils import markupsafe

from graph.extract.corrections import ATTENTION, attention
from graph.views.page import _asset, inline_script, render_page

__all__ = ["ProofPage", "proof_model", "render_proof", "write_proof_pages"]

ROLES = {"lead": "牵头 lead", "support": "配合 support", "responsible": "负责 resp."}
PARTS = {"number": "编号 number", "text": "事项 text", "list": "责任单位 list"}


@dataclass(frozen=True)
class ProofPage:
    """A written proofreading page and what it counted."""

    path: Path
    slug: str
    label: str  # the notice's identifier, title or file name
    items: int
    units: int
    flagged: int
    corrected: int


def _key(item: Mapping[str, Any]) -> str:
    return str(item.get("key") or item["number"])


def _anchor(key: str) -> str:
    return "item-" + re.sub(r"[^0-9A-Za-z.-]", "_", key)


def _span(value: Any) -> tuple[int, int] | None:
    if not value:
        return None
    start, end = (int(v) for v in value)
    return (start, end) if 0 <= start <= end else None


def _list_spans(item: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The character spans of the item's responsibility lists (every list when the extractor
    gives ``lists``, else the one ``responsibility_span``)."""
    if item.get("lists"):
        return [s for s in (_span(x.get("span")) for x in item["lists"]) if s]
    span = _span(item.get("responsibility_span"))
    return [span] if span else []


def _marks(item: Mapping[str, Any], text: str, line_starts: list[int]) -> list[dict]:
    """Marks (start, end, part) of one item: its number, its text and its lists."""
    key = _key(item)
    marks = []
    text_span = _span(item.get("span"))
    line = int(item.get("line") or 0)
    if text_span and 1 <= line <= len(line_starts):
        start = line_starts[line - 1]
        while start < text_span[0] and text[start] in " \t\u3000":
            start += 1
        end = text_span[0]
        while end > start and text[end - 1] in " \t\u3000":
            end -= 1
        if start < end and "\n" not in text[start:end]:
            marks.append({"start": start, "end": end, "part": "number", "item": key})
    if text_span and text_span[1] > text_span[0]:
        marks.append({"start": text_span[0], "end": text_span[1], "part": "text", "item": key})
    for start, end in _list_spans(item):
        if end > start:
            marks.append({"start": start, "end": end, "part": "list", "item": key})
    return [m for m in marks if m["end"] <= len(text)]


def _unit_rows(agencies: Sequence[Mapping[str, Any]]) -> list[dict]:
    return [
        {
            "position": a.get("position"),
            "as_written": a.get("as_written") or a.get("name") or "",
            "name": a.get("name") or "",
            "expanded": (a.get("as_written") or a.get("name")) != a.get("name"),
            "role": a.get("role") or "responsible",
            "role_label": ROLES.get(a.get("role") or "responsible", a.get("role") or ""),
            "known": bool(a.get("known", True)),
            "id": a.get("id") or "",
            "list": a.get("list"),
        }
        for a in agencies
    ]


def _card(item: Mapping[str, Any], codes: list[str]) -> dict:
    correction = item.get("correction") or None
    key = _key(item)
    return {
        "key": key,
        "anchor": _anchor(key),
        "line": item.get("line"),
        "codes": [{"code": c, "label": ATTENTION[c]} for c in codes],
        # a correction resolves the item, unless it names a unit the register does not know
        "flagged": bool(codes)
        and (not correction or any(not a.get("known", True) for a in item.get("agencies") or ())),
        "corrected": bool(correction),
        "responsibility": item.get("responsibility") or "",
        "lists": [x.get("raw") or "" for x in item.get("lists") or ()],
        "deadline": item.get("deadline") or "",
        "tail": item.get("tail") or "",
        "units": _unit_rows(item.get("agencies") or ()),
        "correction": None
        if not correction
        else {
            "list": correction.get("list") or "",
            "note": correction.get("note") or "",
            "source": correction.get("source") or "",
            "line": correction.get("line"),
            "extracted": _unit_rows(correction.get("extracted") or ()),
            "extracted_deadline": correction.get("extracted_deadline") or "",
        },
    }


def _pieces(marks: list[dict], start: int, end: int, text: str) -> list[dict]:
    """The line ``text[start:end]`` cut into plain and marked pieces."""
    out, at = [], start
    for m in marks:
        s, e = max(m["start"], start), min(m["end"], end)
        if e <= s or s < at:
            continue
        if s > at:
            out.append({"text": text[at:s], "mark": None})
        out.append({"text": text[s:e], "mark": m, "start": s, "end": e})
        at = e
    if at < end:
        out.append({"text": text[at:end], "mark": None})
    return out


def line_pieces(
    marks: list[dict], lines: list[str], line_starts: list[int], text: str
) -> Iterator[list[dict]]:
    """:func:`_pieces` of each line, for *marks* sorted by (start, end).

    A sweep: each line is cut by the few marks that reach into it (taken in the order of
    *marks*), not by every mark of the notice (a 3,000-item notice took 50 s, now 0.2 s)."""
    active: list[dict] = []
    waiting = iter(marks)
    upcoming = next(waiting, None)
    for line, start in zip(lines, line_starts, strict=True):
        end = start + len(line)
        while upcoming is not None and upcoming["start"] < end:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [m for m in active if m["end"] > start]
        yield _pieces(active, start, end, text)


def proof_model(extraction: Mapping[str, Any], text: str) -> dict:
    """What the proofreading page shows, as plain data: chunks of lines (an item's lines with its
    card, or lines between items), page-wide warnings and counts.

    *text* is the decoded source the extraction's spans point into
    (:func:`graph.extract.text.read_file` ``.text``).
    """
    lines = text.split("\n")
    line_starts, at = [], 0
    for line in lines:
        line_starts.append(at)
        at += len(line) + 1
    flags = attention(extraction)
    items = list(extraction.get("items") or ())
    marks = sorted(
        (m for item in items for m in _marks(item, text, line_starts)),
        key=lambda m: (m["start"], m["end"]),
    )
    warnings_at: dict[int, list[str]] = {}
    general: list[str] = []
    for w in extraction.get("warnings") or ():
        line = w.get("line")
        if line and 1 <= int(line) <= len(lines):
            warnings_at.setdefault(int(line), []).append(str(w.get("message") or ""))
        else:
            general.append(str(w.get("message") or ""))
    # the lines each item covers: from its first line to the line of its last mark
    owner: dict[int, int] = {}
    item_marks: dict[str, list[dict]] = {}
    for m in marks:
        item_marks.setdefault(m["item"], []).append(m)
    for index, item in enumerate(items):
        first = int(item.get("line") or 0)
        ends = [m["end"] for m in item_marks.get(_key(item), ())]
        last = _line_of(line_starts, max(ends) - 1) if ends else first
        for n in range(max(first, 1), max(first, last) + 1):
            owner.setdefault(n, index)
    chunks: list[dict] = []
    # the marks that reach into the current line, in the order of *marks* (a sweep: each line
    # looks at its own few marks, not at every mark of the notice)
    active: list[dict] = []
    waiting = iter(marks)
    upcoming = next(waiting, None)
    for n, line in enumerate(lines, start=1):
        start = line_starts[n - 1]
        end = start + len(line)
        while upcoming is not None and upcoming["start"] < end:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [m for m in active if m["end"] > start]
        row = {
            "n": n,
            "pieces": _pieces(active, start, end, text),
            "warnings": warnings_at.get(n, []),
        }
        index = owner.get(n)
        if chunks and chunks[-1]["index"] == index:
            chunks[-1]["lines"].append(row)
            continue
        card = _card(items[index], flags.get(_key(items[index]), [])) if index is not None else None
        chunks.append({"index": index, "card": card, "lines": [row]})
    cards = [c["card"] for c in chunks if c["card"]]
    document = extraction.get("document") or {}
    return {
        "document": document,
        "label": document.get("identifier")
        or document.get("title")
        or document.get("source")
        or "",
        "chunks": chunks,
        "general_warnings": general,
        "flagged": [c for c in cards if c["flagged"]],
        "counts": {
            "items": len(items),
            "units": sum(len(c["units"]) for c in cards),
            "marked": len({m["item"] for m in marks}),
            "flagged": sum(c["flagged"] for c in cards),
            "corrected": sum(c["corrected"] for c in cards),
            "warnings": len(extraction.get("warnings") or ()),
        },
    }


def _line_of(line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset)


def render_proof(extraction: Mapping[str, Any], text: str, *, index_href: str | None = None) -> str:
    """HTML of the proofreading page of one notice (see the module docstring).

    *index_href* links back to the views' ``index.html`` (``../index.html`` from ``proof/``).
    """
    return _render(proof_model(extraction, text), index_href)


def _render(model: dict, index_href: str | None) -> str:
    counts = model["counts"]
    subtitle = (
        f"{counts['items']} 项事项 items · {counts['units']} 个单位 units · "
        f"{counts['flagged']} 项待核 flagged · {counts['corrected']} 项已校正 corrected"
    )
    return render_page(
        "proof.html",
        title=f"校对 Proofreading · {model['label']}",
        subtitle=subtitle,
        model=model,
        parts=PARTS,
        index_href=index_href,
        source=model["document"].get("source") or "",
        proof_css=markupsafe.Markup(_asset("proof.css")),
        proof_js=markupsafe.Markup(inline_script(_asset("proof.js"))),
    )


def write_proof_pages(
    notices: Sequence[tuple[Mapping[str, Any], str]],
    folder: str | Path,
    *,
    index_href: str | None = "../index.html",
) -> list[ProofPage]:
    """Write ``{folder}/{document slug}.html`` for each ``(extraction, source text)`` pair.

    Two notices with the same slug cannot both be in one build (the graph refuses them), so the
    file names are unique.
    """
    from graph.rdf.iris import document_slug

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pages = []
    for extraction, text in notices:
        slug = document_slug(extraction["document"])
        model = proof_model(extraction, text)
        path = folder / f"{slug}.html"
        path.write_bytes(_render(model, index_href).encode("utf-8"))
        model_counts = model["counts"]
        doc = extraction["document"]
        pages.append(
            ProofPage(
                path=path,
                slug=slug,
                label=doc.get("identifier") or doc.get("title") or doc.get("source") or slug,
                items=model_counts["items"],
                units=model_counts["units"],
                flagged=model_counts["flagged"],
                corrected=model_counts["corrected"],
            )
        )
    return pages
