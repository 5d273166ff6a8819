"""Task tables flattened to text: the 任务分工 tables that web copies turn into lines.

Three layouts are read, all starting at a header row that names the columns (序号, 工作任务,
牵头单位, 配合单位/责任单位, 完成时限 …):

- one row per line, cells separated by ``|``, tabs or spaces (``1 居民消费价格涨幅3%左右 发展改革委``);
- one cell per line (a multi-unit cell becomes several lines), rows opened by a bare number;
- one ``|``-terminated cell per line, the same way.

Roles come from the column headers (牵头… → lead, 配合/协同… → support, 责任单位 → responsible,
or support when the row also has a lead); a deadline column becomes the item's deadline, a
person column (分管领导) is skipped. Which cell is which is decided by its form where the header
and the rows disagree (web copies drop and merge cells), so that a unit never becomes task text
and a deadline never becomes a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.lines import _TRAILER, Line, ListSpan, RawItem, column_kind, row_item, warning
from graph.extract.register import load_register
from graph.extract.responsibility import _UNIT_ENDINGS, _UNIT_SUFFIXES, LEAD, SUPPORT
from graph.extract.text import SourceText

_NUMBER_CELL = re.compile(r"^\s*(\d{1,5})\s*$")
_ROW_START = re.compile(r"^\s*\|?\s*(\d{1,5})(?:\s*[|\t]\s*|\s+)(\S.*)$")
_RULE_LINE = re.compile(
    r"^[\s|:+=-]*-[\s|:+=-]*$"
)  # |---|---| between a Markdown header and its rows
_PERSON_END = set("局委办厅处室所院站队馆部署司会联府行社团区镇乡园心")


@dataclass
class Table:
    """Items read from a flattened table, and the index of its header's first line."""

    first_line: int
    items: list[RawItem] = field(default_factory=list)
    end_line: int = 0  # index after the table's last line (the rest is read as usual)
    warnings: list[dict] = field(default_factory=list)


def read_tables(src: SourceText, lines: list[Line]) -> Table | None:
    """The first flattened task table of a notice, or None."""
    for i, line in enumerate(lines):
        if "序" not in line.match and "编号" not in line.match:
            continue  # every header names its number column
        cells = _header_cells(line.match)
        if cells and _is_header(cells):
            kinds = [column_kind(c) for c in cells]
            table = _read_row_lines(src, lines, i, kinds)
            if table.items:
                return table
            # the header on one line, the rows one cell per line
            table = _read_cell_stream(src, lines, i, kinds[1:])
            if table is not None and table.items:
                return table
        if "".join(line.match.split()).strip("|") in ("序号", "编号"):
            table = _read_cell_stream(src, lines, i)
            if table is not None and table.items:
                return table
    from graph.extract.glued import read_glued

    glued = read_glued(src, lines)
    if glued is not None:
        first, items, warnings = glued
        return Table(first_line=first, items=items, warnings=warnings, end_line=len(lines))
    return None


def _header_cells(match: str) -> list[str]:
    if "|" in match or "\t" in match:
        return [c.strip() for c in re.split(r"[|\t]", match) if c.strip()]
    cells: list[str] = []
    spaced = False  # the last cell is a run of single letter-spaced characters
    for token in match.split():  # 工 作 任 务: letter-spaced header cells join again
        if len(token) == 1 and spaced:
            cells[-1] += token
        else:
            cells.append(token)
            spaced = len(token) == 1
    return cells


def _is_header(cells: list[str]) -> bool:
    kinds = [column_kind(c) for c in cells]
    return (
        len(cells) >= 3
        and kinds[0] == "number"
        and any(k in ("lead", "support", "responsible") for k in kinds)
        and all(len(c) <= 16 for c in cells)
    )


def unit_cell(cell: str) -> bool:
    """True when every name of a cell reads as a unit (市政局、相关街道; 县水务局)."""
    register = load_register()
    names = [n for n in re.split(r"[、,，;；]", cell) if n.strip()]
    if not names or re.search(r"\d|%|。|:|：", cell) or len(cell) > 80:
        return False
    return all(_unit_name(n.strip(), register) for n in names)


def _unit_name(name: str, register) -> bool:
    if name in register:
        return True
    if len(name) < 2 or len(name) > 25:
        return False
    if name.startswith(("各", "相关", "有关")):
        return True
    return name[-1] in _UNIT_ENDINGS or name.endswith(_UNIT_SUFFIXES) or name.endswith(")")


def _deadline_cell(cell: str) -> bool:
    c = "".join(cell.split())
    return len(c) <= 16 and bool(
        re.search(
            r"\d{1,2}月|年内|年底|底前|月底|季度|持续|长期|全年|^\d{4}年|^\d{4}[./-]\d{1,2}", c
        )
    )


def _person_cell(cell: str) -> bool:
    c = "".join(cell.split())
    return (
        2 <= len(c) <= 3
        and all("\u4e00" <= ch <= "\u9fff" for ch in c)
        and c[-1] not in _PERSON_END
        and not c.startswith(("省", "市", "区", "县", "各"))
        and c not in load_register()
    )


# --- one row per line ----------------------------------------------------------------------------


def _read_row_lines(src: SourceText, lines: list[Line], header: int, kinds: list[str]) -> Table:
    table = Table(first_line=header)
    after_task = [k for k in kinds[kinds.index("task") + 1 :]] if "task" in kinds else kinds[1:]
    expected = None
    previous = None
    skipped: list[Line] = []
    table.end_line = header + 1
    for index in range(header + 1, len(lines)):
        line = lines[index]
        if _TRAILER.match(line.match):
            break  # 抄送：… and the like close the notice
        m = _ROW_START.match(line.match)
        number = int(m.group(1)) if m else None
        if m and (expected is None or number == expected):
            cells = _cells(line, m.start(2), keep_empty=True)
            if len(cells) == len(kinds) - 1:  # one cell per column: the header says which
                table.items.append(_aligned_item(src, number, line, cells, kinds[1:]))
            else:
                cells = [c for c in cells if c[1] > c[0]]
                table.items.append(_row_item(src, number, line, cells, after_task))
            expected = number + 1
        elif _RULE_LINE.match(line.match):
            pass
        elif table.items and (sub := _sub_row(src, table.items[-1], line, after_task)):
            table.items.append(sub)  # a merged 序号 cell: a further task of the same row
        elif table.items and _continue_row(src, table.items[-1], line, previous, after_task):
            pass
        else:
            if line.match.strip():
                skipped.append(line)
            previous = line
            continue
        table.end_line = index + 1
        previous = line
    for line in skipped:  # lines between rows; those after the last row are read as usual
        if line.number <= table.end_line:
            table.warnings.append(
                warning(
                    line.number,
                    "outside-item",
                    "a line between the table's rows was skipped: "
                    + src.text[line.start : line.end].strip()[:40],
                )
            )
    return table


def _sub_row(src, item: RawItem, line: Line, after_task) -> RawItem | None:
    """A line without a number whose last cells read as units: a further task of the row above
    (its 序号 cell merged), an item of its own with the same number (key ``5b``)."""
    stripped = line.match.strip()
    if not stripped or unit_cell(stripped.strip("|").strip()):
        return None
    cells = _cells(line, line.match.index(stripped))
    cells = [c for c in cells if c[1] > c[0]]
    if len(cells) < 2:
        return None
    last = src.match[cells[-1][0] : cells[-1][1]]
    before = src.match[cells[-2][0] : cells[-2][1]]
    if not (unit_cell(last) or (_deadline_cell(last) and unit_cell(before))):
        return None
    sub = _row_item(src, item.number, line, cells, after_task)
    if not sub.lists:
        return None
    sub.part = item.part + 1
    return sub


def _continue_row(src, item: RawItem, line: Line, previous: Line | None, after_task) -> bool:
    """A row that goes on over the next line: a line of unit names continues its last unit
    cell; a line of text right after the row (no blank line between) continues its task."""
    stripped = line.match.strip().strip("|").strip()
    if not stripped:
        return False
    start = line.start + line.match.index(stripped)
    end = start + len(stripped)
    if unit_cell(stripped):
        columns = [k for k in after_task if k in ("lead", "support", "responsible")]
        role_column = {LEAD: "lead", SUPPORT: "support"}.get(
            item.lists[-1].role if item.lists else None, columns[0] if columns else None
        )
        item.lists.append(_cell_list(src, start, end, role_column))
        _set_responsibility(src, item)
        return True
    if previous is not None and previous.number == line.number - 1 and previous.match.strip():
        if _deadline_cell(stripped):
            item.deadline = item.deadline or src.text[start:end]
            return True
        item.text += src.text[start:end]
        item.text_match += src.match[start:end]
        item.span = (item.span[0], end)
        return True
    return False


def _set_responsibility(src, item: RawItem) -> None:
    first, last = item.lists[0].span, item.lists[-1].span
    item.responsibility_span = (first[0], last[1]) if len(item.lists) > 1 else first
    s, e = item.responsibility_span
    item.responsibility, item.responsibility_match = src.text[s:e], src.match[s:e]


def _cells(line: Line, start: int, keep_empty: bool = False) -> list[tuple[int, int]]:
    """Offsets (in the source) of a row's cells after its number; with *keep_empty*, empty
    cells between two tabs or bars are kept (as empty spans), so that columns stay aligned."""
    strict = "|" in line.match or "\t" in line.match
    sep = r" *[|\t] *" if strict else r"\s+"
    out, pos = [], start
    body = line.match[start:].rstrip().rstrip("|").rstrip()
    for piece in re.split(f"({sep})", body):
        if not re.fullmatch(sep, piece):
            if piece.strip("| \t"):
                out.append((line.start + pos, line.start + pos + len(piece)))
            elif keep_empty and strict:
                out.append((line.start + pos, line.start + pos))
        pos += len(piece)
    return out


def _aligned_item(src, number, line, cells, kinds) -> RawItem:
    """A row with as many cells as the header has columns (after 序号)."""
    task, lists, deadline = [], [], None
    for (start, end), kind in zip(cells, kinds, strict=True):
        if end == start:
            continue
        cell = src.match[start:end]
        if kind in ("lead", "support", "responsible") and unit_cell(cell):
            lists.append(_cell_list(src, start, end, kind))
        elif kind == "deadline" or (kind in ("lead", "support", "responsible")):
            if kind == "deadline":
                deadline = deadline or src.text[start:end]
            else:  # a unit column holding something else: keep it, it may name units
                lists.append(_cell_list(src, start, end, kind))
        elif kind == "task" or (kind == "other" and not task):
            task.append((start, end))
    span = (task[0][0], task[-1][1]) if task else (line.start, line.start)
    return _item(src, number, line, span, lists, deadline, task or None)


def _row_item(src, number, line, cells, after_task) -> RawItem:
    """Trailing cells that read as units or deadlines fill the header's columns after the task;
    everything before them is the task (task text may hold commas, never a unit)."""
    columns = [k for k in after_task if k in ("lead", "support", "responsible", "deadline")]
    taken: list[tuple[int, int]] = []
    while len(cells) - len(taken) > 1 and len(taken) < max(len(after_task), 1):
        start, end = cells[len(cells) - len(taken) - 1]
        cell = src.match[start:end]
        if not (unit_cell(cell) or _deadline_cell(cell)):
            break
        taken.insert(0, (start, end))
    task = cells[: len(cells) - len(taken)]
    unit_columns = [k for k in columns if k != "deadline"]
    lists, deadline = [], None
    for start, end in taken:
        cell = src.match[start:end]
        if _deadline_cell(cell) and not unit_cell(cell):
            deadline = src.text[start:end]
            continue
        column = unit_columns[min(len(lists), len(unit_columns) - 1)] if unit_columns else None
        lists.append(_cell_list(src, start, end, column))
    span = (task[0][0], task[-1][1]) if task else (line.start, line.start)
    return _item(src, number, line, span, lists, deadline)


# --- one cell per line -----------------------------------------------------------------------------


def _read_cell_stream(
    src: SourceText, lines: list[Line], header: int, known: list[str] | None = None
) -> Table | None:
    from graph.extract.lines import _ARABIC, _SECTION

    cells = []  # (line, start, end) of each non-empty cell after the header's 序号
    for line in lines[header + 1 :]:
        if _TRAILER.match(line.match) or _SECTION.match(line.match) or _ARABIC.match(line.match):
            break  # the table ends where the notice's own numbering or closing lines go on
        for start, end in _line_cells(line):
            cells.append((line, start, end))
    head_kinds = list(known or [])
    i = 0
    while i < len(cells) and not _NUMBER_CELL.match(src.match[cells[i][1] : cells[i][2]]):
        if known:  # a header given on one line: nothing but rows may follow
            return None
        head_kinds.append(column_kind(src.match[cells[i][1] : cells[i][2]]))
        i += 1
    if not any(k in ("lead", "support", "responsible") for k in head_kinds):
        return None
    table = Table(first_line=header)
    rows: list[tuple[int, list]] = []
    expected = None
    for line, start, end in cells[i:]:
        m = _NUMBER_CELL.match(src.match[start:end])
        if m and (expected is None or int(m.group(1)) == expected):
            rows.append((int(m.group(1)), [(line, start, end)]))
            expected = int(m.group(1)) + 1
        elif rows:
            rows[-1][1].append((line, start, end))
    unit_columns = [k for k in head_kinds if k in ("lead", "support", "responsible")]
    extra = any(k == "other" for k in head_kinds) or head_kinds.count("task") > 1
    for number, row in rows:
        table.items.append(_stream_item(src, number, row, unit_columns, extra, table.warnings))
    table.end_line = rows[-1][1][-1][0].number if rows else header + 1  # 1-based = index after
    return table


def _line_cells(line: Line) -> list[tuple[int, int]]:
    out, pos = [], 0
    for piece in re.split(r"(\|)", line.match):
        stripped = piece.strip()
        if stripped and piece != "|":
            lead = len(piece) - len(piece.lstrip())
            out.append((line.start + pos + lead, line.start + pos + lead + len(stripped)))
        pos += len(piece)
    return out


def _stream_item(src, number, row, unit_columns, extra, warnings) -> RawItem:
    first_line = row[0][0]
    task: list[tuple[int, int]] = []
    lists: list[ListSpan] = []
    deadline = None
    unit_cells = 0
    for _line, start, end in row[1:]:
        cell = src.match[start:end]
        if not task:
            task.append((start, end))
        elif unit_cell(cell) and not _person_cell(cell):
            # one unit column: every unit line is that cell's; several: the k-th unit cell
            column = unit_columns[min(unit_cells, len(unit_columns) - 1)] if unit_columns else None
            lists.append(_cell_list(src, start, end, column))
            unit_cells += 1
        elif _deadline_cell(cell):
            deadline = deadline or src.text[start:end]
        elif _person_cell(cell) or cell.rstrip().endswith((":", "：")):
            continue
        elif not lists or not extra:
            task.append((start, end))
    item = _item(src, number, first_line, _span(task, first_line), lists, deadline, task)
    return item


def _span(task, line) -> tuple[int, int]:
    return (task[0][0], task[-1][1]) if task else (line.start, line.start)


def _cell_list(src, start, end, column) -> ListSpan:
    raw = src.text[start:end]
    role = {"lead": LEAD, "support": SUPPORT}.get(column)
    return ListSpan(raw, raw, src.match[start:end], (start, end), role)


def _item(src, number, line, span, lists, deadline, task=None) -> RawItem:
    pieces = task or [span]
    # cells of one task (工作任务, 具体措施) are joined with a space, as a reader sees them
    text = " ".join(src.text[s:e].strip() for s, e in pieces)
    match = " ".join(src.match[s:e].strip() for s, e in pieces)
    missing = f"table row {number} has no unit cell"
    item = row_item(src, number, line.number, text, match, span, lists, missing)
    item.deadline = deadline
    return item
