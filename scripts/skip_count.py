"""Print how many tests a pytest run skipped, and why, from its JUnit XML report.

CI (``.ci/run``) calls it after the README's test command, so a skip that hides a missing
dependency or data file shows in the log instead of passing unseen.

    python3 scripts/skip_count.py report.xml
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path


def skips(report: Path) -> Counter[str]:
    """Skip reasons of a JUnit XML report, counted."""
    reasons: Counter[str] = Counter()
    for case in ET.parse(report).iter("testcase"):
        for skipped in case.iter("skipped"):
            reasons[skipped.get("message") or "(no reason given)"] += 1
    return reasons


def main(argv: list[str]) -> int:
    report = Path(argv[1]) if len(argv) > 1 else Path("report.xml")
    if not report.exists() or report.stat().st_size == 0:
        print(f"skipped tests: unknown (no test report at {report}: the tests did not run)")
        return 0
    reasons = skips(report)
    print(f"skipped tests: {sum(reasons.values())}")
    for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {n:4d}  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
