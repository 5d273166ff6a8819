"""CSV files of tables, as pandas writes them, without importing pandas.

pandas takes 0.2–0.3 s to import; the build writes two tables (an agency network's edges and
``measures.csv``) and needs nothing else of it. :func:`csv_text` gives the text of
``pandas.DataFrame(rows, columns=columns).to_csv(index=False, lineterminator="\\n")`` for
tables of strings, numbers, booleans and missing values: a column's type is inferred as pandas
infers it (integers with a missing value become floats and are written ``3.0``; numbers are
written with Python's shortest round-trip form; a missing value is an empty field), and fields
are quoted by Python's ``csv`` module as pandas quotes them. For a value of any other type it
returns None, and the caller writes the table with pandas (tested against pandas on the
bundled notice's tables and on random tables).

>>> print(csv_text(["id", "n", "share"], [["a,b", 1, 0.5], ["c", None, None]]), end="")
id,n,share
"a,b",1.0,0.5
c,,
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["csv_text", "write_csv"]


def csv_text(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str | None:
    """The CSV text pandas writes for *rows* under *columns*, or None for values it does not
    follow pandas on."""
    formatted = []
    for j in range(len(columns)):
        column = _formatted([row[j] for row in rows])
        if column is None:
            return None
        formatted.append(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(zip(*formatted, strict=True) if formatted else [() for _ in rows])
    return out.getvalue()


def write_csv(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    frame: Callable[[], pd.DataFrame],
) -> None:
    """Write the table to *path* as pandas writes it: :func:`csv_text` when it can, else
    ``frame()`` (the same table as a DataFrame) written by pandas."""
    text = csv_text(columns, rows)
    if text is None:
        frame().to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    else:
        path.write_bytes(text.encode("utf-8"))


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _formatted(values: list[Any]) -> list[str] | None:
    """The column's fields, by the type pandas infers for it."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return values  # an object column of text
    if kinds == {int} and -(2**63) <= min(values) and max(values) < 2**63:
        return list(map(str, values))  # an integer column
    if kinds == {float} and not any(map(math.isnan, values)):
        return list(map(float.__repr__, values))  # a float column without missing values
    present = [v for v in values if not _missing(v)]
    if any(not isinstance(v, str | Real) for v in present):
        return None  # dates, lists, numpy booleans …: pandas decides
    if any(isinstance(v, Integral) and not -(2**63) <= int(v) < 2**63 for v in present):
        return None  # beyond int64: pandas keeps Python objects
    if present and all(isinstance(v, bool) for v in present):
        return ["" if _missing(v) else str(v) for v in values]  # booleans (object if missing)
    if present and all(not isinstance(v, str | bool) for v in present):
        if len(present) == len(values) and all(isinstance(v, Integral) for v in present):
            return [str(int(v)) for v in values]  # an integer column
        return ["" if _missing(v) else repr(float(v)) for v in values]  # a float column
    return ["" if _missing(v) else _object_field(v) for v in values]  # an object column


def _object_field(value: Any) -> str:
    if isinstance(value, bool | str):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    return repr(float(value))
