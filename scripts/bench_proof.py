"""Time the proofreading page and the corrections file on the bundled notice (medians of 5 runs).

python3 scripts/bench_proof.py
"""

from __future__ import annotations

import statistics
import time

from graph.extract.corrections import apply_corrections, attention, parse_corrections
from graph.extract.notice import bundled_notice_path, extract_file
from graph.extract.text import read_file
from graph.views.proof import render_proof

FIX = "document,item,list,note\n粤府函〔2017〕38号,1,（省商务厅牵头，省港澳办配合）,x\n"


def median_time(run, n: int = 5) -> float:
    """Median wall time of *n* calls of *run*, in seconds."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    notice = extract_file(None, keywords=False)
    text = read_file(bundled_notice_path()).text
    fixes = parse_corrections(FIX)
    html = render_proof(notice, text)
    print(f"render_proof (77 items): {median_time(lambda: render_proof(notice, text)):.3f} s, "
          f"{len(html.encode('utf-8')):,} bytes")  # fmt: skip
    print(f"attention: {median_time(lambda: attention(notice)):.4f} s")
    print(
        f"apply_corrections (1 row): {median_time(lambda: apply_corrections([notice], fixes)):.4f} s"
    )


if __name__ == "__main__":
    main()
