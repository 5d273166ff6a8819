"""Benchmark the interactive views: render time in Python, file size, time until interactive.

"Interactive" = the page's own ready flag, set on vis-network's first ``afterDrawing`` (every
node placed and drawn, handlers attached), measured as ``performance.now()`` from navigation
start, in headless Debian Chromium loading the file from disk with the network blocked. Also
timed: one filter change (kind) until the next frame is drawn.

Cases: the four views of the bundled notice, and the agency view of a synthetic network of
2,000 agencies and 20,000 edges (seeded random graph with the documented attributes), rendered
twice: with igraph's Fruchterman-Reingold (now) and with networkx's ``spring_layout`` (before,
``graph.views.page.FR_BACKEND = "networkx"``), each the median of ``--renders`` renders after a
warm-up render that pays the imports (igraph imports matplotlib: its first-use cost is printed).

With ``--before DIR`` (a checkout of the previous code, e.g. ``git worktree add /tmp/before
HEAD~5``), the same synthetic network is also rendered by that code in a subprocess, and its
page loaded the same way: before/after ratios from one run on the same machine state.

    python3 scripts/bench_views.py            # 3 page loads per view, medians
    python3 scripts/bench_views.py --runs 1   # quicker
    python3 scripts/bench_views.py --before /work/main
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser_fixtures import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from graph.views import render as views  # noqa: E402

KINDS = list(views.KINDS)


def synthetic_agency_network(n: int = 2000, m: int = 20000, seed: int = 7) -> nx.Graph:
    """A random agency network with the attributes of ``graph.network.networks.agency_network``."""
    rng = random.Random(seed)
    base = nx.gnm_random_graph(n, m, seed=seed)
    G = nx.Graph()
    for i in base:
        G.add_node(
            f"ag-{i:04d}",
            iri=f"https://w3id.org/yuegang/agency/ag-{i:04d}",
            name=f"单位{i:04d}",
            full_name=f"广东省第{i}号合作单位",
            label_en=f"Agency {i}",
            kind=KINDS[i % len(KINDS)],
            known=True,
            items=0,
            item_labels=[],
        )
    for u, v in base.edges:
        labels = sorted({str(rng.randint(1, 5000)) for _ in range(rng.randint(1, 3))}, key=int)
        G.add_edge(f"ag-{u:04d}", f"ag-{v:04d}", weight=len(labels), items=labels, newman=0.5)
    for node in G:
        labels = sorted({lab for nb in G[node] for lab in G.edges[node, nb]["items"]}, key=int)
        G.nodes[node].update(items=len(labels), item_labels=labels)
    return G


_RENDER_WITH = """
import statistics, sys, time
from pathlib import Path
sys.path[1:1] = [{bench!r}, {tests!r}]
from bench_views import synthetic_agency_network
from graph.views import render
G = synthetic_agency_network()
import graph
assert graph.__file__.startswith({checkout!r}), graph.__file__
html = render.render_agency_view(G)  # warm-up: imports
times = []
for _ in range({renders}):
    t0 = time.perf_counter()
    html = render.render_agency_view(G)
    times.append(time.perf_counter() - t0)
Path({out!r}).write_bytes(html.encode("utf-8"))
print(statistics.median(times))
"""


def render_with(checkout: Path, out: Path, renders: int) -> float:
    """Median seconds of the synthetic agency view rendered by the code in *checkout*."""
    code = _RENDER_WITH.format(
        bench=str(ROOT / "scripts"),
        tests=str(ROOT / "tests"),
        renders=renders,
        out=str(out),
        checkout=str(checkout.resolve()),
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(checkout.resolve())},
        cwd=out.parent,  # not this checkout: its "graph" must not shadow the one compared
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def load_times(browser, path: Path, runs: int) -> tuple[float, float]:
    """Median ms until the ready flag, and median ms of one kind-filter change until drawn."""
    ready, filtering = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
        )
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function("window.ygView && window.ygView.ready === true", timeout=300_000)
        ready.append(page.evaluate("ygView.readyAt"))
        filtering.append(
            page.evaluate(
                """() => new Promise(done => {
                     const t0 = performance.now();
                     ygView.network.once('afterDrawing', () => done(performance.now() - t0));
                     ygView.setFilter('kind', ygView.data.nodes[0].kind || '');
                     ygView.network.redraw();
                   })"""
            )
        )
        context.close()
    return statistics.median(ready), statistics.median(filtering)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per view (median)")
    parser.add_argument("--renders", type=int, default=3, help="Python renders per case (median)")
    parser.add_argument("--no-before", action="store_true", help="skip the networkx layout case")
    parser.add_argument("--before", type=Path, help="checkout of the previous code to compare")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from graph.extract.notice import extract_file
    from graph.network import measures, networks
    from graph.rdf.build import build_graph

    out = Path(tempfile.mkdtemp(prefix="bench-views-"))
    cases: list[tuple[str, Path, float]] = []

    g = build_graph([extract_file(None)])
    t0 = time.perf_counter()
    corpus = networks.load_corpus(g)
    A = measures.with_measures(networks.agency_network(corpus))
    B = networks.bipartite_network(corpus)
    T = networks.theme_network(corpus)
    P = networks.place_network(corpus)
    t_networks = time.perf_counter() - t0
    renders = {
        "agencies": lambda: views.render_agency_view(A, bipartite=B),
        "bipartite": lambda: views.render_bipartite_view(B),
        "themes": lambda: views.render_theme_view(T, B),
        "places": lambda: views.render_place_view(P, B),
    }
    for name, render in renders.items():
        t0 = time.perf_counter()
        html = render()
        cases.append((f"notice {name}", out / f"{name}.html", time.perf_counter() - t0))
        cases[-1][1].write_bytes(html.encode("utf-8"))

    from graph.views import page

    big = synthetic_agency_network()
    t0 = time.perf_counter()
    import igraph  # noqa: F401  (what the first large layout pays once)

    print(f"import igraph (pulls in matplotlib.pyplot): {time.perf_counter() - t0:.2f} s")
    backends = [("igraph", "synthetic 2000/20000")]
    if not args.no_before:
        backends.append(("networkx", "synthetic, before"))
    for backend, name in backends:
        page.FR_BACKEND = backend
        html = views.render_agency_view(big)  # warm-up
        times = []
        for _ in range(args.renders if backend == "igraph" else 1):
            t0 = time.perf_counter()
            html = views.render_agency_view(big)
            times.append(time.perf_counter() - t0)
        file = out / f"synthetic-{backend}.html"
        file.write_bytes(html.encode("utf-8"))
        cases.append((name, file, statistics.median(times)))
    page.FR_BACKEND = "igraph"
    if args.before:
        file = out / "synthetic-before-code.html"
        seconds = render_with(args.before, file, args.renders)
        cases.append(("synthetic, before code", file, seconds))

    print(f"notice networks + measures: {t_networks:.2f} s; files in {out}")
    print(f"{'view':<22} {'nodes':>6} {'edges':>6} {'size KB':>8} {'render s':>9} "
          f"{'ready ms':>9} {'filter ms':>9}")  # fmt: skip
    graphs = {"notice agencies": A, "notice bipartite": B, "notice themes": views.theme_view_graph(T, B),
              "notice places": P, "synthetic 2000/20000": big, "synthetic, before": big,
              "synthetic, before code": big}  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, path, render_s in cases:
            ready_ms, filter_ms = load_times(browser, path, args.runs)
            G = graphs[name]
            print(f"{name:<22} {len(G):>6} {G.number_of_edges():>6} "
                  f"{path.stat().st_size / 1024:>8.0f} {render_s:>9.2f} {ready_ms:>9.0f} {filter_ms:>9.0f}")  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
