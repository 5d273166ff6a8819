"""Benchmark the query stores: rdflib's memory store against Oxigraph (pyoxigraph, oxrdflib).

Measures, on the bundled notice's graph and on a synthetic graph of the same shape (the
notice's instance data copied under other document IRIs until the size is reached, sharing
agencies, places and themes the way successive notices do):

- load: parse the Turtle file into the store;
- Turtle write: rdflib's serializer, Oxigraph's ``Store.dump``, and the project's
  ``graph.rdf.build.serialize_turtle`` (sorted triples through Oxigraph's writer);
- every ready-made query of ``graph/rdf/queries`` (time inside the store, measured in the
  time-limited child; answers compared across stores);
- the overhead of the forked time-limited run (``graph.rdf.query.run_query(timeout=…)``).

Prints a Markdown table. Figures are medians of ``--repeat`` runs for the bundled graph and
single runs for the large one (which takes minutes: rdflib needs ~45 s just to parse 1M
triples). Queries slower than ``--query-limit`` seconds are stopped and shown as ``>N``.

Usage::

    python3 scripts/bench_store.py                      # bundled graph + 1,000,000 triples
    python3 scripts/bench_store.py --triples 100000     # smaller synthetic graph
    python3 scripts/bench_store.py --triples 0          # bundled graph only
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.rdf.build import build_graph, serialize_nt, serialize_turtle  # noqa: E402
from graph.rdf.query import (  # noqa: E402
    QueryStore,
    QueryTimeout,
    open_store,
    ready_made,
    run_query,
)

BUNDLED_SLUG = "/doc/yuefuhan-2017-38"


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median seconds of *repeat* calls of *fn*, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def bundled_graph() -> rdflib.Graph:
    from graph.extract.notice import extract_file

    return build_graph([extract_file(None)])


def synthetic_nt(base_nt: bytes, target: int) -> bytes:
    """N-Triples of about *target* triples: the notice's own triples copied per fake notice."""
    lines = base_nt.splitlines()
    shared = [line for line in lines if BUNDLED_SLUG.encode() not in line]
    per_notice = [line for line in lines if BUNDLED_SLUG.encode() in line]
    copies = max(1, (target - len(shared)) // len(per_notice))
    out = list(shared)
    for k in range(copies):
        slug = f"/doc/synthetic-{k:05d}".encode()
        ident = f"synthetic-{k:05d}".encode()
        for line in per_notice:
            out.append(
                line.replace(BUNDLED_SLUG.encode(), slug).replace(
                    "粤府函〔2017〕38号".encode(), ident
                )
            )
    return b"\n".join(out) + b"\n"


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    if seconds >= 10:
        return f"{seconds:.1f}"
    if seconds >= 0.1:
        return f"{seconds:.2f}"
    return f"{seconds:.3f}"


def bench_graph(label: str, ttl_path: Path, repeat: int, query_limit: float) -> dict[str, dict]:
    """Figures for one Turtle file, per store."""
    rows: dict[str, dict] = {}
    ttl = ttl_path.read_bytes()
    print(f"[{label}] {len(ttl) / 1e6:.1f} MB of Turtle", file=sys.stderr, flush=True)

    # --- rdflib memory store
    t_load, g = timed(lambda: rdflib.Graph().parse(data=ttl, format="turtle"), repeat)
    n = len(g)
    print(f"[{label}] rdflib parsed {n} triples in {t_load:.2f} s", file=sys.stderr, flush=True)
    t_write, _ = timed(lambda: g.serialize(format="turtle"), repeat)
    t_sorted, _ = timed(lambda: serialize_turtle(g), repeat)
    rows["rdflib"] = {"triples": n, "load": t_load, "write": t_write, "sorted_write": t_sorted}
    rows["rdflib"]["queries"] = run_all(QueryStore("rdflib", g, label), repeat, query_limit, label)
    g = None
    gc.collect()

    # --- oxrdflib (rdflib API on an Oxigraph store, native parser/serializer)
    def ox_rdflib_load() -> rdflib.Graph:
        graph = rdflib.Graph(store="Oxigraph")
        graph.parse(data=ttl, format="ox-turtle")
        return graph

    try:
        t_load, og = timed(ox_rdflib_load, repeat)
        t_write, _ = timed(lambda: og.serialize(format="ox-turtle"), repeat)
        rows["oxrdflib"] = {"triples": n, "load": t_load, "write": t_write, "sorted_write": None}
        rows["oxrdflib"]["queries"] = run_all(
            QueryStore("rdflib", og, label), repeat, query_limit, label
        )
        og = None
    except Exception as exc:  # noqa: BLE001 - optional plugin
        print(f"[{label}] oxrdflib skipped: {exc}", file=sys.stderr)
    gc.collect()

    # --- pyoxigraph Store (what graph.rdf.query uses)
    def ox_load() -> ox.Store:
        store = ox.Store()
        store.load(ttl, format=ox.RdfFormat.TURTLE)
        return store

    t_load, store = timed(ox_load, repeat)
    t_write, _ = timed(
        lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()), repeat
    )
    rows["pyoxigraph"] = {
        "triples": len(store),
        "load": t_load,
        "write": t_write,
        "sorted_write": None,
    }
    rows["pyoxigraph"]["queries"] = run_all(
        QueryStore("oxigraph", store, label), repeat, query_limit, label
    )
    store = None
    gc.collect()
    check_same_answers(label, rows)
    return rows


def run_all(store: QueryStore, repeat: int, limit: float, label: str) -> dict[str, tuple]:
    out = {}
    for q in ready_made():
        try:
            results = [run_query(q.name, store, timeout=limit) for _ in range(repeat)]
            seconds = statistics.median(r.engine_seconds for r in results)
            out[q.name] = (seconds, results[-1].rows)
        except QueryTimeout:
            out[q.name] = (None, None)
        shown = fmt(out[q.name][0]) if out[q.name][0] is not None else f">{limit:g}"
        print(
            f"[{label}] {store.engine}/{type(store.store).__name__} {q.name}: {shown} s",
            file=sys.stderr,
            flush=True,
        )
    return out


def check_same_answers(label: str, rows: dict[str, dict]) -> None:
    for q in ready_made():
        answers = {
            store: figures["queries"][q.name][1]
            for store, figures in rows.items()
            if figures["queries"][q.name][1] is not None
        }
        distinct = {repr(a) for a in answers.values()}
        if len(distinct) > 1:
            print(
                f"[{label}] WARNING: stores disagree on {q.name}: "
                f"{ {s: len(a) for s, a in answers.items()} }",
                file=sys.stderr,
            )


def fork_overhead(ttl_path: Path, repeat: int) -> tuple[float, float]:
    store = open_store(ttl_path)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    inproc, _ = timed(lambda: run_query(query, store, timeout=None), repeat)
    forked, _ = timed(lambda: run_query(query, store, timeout=30), repeat)
    return inproc, forked


def table(results: dict[str, dict[str, dict]], limit: float) -> str:
    stores = ["rdflib", "oxrdflib", "pyoxigraph"]
    head = ["operation"]
    for label, rows in results.items():
        for store in stores:
            if store in rows:
                head.append(f"{label}: {store}")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]

    def line(name: str, get: Callable[[dict], float | None]) -> None:
        cells = [name]
        for rows in results.values():
            for store in stores:
                if store in rows:
                    value = get(rows[store])
                    cells.append(fmt(value) if value is not None else "–")
        lines.append("| " + " | ".join(cells) + " |")

    counts = ["triples"] + [
        f"{rows[s]['triples']:,}" for rows in results.values() for s in stores if s in rows
    ]
    lines.append("| " + " | ".join(counts) + " |")
    line("Turtle parse (load)", lambda r: r["load"])
    line("Turtle write (store's own)", lambda r: r["write"])
    line("Turtle write, sorted (graph.rdf.build.serialize_turtle)", lambda r: r["sorted_write"])
    for q in ready_made():
        cells = [f"query `{q.name}`"]
        for rows in results.values():
            for store in stores:
                if store in rows:
                    seconds, answer = rows[store]["queries"][q.name]
                    cells.append(fmt(seconds) if answer is not None else f">{limit:g}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--triples", type=int, default=1_000_000, help="synthetic graph size (0: skip)"
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per figure on the bundled graph"
    )
    parser.add_argument(
        "--query-limit", type=float, default=300.0, help="seconds before a query is stopped"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/yuegang-bench"))
    args = parser.parse_args()

    args.workdir.mkdir(parents=True, exist_ok=True)
    g = bundled_graph()
    bundled_ttl = args.workdir / "bundled.ttl"
    bundled_ttl.write_bytes(serialize_turtle(g))
    results = {"bundled": bench_graph("bundled", bundled_ttl, args.repeat, args.query_limit)}
    inproc, forked = fork_overhead(bundled_ttl, max(args.repeat, 20))

    if args.triples:
        nt = synthetic_nt(serialize_nt(g), args.triples)
        store = ox.Store()
        store.load(nt, format=ox.RdfFormat.N_TRIPLES)
        big_ttl = args.workdir / "synthetic.ttl"
        store.dump(str(big_ttl), format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph())
        label = f"{len(store) / 1e6:.2g}M".replace("1M", "1M")
        del store, nt
        gc.collect()
        results[label] = bench_graph(label, big_ttl, 1, args.query_limit)

    print(f"\nSeconds; bundled graph: median of {args.repeat} runs; synthetic graph: one run.")
    print(table(results, args.query_limit))
    print(
        f"\nTime-limited run overhead (bundled graph, pyoxigraph, COUNT(*), median of "
        f"{max(args.repeat, 20)}): in-process {fmt(inproc)} s, forked child {fmt(forked)} s "
        f"(+{(forked - inproc) * 1000:.0f} ms)."
    )


if __name__ == "__main__":
    main()
