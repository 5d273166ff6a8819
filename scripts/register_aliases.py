"""Add traditional-script aliases to the agency register (``graph/extract/data/agencies.csv``).

One-off maintenance script: for every row, the name, full name and each simplified alias are
converted with OpenCC ``s2t`` (standard traditional) and ``s2hk`` (Hong Kong variant); forms that
differ from what the row already holds are appended to ``aliases``. Re-running it adds nothing.
The register's lookups already fold traditional input to simplified, so these aliases serve the
people and tools that read the CSV (and jieba's user dictionary), not the matching itself.

Usage::

    python3 scripts/register_aliases.py            # rewrite the file, print what was added
    python3 scripts/register_aliases.py --dry-run  # print only
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from opencc import OpenCC

REGISTER = Path(__file__).resolve().parent.parent / "graph" / "data" / "agencies.csv"


def traditional_forms(name: str, converters: list[OpenCC]) -> list[str]:
    """The distinct traditional forms of a simplified *name*, in converter order.

    >>> traditional_forms("省发展改革委", [OpenCC("s2t")])
    ['省發展改革委']
    """
    out: list[str] = []
    for converter in converters:
        form = converter.convert(name)
        if form != name and form not in out:
            out.append(form)
    return out


def with_traditional_aliases(rows: list[dict[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """Rows with traditional aliases added, and a log line per row that changed."""
    converters = [OpenCC("s2t"), OpenCC("s2hk")]
    t2s = OpenCC("t2s")
    log = []
    for row in rows:
        aliases = [a for a in row["aliases"].split("|") if a]
        held = {row["name"], row["full_name"], *aliases}
        sources = [
            n for n in (row["name"], row["full_name"], *aliases) if n and t2s.convert(n) == n
        ]
        added = []
        for name in sources:
            for form in traditional_forms(name, converters):
                if form not in held:
                    held.add(form)
                    added.append(form)
        if added:
            row["aliases"] = "|".join(aliases + added)
            log.append(f"{row['id']}: {' | '.join(added)}")
    return rows, log


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--file", type=Path, default=REGISTER)
    args = parser.parse_args()
    with open(args.file, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows, log = with_traditional_aliases(rows)
    print("\n".join(log) or "nothing to add")
    if not args.dry_run and log:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        args.file.write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
