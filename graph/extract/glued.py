"""Task tables whose cells run together with no separator at all.

Document-sharing sites serve a .docx table as one stream of text: the header
``序号项目名称主要内容分管领导牵头单位配合单位``, then each row as number, task, content, the
leader's name and the unit cells, glued (``…4580个。何海平教育局经开区高新园(邹区镇)各街道2促进…``),
with the viewer's page markers (``2、`` at a line start) dropped anywhere, even inside a name.

Rows are found by their numbers (the next number, right after a unit name and before the next
task); in a row, the unit cells are the run that follows a sentence end and reads, to its end, as
a person's name (when the header has a person column) and then unit names, each ending in a unit
word (局, 委, 办, 区, 园, 街道, 公司 …) and holding no digit or verb. A row with two such runs
(merged cells) gives two items with the same number. The header's unit columns give the roles:
the first unit of a run is the 牵头 column's, the rest the 配合 column's.
"""

from __future__ import annotations

import re

from graph.extract.lines import Line, ListSpan, RawItem, column_kind, row_item
from graph.extract.responsibility import LEAD, SUPPORT
from graph.extract.text import SourceText

_HEADER_WORDS = re.compile(
    r"序号|项目名称|主要内容|工作任务|重点任务|主要任务|民生实事|[\u4e00-\u9fff]{0,4}分管领导|"
    r"牵头单位|牵头部门|配合单位|配合部门|协同单位|责任单位|责任部门|完成时限|完成时间"
)
_PAGE_MARK = re.compile(r"^\s*\d{1,3}、")
_ENDINGS = set("局委办厅处室所院站队馆部署司社团区园镇乡道心")
_VERBS = re.compile(
    r"推进|提升|建设|完成|实施|开展|改造|增加|促进|优化|落实|提供|新建|支持|加强|加快|整治|"
    r"打造|推动|启动|开工|建成|服务|发展"
)
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def read_glued(src: SourceText, lines: list[Line]) -> tuple[int, list[RawItem], list[dict]] | None:
    """``(header line index, items, warnings)`` of a glued table, or None."""
    for index, line in enumerate(lines):
        at = line.match.find("序号")
        if at < 0:
            continue
        kinds, end = _header(line.match, at)
        if not kinds or not any(k in ("lead", "support", "responsible") for k in kinds):
            continue
        chars = _flatten(src, lines, index, line.start + end)
        items = _rows(src, chars, kinds)
        if items:
            return index, items, []
    return None


def _header(match: str, at: int) -> tuple[list[str], int]:

    kinds, pos = [], at
    while True:
        m = _HEADER_WORDS.match(match, pos)
        if not m:
            break
        kinds.append(column_kind(m.group()))
        pos = m.end()
    if len(kinds) < 4 or kinds[0] != "number":
        return [], pos
    return kinds, pos


def _flatten(src: SourceText, lines: list[Line], index: int, start: int) -> list[int]:
    """Source offsets of the table's characters, line breaks and page markers left out."""
    offsets = list(range(start, lines[index].end))
    for line in lines[index + 1 :]:
        mark = _PAGE_MARK.match(line.match)
        begin = line.start + (mark.end() if mark else 0)
        offsets.extend(i for i in range(begin, line.end) if not src.match[i].isspace())
    return offsets


def _rows(src: SourceText, chars: list[int], kinds: list[str]) -> list[RawItem]:
    text = "".join(src.match[i] for i in chars)
    starts, expected, pos = [], 1, 0
    while True:
        m = re.compile(rf"(?<![\d.]){expected}(?=[\u4e00-\u9fff])").search(text, pos)
        if m is None or (starts and text[m.start() - 1] not in _ENDINGS):
            if m is None:
                break
            pos = m.end()
            continue
        starts.append((expected, m.start(), m.end()))
        expected, pos = expected + 1, m.end()
    person = "person" in kinds
    unit_columns = [k for k in kinds if k in ("lead", "support", "responsible")]
    items: list[RawItem] = []
    for k, (number, _, body) in enumerate(starts):
        end = starts[k + 1][1] if k + 1 < len(starts) else len(text)
        items.extend(_row_items(src, chars, text, number, body, end, person, unit_columns))
    return items


def _row_items(src, chars, text, number, start, end, person, unit_columns) -> list[RawItem]:
    runs = []
    for s in [i + 1 for i in range(start, end) if text[i] in "。;；"]:
        run = _run(text, s, end, person)
        if run is not None:
            runs.append((s, *run))
    items, previous = [], start
    for s, _first_unit, run_end, units in runs:
        if s <= previous and items:
            continue
        task = (previous, s)
        lists = _lists(src, chars, text, units, unit_columns)
        items.append(_item(src, chars, number, task, lists))
        items[-1].part = len(items) - 1  # a row with merged cells: 3, 3b
        previous = run_end
    return items


def _run(text: str, start: int, end: int, person: bool):
    """``(first unit offset, run end, [(unit start, unit end)])`` when text[start:end] begins
    with a run of unit cells (after a 2–3 character name where there is a person column)."""
    options = (3, 2) if person else (0,)
    for size in options:
        name = text[start : start + size]
        if size and (not _CJK.match(name) or _VERBS.search(name) or len(name) < size):
            continue
        units, pos = [], start + size
        while pos < end:
            token = _unit(text, pos, end)
            if token is None:
                break
            units.append((pos, token))
            pos = token
        # the run ends the row, or the next task (a verb) follows it
        ends = pos == end or _VERBS.match(text, pos)
        if units and ends and not any(_split_name(text[a:b]) for a, b in units):
            return start + size, pos, units
    return None


def _split_name(token: str) -> bool:
    """A token with a department word inside (政局高新园: 民|政局 + 高新园), so the name before
    it was cut in the wrong place."""
    name = token.split("(")[0]
    return any(ch in _STRONG for ch in name[:-1])


_STRONG = set("局委办厅司")


def _unit(text: str, pos: int, end: int) -> int | None:
    """End of the shortest unit name starting at *pos* (with a bracket part: 高新园(邹区镇))."""
    for length in range(3, 11):  # a unit name has 3 characters or more (轨道公司, not 轨道)
        stop = pos + length
        if stop > end:
            return None
        token = text[pos:stop]
        if not _CJK.match(token) or _VERBS.search(token):
            return None
        if token[-1] in _ENDINGS:
            if stop < end and text[stop] == "(":
                close = text.find(")", stop, min(end, stop + 14))
                if close > 0:
                    return close + 1
            return stop
    return None


def _clean(src: SourceText, chars: list[int], start: int, end: int) -> str:
    return "".join(src.match[chars[i]] for i in range(start, end))


def _lists(src, chars, text, units, unit_columns) -> list[ListSpan]:
    groups = [units]
    roles = [None]
    if len(unit_columns) >= 2 and unit_columns[0] == "lead":
        groups, roles = [units[:1], units[1:]], [LEAD, SUPPORT]
    elif unit_columns and unit_columns[0] == "lead":
        roles = [LEAD]
    out = []
    for group, role in zip(groups, roles, strict=True):
        if not group:
            continue
        first, last = group[0][0], group[-1][1]
        span = (chars[first], chars[last - 1] + 1)
        names = "、".join(_clean(src, chars, s, e) for s, e in group)
        out.append(ListSpan(src.text[span[0] : span[1]], names, names, span, role))
    return out


def _item(src, chars, number, task, lists) -> RawItem:
    s, e = task
    text = "".join(src.text[chars[i]] for i in range(s, e))
    match = "".join(src.match[chars[i]] for i in range(s, e))
    span = (chars[s], chars[e - 1] + 1) if e > s else (chars[s], chars[s])
    line = src.line_of(chars[s])
    return row_item(src, number, line, text, match, span, lists, f"table row {number} has no unit")
