"""Benchmark the whole analysis on a synthetic corpus (default 50,000 items × 2,000 agencies).

    python3 scripts/bench_networks.py --items 50000 --agencies 2000   # the issue's size
    python3 scripts/bench_networks.py --items 5000 --agencies 200     # a quick run
    python3 scripts/bench_networks.py --compare-with /tmp/old-checkout  # + the same script there

The corpus is a set of synthetic notices (extraction dicts following the contract) whose items
have 1–9 agencies with the frequencies of the 2017 notice (45 of 77 items have one agency, 16
two, …) drawn from a skewed popularity (weight 1/rank^0.8), so that a few agencies are hubs as
in real notices. It times notices → graph → networks → measures → exports: building the RDF
graph in a pyoxigraph Store (graph.rdf.build.build_store), reading it (load_corpus), the
co-responsibility projection, every measure (exact betweenness with igraph), the network-level
summary and the agency network's exports (GraphML, GEXF, CSV, JSON); then, outside the total,
the graph files (sorted N-Triples and Turtle written by Oxigraph) and the measures one by one.
Figures go to stdout; peak memory is the process's maximum resident set size.

``--compare-with DIR`` runs ``DIR/scripts/bench_networks.py`` (e.g. a ``git worktree`` of the
previous code) with the same arguments in a fresh process and prints the ratio of the totals.

``--runs N`` (N > 1) runs the whole analysis N times, each in a fresh process (cold, its own
peak memory), and prints every total, their minimum and median: on a shared machine one run
can be 30 % off. With ``--compare-with`` the previous code's runs alternate with this code's
(ABBA …), so that both see the same slow and fast minutes, and the ratio of the medians is
printed.

    python3 scripts/bench_networks.py --runs 5 --compare-with /tmp/old-checkout --no-graph-files
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# BLAS on one thread, as the `yuegang` command sets it (before numpy is imported)
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import networkx as nx  # noqa: E402

from graph.extract.register import Agency, Register  # noqa: E402
from graph.network import measures  # noqa: E402
from graph.network.networks import agency_network, load_corpus  # noqa: E402

# agencies per item in the 2017 notice: {count: items}
AGENCIES_PER_ITEM = {1: 45, 2: 16, 3: 6, 4: 5, 5: 2, 6: 1, 8: 1, 9: 1}
KINDS = ("provincial-department", "provincial-office", "municipal-government", "central-branch")


def synthetic(n_items: int, n_agencies: int, n_docs: int, seed: int) -> tuple[list[dict], Register]:
    rnd = random.Random(seed)
    agencies = [
        Agency(
            id=f"ag-{i:05d}",
            name=f"单位{i:05d}",
            full_name=f"广东省单位{i:05d}",
            name_en=f"Agency {i}",
            kind=KINDS[i % len(KINDS)],
        )
        for i in range(n_agencies)
    ]
    popularity = [1 / (rank + 1) ** 0.8 for rank in range(n_agencies)]
    sizes, freq = zip(*AGENCIES_PER_ITEM.items(), strict=True)
    per_doc = -(-n_items // n_docs)
    docs = []
    made = 0
    for d in range(n_docs):
        count = min(per_doc, n_items - made)
        sections = [
            {"number": s, "title": f"第{s}部分", "line": 1, "subsections": []} for s in range(1, 9)
        ]
        items = []
        for n in range(1, count + 1):
            k = rnd.choices(sizes, freq)[0]
            chosen: list[int] = []
            while len(chosen) < k:
                a = rnd.choices(range(n_agencies), popularity)[0]
                if a not in chosen:
                    chosen.append(a)
            items.append(
                {
                    "number": n,
                    "key": str(n),
                    "section": 1 + (n * 8) // (count + 1),
                    "subsection": None,
                    "text": f"第{n}项工作。",
                    "responsibility": "（…）",
                    "span": [0, 0],
                    "responsibility_span": [0, 0],
                    "line": n,
                    "deadline": None,
                    "agencies": [
                        {
                            "name": agencies[a].name,
                            "as_written": agencies[a].name,
                            "role": "responsible",
                            "position": p + 1,
                            "id": agencies[a].id,
                            "known": True,
                        }
                        for p, a in enumerate(chosen)
                    ],
                    "places": [],
                    "themes": [],
                    "keywords": [],
                    "target_year": None,
                }
            )
        made += count
        docs.append(
            {
                "document": {
                    "identifier": f"合成〔2020〕{d + 1}号",
                    "title": f"合成通知{d + 1}",
                    "issuer": None,
                    "date": None,
                    "source": f"synthetic-{d + 1}.txt",
                    "sha256": f"{d:064x}",
                    "recipients": [],
                    "contact_unit": None,
                    "cc": [],
                    "annex_title": None,
                    "script": "simplified",
                },
                "sections": sections,
                "items": items,
                "warnings": [],
            }
        )
    return docs, Register(agencies)


CPU: dict[str, float] = {}


def machine_speed(steps: int = 20_000_000) -> float:
    """Seconds a fixed pure-Python loop takes: on a shared VM the same code runs 30-50 % slower
    in some minutes than in others, so each run says how fast the machine was when it ran."""
    start, x = time.perf_counter(), 0
    for i in range(steps):
        x += i & 7
    return time.perf_counter() - start


def cpu_time() -> float:
    """CPU seconds of this process and of its finished children (the measures run exact
    betweenness in a forked child)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(label: str, fn: Callable[[], Any], results: dict[str, float]) -> Any:
    """Run *fn*; record its wall time in *results* (and its CPU time in :data:`CPU`: on a busy
    machine, CPU time is closer to what a quiet machine's wall clock would show)."""
    gc.collect()
    start, cpu = time.perf_counter(), cpu_time()
    value = fn()
    results[label] = time.perf_counter() - start
    CPU[label] = cpu_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  {label:<46} {results[label]:8.2f} s wall {CPU[label]:8.2f} s CPU"
        f"   peak so far {peak:6,.0f} MB",
        flush=True,
    )
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--agencies", type=int, default=2_000)
    parser.add_argument("--documents", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--betweenness-k", default="auto", help="'auto', 'exact' or a number")
    parser.add_argument("--no-graph-files", action="store_true", help="skip graph.nt/graph.ttl")
    parser.add_argument("--compare-with", metavar="DIR", help="checkout of the previous code")
    parser.add_argument(
        "--runs", type=int, default=1, help="fresh runs of the whole analysis (min, median)"
    )
    parser.add_argument(
        "--analysis-only", action="store_true", help="stop after the whole analysis's figures"
    )
    args = parser.parse_args()
    if args.runs > 1:
        repeated(args)
        return
    # the previous code runs first, in a fresh process: a child started later would inherit
    # this process's peak memory (Linux keeps ru_maxrss across exec)
    previous = run_previous(args) if args.compare_with else ""
    k: Any = args.betweenness_k
    k = None if k == "exact" else k if k == "auto" else int(k)

    print(f"machine speed: a fixed 20 M-step Python loop takes {machine_speed():.2f} s")
    print(
        f"synthetic corpus: {args.items} items, {args.agencies} agencies, {args.documents} notices"
    )
    docs, register = synthetic(args.items, args.agencies, args.documents, args.seed)
    t: dict[str, float] = {}
    from graph.network.exports import write_networks
    from graph.rdf.build import build_nt, build_store, serialize_turtle

    store = timed(
        "build RDF (build_store, pyoxigraph)",
        lambda: build_store(docs, include_ontology=False, register=register),
        t,
    )
    print(f"  -> {len(store):,} triples")
    corpus = timed("read RDF (load_corpus from the store)", lambda: load_corpus(store), t)
    store = None  # the networks need only the corpus: free the store's memory
    G = timed("co-responsibility network (projection)", lambda: agency_network(corpus), t)
    print(
        f"  -> {G.number_of_nodes()} agencies, {G.number_of_edges():,} links, "
        f"density {nx.density(G):.4f}"
    )
    H = timed("all measures (with_measures)", lambda: measures.with_measures(G, betweenness_k=k), t)
    timed("network summary", lambda: measures.network_summary(H), t)
    print(
        f"  betweenness: {H.graph['betweenness_k']} "
        f"({'exact, igraph' if H.graph['betweenness_k'] == 'exact' else 'sampled sources, seed 42'})"
    )
    with tempfile.TemporaryDirectory() as tmp:
        timed(
            "exports (agencies .graphml .gexf .csv .json)",
            lambda: write_networks(H, [Path(tmp) / f"agencies.{f}" for f in FORMATS]),
            t,
        )
    total, cpu = sum(t.values()), sum(CPU[label] for label in t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"whole analysis (notices → graph → networks → measures → exports): {total:.1f} s")
    print(f"  the same in CPU time: {cpu:.1f} s")
    print(f"peak memory: {peak:,.0f} MB")
    if not args.compare_with:  # else the previous code's process is the largest child
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"  largest forked child (measures, exports): {child:,.0f} MB resident, most of "
            "it pages shared with this process (copy-on-write)"
        )
    if args.analysis_only:
        return

    if not args.no_graph_files:
        print("graph files (outside the total):")
        nt = timed(
            "sorted N-Triples (build_nt)",
            lambda: build_nt(docs, include_ontology=False, register=register),
            t,
        )
        timed("Turtle (serialize_turtle, Oxigraph)", lambda: serialize_turtle(nt), t)
        nt = b""

    print("measures one by one:")
    W = nx.Graph()
    W.add_nodes_from(G)
    for u, v, w in G.edges(data="weight"):
        W.add_edge(u, v, weight=w, distance=1 / w)
    kk = measures._betweenness_k(W.number_of_nodes(), k)
    timed(
        f"betweenness ({'exact, igraph' if kk is None else f'k={kk}, networkx'})",
        lambda: measures.betweenness(W, k=kk),
        t,
    )
    timed("closeness (igraph, exact)", lambda: measures.closeness(W, engine="igraph"), t)
    timed("eigenvector", lambda: measures.eigenvector(W), t)
    timed("effective size + constraint (sparse)", lambda: measures.structural_holes(W), t)
    timed("k-core (networkx)", lambda: nx.core_number(W), t)
    if W.number_of_nodes() > getattr(measures, "NETWORKX_LOUVAIN_MAX", W.number_of_nodes()):
        nodes = list(W)

        def louvain() -> float:
            h = measures._Arrays(W, nodes, "weight").igraph()
            return measures._igraph_modularity(h, nodes, measures._igraph_communities(h, nodes, 42))

        timed("Louvain (igraph, seeded) + modularity", louvain, t)
    else:
        timed(
            "Louvain (networkx) + modularity",
            lambda: measures._modularity(W, measures._communities(W, "weight", 42), "weight"),
            t,
        )
    timed("k-core (igraph)", lambda: measures._Arrays(W, list(W), "weight").igraph().coreness(), t)
    print("exact betweenness + closeness (goal 3: <= 3 s for 2,000 agencies):")
    exact_pair(W, "this network", t)
    exact_pair(random_network(args.agencies, 20_000), "random, 20,000 links", t)
    if args.compare_with:
        compare(previous, total, cpu)


def random_network(n: int, m: int, seed: int = 7) -> nx.Graph:
    """The issue's 2,000 agencies / 20,000 links: a G(n, m) graph with 1–3 shared items per
    link (as ``scripts/bench_views.py`` makes it)."""
    rnd = random.Random(seed)
    G = nx.Graph()
    G.add_nodes_from(f"ag-{i:05d}" for i in range(n))
    for u, v in nx.gnm_random_graph(n, m, seed=seed).edges:
        G.add_edge(f"ag-{u:05d}", f"ag-{v:05d}", weight=rnd.randint(1, 3))
    return G


def exact_pair(G: nx.Graph, label: str, t: dict[str, float]) -> None:
    """Exact betweenness and closeness of *G* as the API computes them (igraph above 100
    agencies), one after the other."""
    from graph.network.measures import betweenness, closeness

    nodes = list(G)
    both = f"{label}: {G.number_of_nodes()} agencies, {G.number_of_edges():,} links"
    timed(both, lambda: (betweenness(G, nodes, engine="igraph"), closeness(G, nodes)), t)


FORMATS = ("graphml", "gexf", "csv", "json")
TOTAL = re.compile(r"whole analysis[^:]*:\s*([\d.]+) s")
PEAK = re.compile(r"peak memory:\s*([\d,]+) MB")
SPEED = re.compile(r"machine speed:.* takes ([\d.]+) s")


def one_run(script: Path, args: argparse.Namespace) -> tuple[float, float, str]:
    """(whole analysis s, peak MB, machine speed s) of *script* run once in a fresh process,
    with this run's corpus arguments (and only the analysis, where the script knows how)."""
    cmd = [sys.executable, str(script), "--items", str(args.items)]
    cmd += ["--agencies", str(args.agencies), "--documents", str(args.documents)]
    cmd += ["--seed", str(args.seed), "--betweenness-k", str(args.betweenness_k)]
    cmd.append("--no-graph-files")
    if "--analysis-only" in script.read_text(encoding="utf-8"):
        cmd.append("--analysis-only")
    env = {**os.environ, "PYTHONPATH": str(script.parent.parent)}
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    total, peak, speed = TOTAL.search(out), PEAK.search(out), SPEED.search(out)
    if total is None or peak is None:
        raise SystemExit(f"{script}: no total in its output:\n{out}")
    return (
        float(total.group(1)),
        float(peak.group(1).replace(",", "")),
        (speed.group(1) if speed else "?"),
    )


def repeated(args: argparse.Namespace) -> None:
    """``--runs N``: the whole analysis N times in fresh processes, alternating with the
    previous code's runs (ABBA) when there is one; every total, the minimum and the median."""
    this = Path(__file__).resolve()
    scripts = {"this code": this}
    if args.compare_with:
        scripts["previous code"] = Path(args.compare_with).resolve() / "scripts" / this.name
        if not scripts["previous code"].is_file():
            raise SystemExit(f"--compare-with {args.compare_with}: no {scripts['previous code']}")
    print(
        f"synthetic corpus: {args.items} items, {args.agencies} agencies, {args.documents} "
        f"notices; {args.runs} fresh runs of the whole analysis each"
    )
    totals: dict[str, list[float]] = {label: [] for label in scripts}
    peaks: dict[str, list[float]] = {label: [] for label in scripts}
    order = list(scripts)
    for run in range(args.runs):
        for label in order if run % 2 == 0 else order[::-1]:
            total, peak, speed = one_run(scripts[label], args)
            totals[label].append(total)
            peaks[label].append(peak)
            print(
                f"  run {run + 1} {label:<14} {total:5.1f} s   peak {peak:,.0f} MB   "
                f"(machine speed {speed} s)",
                flush=True,
            )
    for label in scripts:
        t = totals[label]
        print(
            f"{label}: whole analysis min {min(t):.1f} s, median {statistics.median(t):.1f} s, "
            f"max {max(t):.1f} s over {len(t)} runs; peak memory up to {max(peaks[label]):,.0f} MB"
        )
    if args.compare_with:
        before = statistics.median(totals["previous code"])
        now = statistics.median(totals["this code"])
        print(f"ratio previous / now (medians of the whole analysis, wall): {before / now:.2f}x")


def run_previous(args: argparse.Namespace) -> str:
    """The output of the same benchmark run from a checkout of the previous code."""
    root = Path(args.compare_with).resolve()
    cmd = [sys.executable, str(root / "scripts" / "bench_networks.py")]
    cmd += ["--items", str(args.items), "--agencies", str(args.agencies)]
    cmd += ["--documents", str(args.documents), "--seed", str(args.seed)]
    if args.no_graph_files:
        cmd.append("--no-graph-files")
    env = {**os.environ, "PYTHONPATH": str(root)}
    print(f"previous code ({root}), run first:", flush=True)
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    print("  " + out.replace("\n", "\n  ").rstrip(), flush=True)
    print("this code:", flush=True)
    return out


def compare(previous: str, total: float, cpu: float) -> None:
    """Print the ratios previous / now of the whole analysis, wall and CPU."""
    wall = re.search(r"whole analysis[^:]*:\s*([\d.]+) s", previous)
    cpu_before = re.search(r"the same in CPU time:\s*([\d.]+) s", previous)
    if wall:
        print(f"ratio previous / now (whole analysis, wall): {float(wall.group(1)) / total:.2f}x")
    if cpu_before:
        print(
            f"ratio previous / now (whole analysis, CPU): {float(cpu_before.group(1)) / cpu:.2f}x"
        )


if __name__ == "__main__":
    main()
