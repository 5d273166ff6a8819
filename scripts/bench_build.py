"""Benchmark the seed, cold: `yuegang build` and `yuegang extract` of the bundled notice, each in a
fresh process, against the previous code, and check that the outputs are byte-identical.

    python3 scripts/bench_build.py                          # previous code = commit 8ff7430
    python3 scripts/bench_build.py --previous /tmp/old      # a checkout you made
    python3 scripts/bench_build.py --runs 5

The previous code runs from a checkout (by default a temporary ``git worktree`` of
``--previous-commit``, removed afterwards) through ``PYTHONPATH``, with this virtualenv's
packages. Runs alternate (previous, now, now without the keyword cache) so that a busy machine
slows them alike. For each: wall time, CPU time (user + system of the child: on a busy machine
it is closer to what a quiet one's wall clock shows) and peak memory (maximum resident set),
min / median over the runs, and the ratio of the medians. "Now" is a normal run (the notice's
keywords come from the user cache folder after the first run); "now, keywords not cached" sets
``YUEGANG_KEYWORD_CACHE=0`` (jieba loads, from its marshal caches).

The outputs of the last runs are compared file by file; the figure PNGs (and report.html, which
embeds them) differ on purpose: they are drawn at 100 dpi instead of 200.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_DIFFERENCES = {
    "figures/network.png",
    "figures/top-betweenness.png",
    "figures/top-weighted-degree.png",
    "report.html",
}


def run(
    cmd: list[str], env: dict[str, str], stdout=subprocess.DEVNULL
) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MB) of one child process; raises if it fails. It runs in the
    filesystem root: ``python -m`` puts the working directory first on ``sys.path``, which
    would shadow ``PYTHONPATH`` from inside a checkout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=stdout, stderr=subprocess.PIPE, cwd="/")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def summary(label: str, values: list[tuple[float, float, float]]) -> dict[str, float]:
    walls, cpus, peaks = zip(*values, strict=True)
    row = {
        "wall_min": min(walls),
        "wall_median": statistics.median(walls),
        "cpu_median": statistics.median(cpus),
        "peak": max(peaks),
    }
    print(
        f"  {label:<34} wall {row['wall_min']:5.2f} / {row['wall_median']:5.2f} s"
        f"   CPU median {row['cpu_median']:5.2f} s   peak {row['peak']:4.0f} MiB"
    )
    return row


def differing(a: Path, b: Path) -> list[str]:
    """Relative paths of files that differ or exist on one side only."""
    out = []
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out += sorted(files_a ^ files_b)
    for rel in sorted(files_a & files_b):
        if not filecmp.cmp(a / rel, b / rel, shallow=False):
            out.append(rel)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--previous", type=Path, help="checkout of the previous code")
    parser.add_argument("--previous-commit", default="8ff7430")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp_name:
        tmp = Path(tmp_name)
        previous = args.previous
        if previous is None:
            previous = tmp / "previous"
            subprocess.run(
                [
                    "git",
                    "-C",
                    str(ROOT),
                    "worktree",
                    "add",
                    "--detach",
                    "-q",
                    str(previous),
                    args.previous_commit,
                ],
                check=True,
            )
        try:
            measure(args, tmp, previous.resolve())
        finally:
            if args.previous is None:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(previous)],
                    check=False,
                )


def measure(args: argparse.Namespace, tmp: Path, previous: Path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    setups = {
        "previous": {**base, "PYTHONPATH": str(previous)},
        "now": {**base, "PYTHONPATH": str(ROOT)},
        "now, keywords not cached": {**base, "PYTHONPATH": str(ROOT), "YUEGANG_KEYWORD_CACHE": "0"},
    }
    py = sys.executable
    # one untimed run each: jieba's and the keyword caches exist, as after any first use
    for label, env in setups.items():
        run([py, "-m", "graph", "build", "-o", str(tmp / f"warm-{label}")], env)
    print(f"seed, cold (fresh process per run), {args.runs} runs, min / median:")
    results: dict[str, dict[str, dict[str, float]]] = {}
    for command in ("build", "extract"):
        timings: dict[str, list[tuple[float, float, float]]] = {k: [] for k in setups}
        for i in range(args.runs):
            for label, env in setups.items():
                if command == "build":
                    cmd = [py, "-m", "graph", "build", "-o", str(tmp / f"out-{label}-{i}")]
                else:
                    cmd = [py, "-m", "graph", "extract"]
                timings[label].append(run(cmd, env))
        print(f"yuegang {command}:")
        results[command] = {k: summary(k, v) for k, v in timings.items()}
        old = results[command]["previous"]
        for label in list(setups)[1:]:
            new = results[command][label]
            print(
                f"  ratio previous / {label}: wall {old['wall_median'] / new['wall_median']:.1f}x, "
                f"CPU {old['cpu_median'] / new['cpu_median']:.1f}x"
            )
    last = args.runs - 1
    diff = differing(tmp / f"out-previous-{last}", tmp / f"out-now-{last}")
    unexpected = sorted(set(diff) - EXPECTED_DIFFERENCES)
    print(f"outputs compared: {len(diff)} file(s) differ: {', '.join(diff) or 'none'}")
    print(
        "  unexpected differences: "
        + (", ".join(unexpected) if unexpected else "none")
        + " (figure PNGs and report.html change on purpose: 100 dpi)"
    )
    if unexpected:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
