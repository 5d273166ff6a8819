"""Benchmark the interactive views: Python render time (wall and CPU), file size, and time until
the page is drawn and answers input, in headless Chromium.

Python render: each case is rendered in a fresh process (imports and one warm-up render first,
then one timed render); wall and CPU time (``time.process_time``) of that render are printed.
With ``--before DIR`` (a checkout of the previous code: ``git worktree add /tmp/before HEAD~5``
or ``git archive HEAD~5 | tar -x -C /tmp/before``) each round renders the same graph with that
code and with this one, one after the other, so both see the same machine load.

Page load, in headless Debian Chromium, loading the file from disk with the network blocked, a
1400 x 900 window, old and new pages loaded alternately (old first in odd runs, new first in
even ones):

- ``drawn``: the page's ready flag, set by the first ``afterDrawing`` of vis-network (every node
  and edge placed and painted), as ``performance.now()`` from navigation start.
- ``interactive``: the end of the last long task (a main-thread task over 50 ms, reported by
  the browser's ``longtask`` PerformanceObserver, registered before the page's scripts run) that
  ends after the first draw, before the first quiet second: from then on the main thread is
  free and a click, hover or key press is handled at once. Never earlier than ``drawn``. Work a
  page puts off to idle time counts if it runs in long tasks.
- ``busy``: main-thread task time until then (Chromium's ``TaskDuration`` metric, in ms: the
  wall time of the main thread's tasks, which grows when other processes hold the CPU).
- ``cpu``: the main thread's CPU time until then (Chromium's ``ThreadTime`` metric, in ms), the
  figure that depends least on the machine's load.
- ``filter``: one change of the kind filter until the next frame is drawn (ms).

Cases: the four views of the bundled notice, and the agency view of a synthetic network of
2,000 agencies and 20,000 edges (seeded random graph with the documented attributes). With
``--networkx`` the synthetic view is also rendered with networkx's ``spring_layout``
(``graph.views.page.FR_BACKEND = "networkx"``, the layout before igraph; slow).

    python3 scripts/bench_views.py                        # this code only
    python3 scripts/bench_views.py --before /tmp/before   # previous code vs this, interleaved
    python3 scripts/bench_views.py --runs 5 --renders 5 --before /tmp/before
"""

from __future__ import annotations

import argparse
import json
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

KINDS = [
    "provincial-department",
    "provincial-office",
    "municipal-government",
    "central-branch",
    "state-owned-enterprise",
    "court",
    "party-or-mass-organisation",
    "group",
    "other",
]  # graph.views.data.KINDS, spelled out so that this module imports no project code
QUIET_MS = 1000  # a main thread free of long tasks this long is interactive
LONG_TASKS = """
window.__ygLongTasks = [];
new PerformanceObserver(list => list.getEntries().forEach(
  e => window.__ygLongTasks.push([e.startTime, e.startTime + e.duration])
)).observe({type: "longtask", buffered: true});
"""


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
import json, sys, time
from pathlib import Path
sys.path[1:1] = [{bench!r}, {tests!r}]
from bench_views import synthetic_agency_network
import graph
assert graph.__file__.startswith({checkout!r}), graph.__file__
from graph.views import page, render
page.FR_BACKEND = {backend!r}
G = synthetic_agency_network()
html = render.render_agency_view(G)  # warm-up: imports, igraph, cached assets
t0, c0 = time.perf_counter(), time.process_time()
html = render.render_agency_view(G)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
Path({out!r}).write_bytes(html.encode("utf-8"))
print(json.dumps([wall, cpu]))
"""


def render_with(checkout: Path, out: Path, backend: str = "igraph") -> tuple[float, float]:
    """(wall, CPU) seconds of one render of the synthetic agency view by the code in *checkout*,
    in a fresh process, after a warm-up render; the page is written to *out*."""
    code = _RENDER_WITH.format(
        bench=str(ROOT / "scripts"),
        tests=str(ROOT / "tests"),
        out=str(out),
        checkout=str(checkout.resolve()),
        backend=backend,
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(checkout.resolve())},
        cwd=out.parent,  # not a checkout: its "graph" must not shadow the one measured
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu


def interactive_at(ready: float, tasks: list[list[float]], quiet: float = QUIET_MS) -> float:
    """The time the main thread is free for good after the first draw at *ready*: the end of
    the last of the long *tasks* ([start, end] ms) that ends after *ready*, before the first
    gap of *quiet* ms.

    >>> interactive_at(100.0, [[0, 80], [90, 300], [400, 460], [2000, 2100]])
    460
    """
    at = ready
    for start, end in sorted(tasks):
        if end <= at:
            continue
        if start - at >= quiet:
            break
        at = max(at, end)
    return at


def load_page(browser, path: Path) -> dict[str, float]:
    """One load of *path*: ms until drawn and interactive, main-thread busy and CPU ms, filter ms."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route(
        "**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort()
    )
    page = context.new_page()
    page.add_init_script(LONG_TASKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(path.as_uri())
    page.wait_for_function("window.ygView && window.ygView.ready === true", timeout=300_000)
    ready = page.evaluate("ygView.readyAt")
    while True:  # until a quiet second has passed after the last long task
        now, tasks = page.evaluate("[performance.now(), window.__ygLongTasks]")
        at = interactive_at(ready, tasks)
        if now - at >= QUIET_MS:
            break
        time.sleep(0.1)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    filtering = page.evaluate(
        """() => new Promise(done => {
             const t0 = performance.now();
             ygView.network.once('afterDrawing', () => done(performance.now() - t0));
             ygView.setFilter('kind', ygView.data.nodes[0].kind || '');
             ygView.network.redraw();
           })"""
    )
    context.close()
    return {
        "drawn": ready,
        "interactive": at,
        "busy": metrics["TaskDuration"] * 1000,
        "cpu": metrics["ThreadTime"] * 1000,
        "filter": filtering,
    }


def _spread(values: list[float], digits: int = 0) -> str:
    """Min and median of *values*, as "min / median"."""
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="page loads per view and code")
    parser.add_argument("--renders", type=int, default=3, help="Python renders per case and code")
    parser.add_argument("--before", type=Path, help="checkout of the previous code to compare")
    parser.add_argument(
        "--networkx", action="store_true", help="also the networkx spring_layout case (slow)"
    )
    parser.add_argument("--no-before", action="store_true", help=argparse.SUPPRESS)  # old flag
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    out = Path(tempfile.mkdtemp(prefix="bench-views-"))
    codes = {"new": ROOT}
    if args.before:
        codes = {"old": args.before, "new": ROOT}
    print(f"files in {out}; code: " + ", ".join(f"{k} = {v}" for k, v in codes.items()))

    # ---- Python render of the synthetic 2,000-agency view, fresh processes, interleaved ----
    render_s: dict[str, list[tuple[float, float]]] = {k: [] for k in codes}
    pages: dict[str, dict[str, Path]] = {k: {} for k in codes}
    for _ in range(args.renders):
        for name, checkout in codes.items():
            file = out / f"synthetic-{name}.html"
            render_s[name].append(render_with(checkout, file))
            pages[name]["synthetic 2000/20000"] = file
    if args.networkx:
        file = out / "synthetic-networkx.html"
        render_s["networkx"] = [render_with(ROOT, file, backend="networkx")]
        pages["new"]["synthetic, networkx layout"] = file
    print("\nPython render of the 2,000-agency / 20,000-link view (one render per process)")
    print(f"{'code':<10} {'wall s min / median':>20} {'CPU s min / median':>20}")
    for name, times in render_s.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        print(f"{name:<10} {_spread(walls, 2):>20} {_spread(cpus, 2):>20}")

    # ---- the bundled notice's views, written by each code ----
    script = (
        "import sys; from pathlib import Path; from graph.extract.notice import extract_file; "
        "from graph.rdf.build import build_graph; from graph.views.render import write_all_views; "
        "write_all_views(build_graph([extract_file(None)]), Path(sys.argv[1]))"
    )
    for name, checkout in codes.items():
        folder = out / f"notice-{name}"
        subprocess.run(
            [sys.executable, "-c", script, str(folder)],
            env={**os.environ, "PYTHONPATH": str(Path(checkout).resolve())},
            cwd=out,
            check=True,
        )
        for view in ("agencies", "bipartite", "themes", "places"):
            pages[name][f"notice {view}"] = folder / f"{view}.html"

    # ---- page loads, old and new alternately ----
    loads: dict[tuple[str, str], list[dict[str, float]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for run in range(args.runs):
            for case in pages["new"]:
                order = list(codes) if run % 2 == 0 else list(reversed(codes))  # no order effect
                for name in order:
                    if case in pages[name]:
                        loads.setdefault((case, name), []).append(
                            load_page(browser, pages[name][case])
                        )
        browser.close()
    print(f"\nPage loads in headless Chromium, ms, min / median of {args.runs}")
    print(f"{'view':<28} {'code':<5} {'KB':>6} {'drawn':>13} {'interactive':>13} "
          f"{'busy':>13} {'cpu':>11} {'filter':>11}")  # fmt: skip
    for (case, name), runs in loads.items():
        size = pages[name][case].stat().st_size / 1024
        keys = ("drawn", "interactive", "busy", "cpu", "filter")
        cells = [_spread([r[k] for r in runs]) for k in keys]
        print(f"{case:<28} {name:<5} {size:>6.0f} {cells[0]:>13} {cells[1]:>13} "
              f"{cells[2]:>13} {cells[3]:>11} {cells[4]:>11}")  # fmt: skip


if __name__ == "__main__":
    main()
