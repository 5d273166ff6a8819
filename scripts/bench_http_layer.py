"""The HTTP-layer decision of ``yuegang serve``: the standard library vs uvicorn, measured.

Runs ``scripts/bench_serve.py --adversarial`` (16 slow clients, 1,000 trickling connections,
a fast client's latency; loopback only, bounded by ``--seconds``) twice on the bundled graph:

- ``stdlib``: ``yuegang serve`` as shipped (ThreadingHTTPServer + watchdog + connection caps);
- ``uvicorn``: the same worker pool and fair admission behind a minimal ASGI app served by
  uvicorn (h11, ``limit_concurrency`` = the connection cap, ``timeout_keep_alive`` 5 s), its
  blocking pool calls on a 64-thread executor. uvicorn is not a dependency of the project:
  install it to run this comparison (``pip install uvicorn``).

Usage::

    python3 scripts/bench_http_layer.py --seconds 30
    python3 scripts/bench_http_layer.py --seconds 20 --trickle 2100 --trickle-sources 1
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_serve  # noqa: E402


def serve_uvicorn(graph: str, port: int, workers: int) -> None:
    """The endpoint's /sparql GET behind uvicorn (the comparison server; not shipped)."""
    import uvicorn

    from graph.endpoint.pool import Admission, WorkerPool
    from graph.endpoint.server import Limits, prepare_store

    limits = Limits(workers=workers)
    store = prepare_store(graph)
    pool = WorkerPool(store.path, size=workers, memory_mb=limits.memory_mb)
    gate = Admission(workers, limits.per_client)
    executor = ThreadPoolExecutor(max_workers=64)

    def run(query: str, client: str) -> tuple[int, bytes]:
        refused = gate.acquire(client, limits.queue_timeout)
        if refused is not None:
            return refused[0], refused[1].encode()
        try:
            request = {"query": query, "accept": None, "format": "json", "max_bytes": 10**7}
            answer = pool.run(request, limits.timeout, limits.queue_timeout)
        finally:
            gate.release(client)
        return answer.status, answer.body or (answer.error or "").encode()

    async def app(scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        query = parse_qs(scope["query_string"].decode()).get("query", ["ASK {}"])[0]
        loop = asyncio.get_running_loop()
        status, body = await loop.run_in_executor(executor, run, query, scope["client"][0])
        headers = [(b"content-type", b"application/sparql-results+json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    try:
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=port,
            log_level="error",
            limit_concurrency=limits.max_connections,
            timeout_keep_alive=5,
        )
    finally:
        pool.close()
        store.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--layers", nargs="+", default=["stdlib", "uvicorn"])
    parser.add_argument("--trickle", type=int, default=1000)
    parser.add_argument("--trickle-sources", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--serve-uvicorn", nargs=2, metavar=("GRAPH", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.serve_uvicorn:
        serve_uvicorn(args.serve_uvicorn[0], int(args.serve_uvicorn[1]), args.workers)
        return 0
    bench_args = bench_serve.main.__globals__["argparse"].Namespace(
        seconds=args.seconds,
        workers=args.workers,
        slow=16,
        trickle=args.trickle,
        trickle_every=2.0,
        trickle_sources=args.trickle_sources,
    )
    results = {}
    for layer in args.layers:
        command = None
        if layer == "uvicorn":

            def command(graph, port):
                return [sys.executable, __file__, "--serve-uvicorn", str(graph), str(port)]

        results[layer] = bench_serve.adversarial(bench_args, command)
        print(layer, json.dumps(results[layer], indent=1), flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
