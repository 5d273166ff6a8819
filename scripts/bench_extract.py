"""Benchmark the extractor: cold ``yuegang extract`` on the bundled notice, and 1,000 notices'
worth of items in one process.

Usage: python scripts/bench_extract.py [--runs 5] [--notices 1000] [--corpus DIR]
                                       [--compare CHECKOUT --rounds 4]

``--compare`` times this checkout and another one (e.g. an older commit unpacked with
``git archive COMMIT graph | tar -x -C /tmp/old``) alternately, in fresh processes, on the same
notices without keywords, and prints the ratio of their throughputs: on a busy machine this
paired figure is steadier than two runs minutes apart.
Prints a Markdown table, then the accuracy on the development corpus of real notices
(``../shared/corpus``: its ``score.py`` run against this checkout's ``yuegang extract``), when
that corpus is there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def cold_runs(runs: int, *args: str) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "graph", "extract", *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def warm_corpus(notices: int, keywords: bool) -> tuple[float, int]:
    from graph.extract.notice import bundled_notice_path, extract_text

    text = bundled_notice_path().read_text(encoding="utf-8")
    extract_text(text, keywords=keywords)  # load jieba, OpenCC and the register once
    start = time.perf_counter()
    items = 0
    for n in range(notices):
        # a different notice each time: another year, so nothing is cached by text
        variant = text.replace("2017", str(2017 + n % 50))
        items += len(extract_text(variant, source=f"notice-{n}.txt", keywords=keywords)["items"])
    return time.perf_counter() - start, items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parent.parent.parent / "shared" / "corpus",
        help="the development corpus (docs/, gold/, score.py)",
    )
    parser.add_argument("--compare", type=Path, help="another checkout to time against")
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    print("| measurement | median (s) | min (s) | max (s) |")
    print("| --- | --- | --- | --- |")
    for label, extra in (
        ("cold `yuegang extract` (bundled notice, with keywords)", ()),
        ("cold `yuegang extract --no-keywords`", ("--no-keywords",)),
    ):
        t = cold_runs(args.runs, *extra)
        print(f"| {label} | {statistics.median(t):.2f} | {min(t):.2f} | {max(t):.2f} |")
    for keywords in (False, True):
        seconds, items = warm_corpus(args.notices, keywords)
        label = f"{args.notices} notices, {items} items, keywords={'on' if keywords else 'off'}"
        print(f"| {label} | {seconds:.2f} | {items / seconds:.0f} items/s | |")
    print()
    print(corpus_figures(args.corpus))
    if args.compare:
        print()
        print(compare(args.compare, args.rounds, max(args.notices // 10, 10)))


_PAIRED = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from graph.extract.notice import bundled_notice_path, extract_text
text = bundled_notice_path().read_text(encoding="utf-8")
extract_text(text, keywords=False)
n, items = int(sys.argv[2]), 0
start = time.perf_counter()
for k in range(n):
    variant = text.replace("2017", str(2017 + k % 50))
    items += len(extract_text(variant, source=f"n{k}.txt", keywords=False)["items"])
print(items / (time.perf_counter() - start))
"""


def compare(other: Path, rounds: int, notices: int) -> str:
    """Median items/s of this checkout and *other*, run alternately, and their ratio."""
    here = Path(__file__).resolve().parent.parent
    rates: dict[str, list[float]] = {"this": [], "other": []}
    for _ in range(rounds):
        for label, path in (("other", other), ("this", here)):
            run = subprocess.run(
                [sys.executable, "-c", _PAIRED, str(path), str(notices)],
                capture_output=True,
                text=True,
                check=True,
                cwd="/",
            )
            rates[label].append(float(run.stdout.strip()))
    this, that = statistics.median(rates["this"]), statistics.median(rates["other"])
    return (
        f"paired, {rounds} rounds of {notices} notices: this checkout {this:.0f} items/s, "
        f"{other} {that:.0f} items/s, ratio {this / that:.2f}"
    )


def corpus_figures(corpus: Path) -> str:
    """The scorer's last line on the development corpus (links/leads F1, order, failures)."""
    score = corpus / "score.py"
    if not score.is_file():
        return f"corpus: {score} not found (figures skipped)"
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    run = subprocess.run(
        [sys.executable, str(score)],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = run.stdout.strip().splitlines()
    return lines[-1] if lines else f"corpus: scorer failed: {run.stderr.strip()[-200:]}"


if __name__ == "__main__":
    main()
