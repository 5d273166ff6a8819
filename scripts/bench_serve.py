"""Benchmark `yuegang serve`: queries/second and latency percentiles of the ready-made queries.

Runs the endpoint on a free loopback port (only loopback traffic), then for 1, 4 and 16
concurrent clients sends the ready-made queries of :mod:`graph.rdf.query` round-robin over
keep-alive connections, each client for a bounded number of requests and a bounded time.
Graphs: the bundled notice, and a synthetic graph of about one million triples made by copying
the notice's document triples under new document IRIs (agencies, places, themes and the
ontology shared), so the queries stay meaningful and the answers grow with the corpus.

With ``--adversarial`` it measures fairness instead: ``yuegang serve`` (its own process, the
default limits) on the bundled graph while 16 slow clients (one address, 127.0.0.2) send
cross joins that run into the time limit and 1,000 trickling connections (spread over ten
addresses 127.0.1.1–10, so the server must hold them all) send a request one byte at a time;
a fast client (127.0.0.1) sends ``ASK`` and ``COUNT`` queries one after the other and reports
p50/p99 latency and its HTTP statuses. Every loop is bounded by ``--seconds``.

Usage::

    python3 scripts/bench_serve.py                    # both graphs, 1/4/16 clients
    python3 scripts/bench_serve.py --graphs bundled --seconds 5
    python3 scripts/bench_serve.py --triples 200000 --json bench.json
    python3 scripts/bench_serve.py --adversarial --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse, serialize

from graph.endpoint.server import ENDPOINT_PATH, serve_in_thread
from graph.rdf.iris import BASE, document_slug


def bundled_turtle(path: Path) -> dict:
    """Write the bundled notice's graph to *path*; return its extraction's document dict."""
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph, serialize_turtle

    extraction = extract_file(None)
    path.write_bytes(serialize_turtle(build_graph([extraction])))
    return extraction["document"]


def synthetic_graph(source: Path, slug: str, target: int, out: Path) -> int:
    """Copy the document triples of *source* under ``doc/synth-NNNN`` until *target* triples."""
    prefix = f"{BASE}doc/{slug}"
    shared, per_doc = [], []
    for quad in parse(source.read_bytes(), format=RdfFormat.TURTLE, base_iri=BASE):
        t = quad.triple
        terms = (t.subject, t.object)
        if any(isinstance(x, NamedNode) and x.value.startswith(prefix) for x in terms):
            per_doc.append(t)
        else:
            shared.append(t)
    copies = max(1, -(-(target - len(shared)) // max(1, len(per_doc))))

    def rename(term, k: int):
        if isinstance(term, NamedNode) and term.value.startswith(prefix):
            return NamedNode(f"{BASE}doc/synth-{k:04d}" + term.value[len(prefix) :])
        if isinstance(term, Literal) and term.value.startswith("粤府函〔2017〕38号"):
            return Literal(f"合成〔{k:04d}〕号", language=term.language)
        return term

    def triples():
        yield from shared
        for k in range(copies):
            for t in per_doc:
                yield Triple(rename(t.subject, k), t.predicate, rename(t.object, k))

    with out.open("wb") as handle:
        serialize(triples(), handle, format=RdfFormat.N_TRIPLES)
    return len(shared) + copies * len(per_doc)


def percentile(values: list[float], q: float) -> float:
    """The *q*-th percentile (0–100) of *values*, nearest-rank."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def run_level(server, queries: list[str], clients: int, per_client: int, seconds: float) -> dict:
    """*clients* threads, each sending up to *per_client* queries or for *seconds*."""
    host, port = server.server_address[:2]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=300)
        mine: list[float] = []
        codes: dict[int, int] = {}
        for i in range(per_client):
            if time.monotonic() > deadline:
                break
            body = urllib.parse.urlencode({"query": queries[(number + i) % len(queries)]})
            start = time.perf_counter()
            conn.request(
                "POST",
                ENDPOINT_PATH,
                body=body.encode(),
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json",
                },
            )
            response = conn.getresponse()
            response.read()
            mine.append(time.perf_counter() - start)
            codes[response.status] = codes.get(response.status, 0) + 1
        conn.close()
        with lock:
            latencies.extend(mine)
            for code, n in codes.items():
                statuses[code] = statuses.get(code, 0) + n

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {
        "clients": clients,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "qps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "statuses": statuses,
    }


def per_query(server, entries: list[dict], repeat: int, workers: int) -> list[dict]:
    """Single-client latency of each ready-made query: the first call (safety check not yet
    cached by that worker) and the median of *repeat* calls after one call per worker."""
    host, port = server.server_address[:2]
    rows = []
    conn = http.client.HTTPConnection(host, port, timeout=300)
    for entry in entries:
        times, status, size = [], None, 0
        for i in range(workers + repeat):
            if i == 1 and status != 200:
                break  # stopped at the time limit or refused: do not repeat it
            body = urllib.parse.urlencode({"query": entry["query"]}).encode()
            start = time.perf_counter()
            conn.request(
                "POST",
                ENDPOINT_PATH,
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            data = response.read()
            times.append(time.perf_counter() - start)
            status, size = response.status, len(data)
        warm = times[workers:] or times
        rows.append(
            {
                "query": entry["name"],
                "first_ms": round(times[0] * 1000, 1),
                "median_ms": round(statistics.median(warm) * 1000, 1),
                "status": status,
                "bytes": size,
            }
        )
    conn.close()
    return rows


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = [
    "ASK { ?s ?p ?o }",
    "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
    "SELECT (COUNT(?i) AS ?n) WHERE { ?i a yg:WorkItem }",
]


def _get(
    port: int, query: str, source: str, timeout: float = 60.0, errors: list | None = None
) -> int:
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        conn.request("GET", f"{ENDPOINT_PATH}?{urllib.parse.urlencode({'query': query})}")
        response = conn.getresponse()
        body = response.read()
        if errors is not None and response.status != 200 and len(errors) < 10:
            errors.append(f"HTTP {response.status}: {body[:200].decode('utf-8', 'replace')}")
        return response.status
    except OSError as exc:
        if errors is not None and len(errors) < 10:
            errors.append(f"no answer: {exc}")
        return 0  # connection refused or reset: counted as "no answer"
    finally:
        conn.close()


def _slow_clients(port: int, count: int, until: float, statuses: dict) -> list[threading.Thread]:
    lock = threading.Lock()

    def loop() -> None:
        while time.monotonic() < until:
            status = _get(port, SLOW, "127.0.0.2")
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                time.sleep(0.1)  # refused at once (429): ask again soon, not in a tight loop

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    return threads


def _trickle(port: int, count: int, sources: int, until: float, every: float, stats: dict) -> None:
    """Hold *count* connections that send a request one byte every *every* seconds; reopen
    each one the server closes (one selector thread, bounded by *until*)."""
    import selectors
    import socket

    request = b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + b"a" * 4000
    sel = selectors.DefaultSelector()
    conns: dict[socket.socket, int] = {}

    def open_one(k: int) -> None:
        sock = socket.socket()
        sock.setblocking(False)
        sock.bind((f"127.0.1.{k % sources + 1}", 0))
        try:
            sock.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        except OSError:
            sock.close()
            stats["open_errors"] += 1
            return
        conns[sock] = 0
        sel.register(sock, selectors.EVENT_READ, k)
        stats["opened"] += 1

    for k in range(count):
        open_one(k)
    next_tick = time.monotonic()
    while time.monotonic() < until:
        for key, _ in sel.select(timeout=0.05):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if data.startswith(b"HTTP/1.1 503"):
                stats["refused_503"] += 1
            sel.unregister(sock)
            conns.pop(sock, None)
            sock.close()
            stats["closed_by_server"] += 1
            open_one(key.data)
        if time.monotonic() >= next_tick:
            next_tick += every
            for sock, sent in list(conns.items()):
                if sent < len(request):
                    try:
                        sock.send(request[sent : sent + 1])
                        conns[sock] = sent + 1
                    except (BlockingIOError, OSError):
                        pass
        stats["peak_open"] = max(stats["peak_open"], len(conns))
    for sock in list(conns):
        sel.unregister(sock)
        sock.close()


def adversarial(args: argparse.Namespace, command=None) -> dict:
    """Fast-client latency while slow clients and trickling connections are active.

    *command(graph, port)* gives the server's argv (default: ``yuegang serve``).
    """
    import os
    import resource
    import socket
    import subprocess

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.trickle + 200
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))
    limits = resource.getrlimit(resource.RLIMIT_NOFILE)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        graph = Path(tmp) / "bundled.ttl"
        bundled_turtle(graph)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        root = str(Path(__file__).resolve().parents[1])
        env = {**os.environ, "PYTHONPATH": root}
        argv = (
            command(graph, port)
            if command is not None
            else [sys.executable, "-c", "from graph.cli import main; main()", "serve"]
            + ["--graph", str(graph), "--port", str(port), "--quiet"]
            + ["--workers", str(args.workers)]
        )
        server = subprocess.Popen(
            argv,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 120
            while _get(port, "ASK {}", "127.0.0.1", 5) != 200:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("yuegang serve did not start")
                time.sleep(0.5)
            until = time.monotonic() + args.seconds + 5
            slow: dict = {}
            trickle = dict(opened=0, closed_by_server=0, refused_503=0, open_errors=0, peak_open=0)
            threads = _slow_clients(port, args.slow, until, slow)
            tricker = threading.Thread(
                target=_trickle,
                args=(port, args.trickle, args.trickle_sources, until, args.trickle_every, trickle),
                daemon=True,
            )
            tricker.start()
            time.sleep(5)  # let the slow queries and the trickling connections build up
            latencies, statuses, fast_errors = [], {}, []
            stop = time.monotonic() + args.seconds
            k = 0
            while time.monotonic() < stop:
                start = time.perf_counter()
                status = _get(port, FAST[k % len(FAST)], "127.0.0.1", errors=fast_errors)
                latencies.append(time.perf_counter() - start)
                statuses[status] = statuses.get(status, 0) + 1
                k += 1
            for thread in [*threads, tricker]:
                thread.join(timeout=90)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "fast_requests": len(latencies),
        "fast_p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "fast_p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "fast_max_ms": round(max(latencies) * 1000, 1),
        "fast_statuses": {str(k): v for k, v in sorted(statuses.items())},
        "fast_errors": fast_errors,
        "slow_clients": args.slow,
        "slow_statuses": {str(k): v for k, v in sorted(slow.items())},
        "trickle": trickle,
        "nofile_limit": list(limits),
        "seconds": args.seconds,
        "workers": args.workers,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--graphs", nargs="+", default=["bundled", "synthetic"])
    parser.add_argument("--triples", type=int, default=1_000_000, help="synthetic graph size")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--per-client", type=int, default=200, help="max requests per client")
    parser.add_argument("--seconds", type=float, default=15.0, help="max seconds per level")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="server query time limit")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--exclude", nargs="*", default=[], help="ready-made queries left out of the client mix"
    )
    parser.add_argument("--adversarial", action="store_true", help="fairness under attack")
    parser.add_argument("--slow", type=int, default=16, help="slow clients (--adversarial)")
    parser.add_argument("--trickle", type=int, default=1000, help="trickling connections")
    parser.add_argument("--trickle-every", type=float, default=2.0, help="seconds per byte")
    parser.add_argument(
        "--trickle-sources", type=int, default=10, help="addresses the trickling comes from"
    )
    args = parser.parse_args(argv)
    if args.adversarial:
        figures = adversarial(args)
        print(json.dumps(figures, indent=1))
        ok = figures["fast_p99_ms"] < 1000 and all(
            not k.startswith("5") and k != "0" for k in figures["fast_statuses"]
        )
        print("target (p99 < 1 s, no 5xx for the fast client):", "met" if ok else "NOT met")
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
        return 0 if ok else 1

    from graph.endpoint.pages import example_queries

    entries = example_queries()  # the ready-made queries, default parameters written in
    queries = [e["query"] for e in entries if e["name"] not in args.exclude]
    report: dict = {
        "queries": [e["name"] for e in entries],
        "excluded_from_mix": args.exclude,
        "graphs": {},
    }
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        base = Path(tmp) / "bundled.ttl"
        document = bundled_turtle(base)
        files = {"bundled": base}
        if "synthetic" in args.graphs:
            start = time.perf_counter()
            out = Path(tmp) / "synthetic.nt"
            n = synthetic_graph(base, document_slug(document), args.triples, out)
            print(f"synthetic graph: {n} triples written in {time.perf_counter() - start:.1f} s")
            files["synthetic"] = out
        for name in args.graphs:
            start = time.perf_counter()
            with serve_in_thread(files[name], timeout=args.timeout, workers=args.workers) as server:
                load = time.perf_counter() - start
                print(f"\n== {name}: {server.store.triples} triples, server ready in {load:.1f} s")
                figures = {"triples": server.store.triples, "startup_s": round(load, 1)}
                figures["per_query"] = per_query(server, entries, 3, args.workers)
                for row in figures["per_query"]:
                    print(
                        f"  {row['query']:<32} first {row['first_ms']:>8} ms, then median "
                        f"{row['median_ms']:>8} ms  HTTP {row['status']}, {row['bytes']} bytes"
                    )
                figures["levels"] = []
                for clients in args.clients:
                    level = run_level(server, queries, clients, args.per_client, args.seconds)
                    figures["levels"].append(level)
                    print(
                        f"  {clients:>2} clients: {level['requests']:>5} queries in "
                        f"{level['seconds']:>5} s = {level['qps']:>7} q/s; latency p50 "
                        f"{level['p50_ms']} ms, p95 {level['p95_ms']} ms, p99 {level['p99_ms']} ms; "
                        f"HTTP {level['statuses']}"
                    )
                report["graphs"][name] = figures
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
