"""What every layout reader of a notice shares: a line of the source, a list as found, an item as
found (before its list is parsed), a warning, the line patterns (section heading, numbered line,
trailer) and the names of task-table columns.

:mod:`.items` (paragraph layouts), :mod:`.tables` (flattened task tables) and :mod:`.glued`
(tables whose cells run together) build on these; none of them imports another's internals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.text import SourceText

__all__ = ["Line", "ListSpan", "RawItem", "Structure", "column_kind", "row_item", "warning"]

_SECTION = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.]\s*(\S.*?)\s*$")
#: ``1.``, ``1、``, ``3。``, ``3)`` (``３）`` folds to it), any number of digits
_ARABIC = re.compile(r"^\s*(\d{1,6})\s*(?:[.、。]|\)(?!\s*$))(?!\d)\s*(\S.*?)\s*$")
_TRAILER = re.compile(
    r"^\s*(公开方式|信息公开选项|抄送|主题词|附件[:：]|[^\s]{0,12}办公厅(秘书处)?\s*\d{4}年.*印发)"
)


@dataclass
class Line:
    """One line of the source: its offsets and its matching form."""

    number: int
    start: int
    end: int
    match: str


@dataclass
class ListSpan:
    """One responsibility list of an item, as found in the source.

    ``raw`` is ``source[span[0]:span[1]]`` exactly; ``text``/``match`` are the list as read
    (page-break line breaks and pinyin glosses dropped), ``role`` what a table column gives
    (牵头单位 → lead), None otherwise (a label inside the list is read by the list parser).
    """

    raw: str
    text: str
    match: str
    span: tuple[int, int]
    role: str | None = None

    def to_dict(self) -> dict:
        return {"raw": self.raw, "span": list(self.span)}


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
    warnings: list[dict] = field(default_factory=list)
    lists: list[ListSpan] = field(default_factory=list)
    part: int = 0  # 0, or 1, 2 … for the further sentences of a paragraph with several lists
    parent: RawItem | None = None  # the numbered item a （1） item stands under, if any
    deadline: str | None = None  # a table's deadline cell


@dataclass
class Structure:
    """What the structure reader found in a notice."""

    document: dict
    sections: list[dict]
    items: list[RawItem]
    first_is_lead: bool
    warnings: list[dict]


def warning(line: int | None, code: str, message: str, item: str | None = None) -> dict:
    """One warning of the extraction dict: where, a short kebab-case code, what, which item."""
    return {"line": line, "code": code, "message": message, "item": item}


def column_kind(cell: str) -> str:
    """What a header cell names: number, task, lead, support, responsible, deadline, person,
    other.

    >>> [column_kind(c) for c in ("序号", "工 作 任 务", "牵头负责部门", "责任主体与协同单位")]
    ['number', 'task', 'lead', 'support']
    """
    c = "".join(cell.split()).strip("|")
    if c in ("序号", "编号", "序"):
        return "number"
    if re.search(r"领导|分管|责任人|联系人", c):
        return "person"
    if "牵头" in c:
        return "lead"
    if re.search(r"配合|协同|协办|参与|协助", c):
        return "support"
    if re.search(r"(责任|负责|承办|主体|实施|主责)(单位|部门)", c):
        return "responsible"
    if re.search(r"时限|时间|期限|节点", c):
        return "deadline"
    if re.search(r"任务|事项|实事|项目|内容|工作|目标|措施", c):
        return "task"
    return "other"


def row_item(
    src: SourceText,
    number: int,
    line: int,
    text: str,
    match: str,
    span: tuple[int, int],
    lists: list[ListSpan],
    missing: str,
) -> RawItem:
    """The item of one task-table row (:mod:`.tables`, :mod:`.glued`): its text and lists as
    read; a row without any unit keeps its place with a ``no-list`` warning saying *missing*."""
    item = RawItem(
        number=number,
        key=str(number),
        section=None,
        subsection=None,
        line=line,
        text=text,
        text_match=match,
        span=span,
        responsibility=None,
        responsibility_match=None,
        responsibility_span=None,
        lists=lists,
    )
    if lists:
        s, e = lists[0].span[0], lists[-1].span[1]
        item.responsibility_span = (s, e)
        item.responsibility, item.responsibility_match = src.text[s:e], src.match[s:e]
    else:
        item.warnings.append(warning(line, "no-list", missing))
    return item
