"""The same input gives byte-identical output files, whatever the process's hash seed.

Python randomises string hashing per process, so set and dict orders can differ between two
runs of ``yuegang build``; a diff between two builds must only ever mean the input changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def build(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "graph", "build", "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
    )


@pytest.mark.slow
def test_two_builds_with_different_hash_seeds_are_byte_identical(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    build(first, "1")
    build(second, "2")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert {
        "graph.ttl",
        "graph.nt",
        "graph.jsonld",
        "index.html",
        "agencies.html",
        "bipartite.html",
        "themes.html",
        "places.html",
        "report.html",
    } <= {str(f) for f in files}
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    different = [str(f) for f in files if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []
