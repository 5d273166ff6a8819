"""Benchmark the seed, cold: `yuegang build` and `yuegang extract` of the bundled notice, each in a
fresh process, against the previous code, and check that the outputs are byte-identical.

    python3 scripts/bench_build.py                          # previous code = commit 8ff7430
    python3 scripts/bench_build.py --previous /tmp/old      # a checkout you made
    python3 scripts/bench_build.py --runs 5

The previous code runs from a checkout (by default a temporary ``git worktree`` of
``--previous-commit``, removed afterwards) through ``PYTHONPATH``, with this virtualenv's
packages. Runs alternate between the setups so that a busy machine slows them alike:

- "now": a normal run after a first one (the notice's keywords, the report's figures, the
  SHACL result and the view layouts come from the user cache folder, as for any notice built
  before);
- "now, nothing cached": ``YUEGANG_CACHE=0``, as for a notice never seen (jieba loads,
  matplotlib draws, pyshacl checks, Kamada–Kawai lays out);
- "now, one process" (build only): ``YUEGANG_WORKERS=0``, no worker processes.

For each: wall time, CPU time (user + system of the command and its worker processes: a build
uses two cores, so its CPU time exceeds its wall time; on a busy machine the wall time of the
workers' share grows first) and peak memory (largest resident set of the process or a worker),
min / median over the runs, and the ratio of the medians. Every setup runs as an installed
Python does, keeping compiled modules between runs (``--bytecode``).

The last run's outputs are compared file by file with those of ``--outputs-commit`` (main before
this round of work; the previous code predates intended output changes of other issues); the
figures (and report.html, which embeds the PNGs) may differ on purpose: PNGs at 100 dpi instead
of 200, SVGs cropped with the box measured for the PNG.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXPECTED_DIFFERENCES = {  # 100 dpi PNGs (and report.html, which embeds them); SVGs cropped
    "figures/network.png",  # with the PNG's box (one measurement for both formats)
    "figures/network.svg",
    "figures/top-betweenness.png",
    "figures/top-betweenness.svg",
    "figures/top-weighted-degree.png",
    "figures/top-weighted-degree.svg",
    "report.html",
}
#: Views whose inlined page script changed on purpose (edges drawn by the page for big networks,
#: labels picked before the first draw) and whose data block is packed (long lists named once):
#: compared with their scripts blanked out and their data blocks unpacked, so that the data and
#: the rest of each page must still be the same.
SCRIPT_CHANGED = {"agencies.html", "bipartite.html", "themes.html", "places.html"}
DATA_BLOCK = re.compile(rb'(<script type="application/json" id="yg-data">)(.*?)(</script>)', re.S)


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
        if rel in SCRIPT_CHANGED:
            data_a, data_b = (_page_script_blanked(p / rel) for p in (a, b))
            if data_a != data_b:
                out.append(rel)
            elif not filecmp.cmp(a / rel, b / rel, shallow=False):
                out.append(f"{rel} (page script or packing only)")
        elif not filecmp.cmp(a / rel, b / rel, shallow=False):
            out.append(rel)
    return out


def _page_script_blanked(path: Path) -> tuple[bytes, Any]:
    """The page with its last inlined script (the page script) and its data block emptied, and
    the data block unpacked (:func:`graph.views.page.unpack_data` of this checkout)."""
    from graph.views.page import unpack_data

    data = path.read_bytes()
    start = data.rfind(b"<script")
    end = data.find(b"</script>", start)
    if start >= 0 and end >= 0:
        data = data[:start] + data[end:]
    found = DATA_BLOCK.search(data)
    if found is None:
        return data, None
    block = unpack_data(json.loads(found[2]))
    return data[: found.start(2)] + data[found.end(2) :], block


sys.path.insert(0, str(ROOT))  # unpack_data, for comparing view pages (not for timing)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--previous", type=Path, help="checkout of the previous code")
    parser.add_argument("--previous-commit", default="8ff7430")
    parser.add_argument(
        "--outputs-commit",
        default="4755ef7",
        help="the outputs of this commit's build are compared with today's, file by file "
        "(default: main before this round of speed work; 8ff7430 predates intended changes)",
    )
    parser.add_argument(
        "--bytecode",
        choices=("write", "environment"),
        default="write",
        help="write: Python keeps compiled modules between runs, as an installation does "
        "(default); environment: as PYTHONDONTWRITEBYTECODE in this environment says",
    )
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
        reference = tmp / "reference"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(reference),
             args.outputs_commit],
            check=True,
        )  # fmt: skip
        try:
            measure(args, tmp, previous.resolve())
            compare_outputs(tmp, reference, tmp / f"out-now-{args.runs - 1}")
        finally:
            for checkout in ([previous] if args.previous is None else []) + [reference]:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(checkout)],
                    check=False,
                )


def child_environment(bytecode: str) -> dict[str, str]:
    """This process's environment for the timed commands, without ``PYTHONPATH``; with
    ``--bytecode write`` also without ``PYTHONDONTWRITEBYTECODE``, so that Python keeps each
    checkout's compiled modules (``__pycache__``) after the untimed first run, as an
    installation does (pip compiles installed packages; an editable checkout compiles on first
    import). Some sandboxes set that variable; with it every run compiles the package's modules
    from source again (≈ 0.4 s of a build)."""
    drop = {"PYTHONPATH"} | ({"PYTHONDONTWRITEBYTECODE"} if bytecode == "write" else set())
    return {k: v for k, v in os.environ.items() if k not in drop}


def measure(args: argparse.Namespace, tmp: Path, previous: Path) -> None:
    base = child_environment(args.bytecode)
    now = {**base, "PYTHONPATH": str(ROOT)}
    # every cache of the user cache folder off (the keyword, figure, SHACL and layout caches)
    no_cache = {"YUEGANG_CACHE": "0", "YUEGANG_KEYWORD_CACHE": "0", "YUEGANG_FIGURE_CACHE": "0"}
    setups = {
        "previous": {**base, "PYTHONPATH": str(previous)},
        "now": now,
        "now, nothing cached": {**now, **no_cache},
        "now, one process": {**now, "YUEGANG_WORKERS": "0"},
        "now, one process, nothing cached": {**now, **no_cache, "YUEGANG_WORKERS": "0"},
    }
    only_build = {"now, one process", "now, one process, nothing cached"}
    py = sys.executable
    # one untimed run each: jieba's and the keyword caches exist, as after any first use
    for label, env in setups.items():
        run([py, "-m", "graph", "build", "-o", str(tmp / f"warm-{label}")], env)
    print(
        f"seed, cold (fresh process per run), {args.runs} runs, min / median; compiled modules "
        + ("kept between runs" if args.bytecode == "write" else "as this environment says")
    )
    results: dict[str, dict[str, dict[str, float]]] = {}
    for command in ("build", "extract"):
        chosen = {k: v for k, v in setups.items() if command == "build" or k not in only_build}
        timings: dict[str, list[tuple[float, float, float]]] = {k: [] for k in chosen}
        for i in range(args.runs):
            for label, env in chosen.items():
                if command == "build":
                    cmd = [py, "-m", "graph", "build", "-o", str(tmp / f"out-{label}-{i}")]
                else:
                    cmd = [py, "-m", "graph", "extract"]
                timings[label].append(run(cmd, env))
        print(f"yuegang {command}:")
        results[command] = {k: summary(k, v) for k, v in timings.items()}
        old = results[command]["previous"]
        for label in list(chosen)[1:]:
            new = results[command][label]
            print(
                f"  ratio previous / {label}: wall {old['wall_median'] / new['wall_median']:.1f}x, "
                f"CPU {old['cpu_median'] / new['cpu_median']:.1f}x"
            )


def compare_outputs(tmp: Path, reference: Path, now_out: Path) -> None:
    """Build with the *reference* checkout and compare its files with *now_out*'s."""
    base = child_environment("environment")
    ref_out = tmp / "out-reference"
    run([sys.executable, "-m", "graph", "build", "-o", str(ref_out)],
        {**base, "PYTHONPATH": str(reference)})  # fmt: skip
    diff = differing(ref_out, now_out)
    unexpected = sorted(
        d for d in set(diff) - EXPECTED_DIFFERENCES if "(page script or packing only)" not in d
    )
    print(f"outputs compared with {reference.name}: {len(diff)} file(s) differ: "
          f"{', '.join(diff) or 'none'}")  # fmt: skip
    print(
        "  unexpected differences: "
        + (", ".join(unexpected) if unexpected else "none")
        + " (figures and report.html may change on purpose: 100 dpi, one crop box)"
    )
    if unexpected:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
