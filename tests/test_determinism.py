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


def build(out: Path, seed: str, **extra: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed, **extra}
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


@pytest.mark.slow
def test_blas_threads_do_not_change_the_outputs(tmp_path):
    """The command line pins BLAS to one thread (faster for the small layouts); a user's own
    setting wins, and must give the same files. Figures are drawn, not taken from the cache."""
    one, two = tmp_path / "one", tmp_path / "two"
    build(one, "0", YUEGANG_FIGURE_CACHE="0")
    threads = {name: "2" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    build(two, "0", YUEGANG_FIGURE_CACHE="0", **threads)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert "figures/network.png" in {f.as_posix() for f in files}
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert [str(f) for f in files if (one / f).read_bytes() != (two / f).read_bytes()] == []


_VIEW_DIGESTS = """
import hashlib
import networkx as nx
from graph.views import render, to_pyvis
base = nx.gnm_random_graph(1200, 4000, seed=5)  # one component above Kamada-Kawai's limit: igraph
G = nx.Graph()
G.add_nodes_from((f"a{i}", {"name": f"单位{i}", "kind": "other", "items": i % 7}) for i in base)
G.add_edges_from((f"a{u}", f"a{v}", {"weight": 1 + (u + v) % 3}) for u, v in base.edges)
for html in (render.render_agency_view(G), to_pyvis(G, "agencies").generate_html()):
    print(hashlib.sha256(html.encode("utf-8")).hexdigest())
"""


@pytest.mark.slow
def test_large_view_is_the_same_bytes_across_hash_seeds_and_through_pyvis():
    """The igraph layout of a large component and the pyvis path give the same page in every
    process: rendered directly and through ``to_pyvis`` with two string hash seeds."""
    digests = set()
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-c", _VIEW_DIGESTS],
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
        )
        digests |= set(done.stdout.split())
    assert len(digests) == 1
