"""A pool of killable query workers: the time limit of the SPARQL endpoint.

Each worker is a separate process (:mod:`graph.endpoint.worker`) with the store open read-only.
:meth:`WorkerPool.run` hands a query to an idle worker and waits at most the time limit; when
the limit passes the worker is killed (that is what actually stops the query) and a fresh one
is started in the background, while the other workers go on serving other clients. A spare
worker is kept started, so a killed worker is replaced at once, not after a process start.

Each worker's data memory is capped (``memory_mb``): a query that needs more makes the worker
fail; it is replaced and the client told why (503). :class:`Admission` decides which request
gets the next free worker: a client (an IP address) runs at most ``per_client`` queries at once,
waits in a bounded queue with a deadline, and among the waiting requests the client with the
fewest queries running goes first — so sixteen slow clients cannot hold every worker.

>>> pool = WorkerPool(store_dir, size=2)                                 # doctest: +SKIP
>>> pool.run({"query": "ASK {}", "accept": None, "max_bytes": 1000}, 5.0)  # doctest: +SKIP
Answer(status=200, media_type='application/sparql-results+json', body=b'{"head":{},"boolean":false}', error=None)
"""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.endpoint.worker import read_frame, write_frame

__all__ = ["Admission", "Answer", "WorkerPool"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


@dataclass(frozen=True)
class Answer:
    """What a worker said: HTTP status, media type and body, or an error message."""

    status: int
    media_type: str | None = None
    body: bytes = b""
    error: str | None = None


class _Worker:
    """One worker process and the parent's end of its socket."""

    def __init__(self, store_dir: str, start_timeout: float, memory_mb: int | None = None):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["RUST_BACKTRACE"] = "0"  # an allocation failure is one line, not a page
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_PARENT, env.get("PYTHONPATH")]))
        args = [sys.executable, "-m", "graph.endpoint.worker", store_dir, str(child.fileno())]
        if memory_mb:
            args.append(str(int(memory_mb)))
        self.network = "unknown"
        try:
            self.process = subprocess.Popen(
                args,
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=env,
            )
        finally:
            child.close()
        self.sock = parent
        self.store_dir = store_dir
        self.start_timeout = start_timeout

    def wait_ready(self) -> _Worker:
        """Wait for the worker's first frame (store opened, parser loaded); return self."""
        self.sock.settimeout(self.start_timeout)
        try:
            self.network = json.loads(read_frame(self.sock)).get("network", "unknown")
        except (OSError, EOFError, ValueError, AttributeError) as exc:
            self.kill()
            raise RuntimeError(
                f"query worker did not start on the store {self.store_dir}: {exc}"
            ) from exc
        return self

    def kill(self) -> None:
        """Stop the process now (SIGKILL: a running query gets no chance to finish)."""
        try:
            self.process.kill()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.sock.close()


def _exit_code(worker: _Worker) -> int | None:
    """The worker's exit code once it is gone (None if it still runs after a short wait)."""
    try:
        return worker.process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        return None


class Admission:
    """Who gets the next free worker: per-client and total limits, a bounded, fair queue.

    *total*: queries running at once (the pool size); *per_client*: queries one client runs at
    once; *waiting* / *client_waiting*: requests allowed to wait (over that: 503 / 429 at once).
    A waiting request is admitted when a slot is free, its client is under *per_client*, and no
    admissible request has a better claim: fewer queries of its client running, then earlier.

    >>> gate = Admission(total=1, per_client=1)
    >>> gate.acquire("a", 1.0), gate.acquire("a", 0.05)
    (None, (503, 'the server is busy: no query worker became free within 0.05 s; try again'))
    >>> gate.release("a")
    """

    def __init__(self, total: int, per_client: int = 1, waiting: int = 64, client_waiting: int = 8):
        self.total = total
        self.per_client = per_client
        self.waiting = waiting
        self.client_waiting = client_waiting
        self._cond = threading.Condition()
        self._running: dict[str, int] = {}
        self._queue: list[tuple[int, str]] = []
        self._seq = 0

    def acquire(self, client: str, timeout: float) -> tuple[int, str] | None:
        """Wait for a slot; None when admitted (call :meth:`release`), else (status, reason)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if len(self._queue) >= self.waiting:
                return 503, "the server is busy: too many queries waiting; try again in a moment"
            mine = sum(1 for _, who in self._queue if who == client)
            if mine >= self.client_waiting:
                return 429, (
                    f"too many queries from {client} at once ({self.per_client} running, "
                    f"{mine} waiting); wait for an answer before sending more"
                )
            self._seq += 1
            ticket = (self._seq, client)
            self._queue.append(ticket)
            try:
                while not self._admissible(ticket):
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return 503, (
                            "the server is busy: no query worker became free within "
                            f"{timeout:g} s; try again"
                        )
                    self._cond.wait(left)
            finally:
                self._queue.remove(ticket)
                self._cond.notify_all()
            self._running[client] = self._running.get(client, 0) + 1
            return None

    def _admissible(self, ticket: tuple[int, str]) -> bool:
        if sum(self._running.values()) >= self.total:
            return False
        candidates = [t for t in self._queue if self._running.get(t[1], 0) < self.per_client]
        if ticket not in candidates:
            return False
        return min(candidates, key=lambda t: (self._running.get(t[1], 0), t[0])) == ticket

    def release(self, client: str) -> None:
        """Give back the slot taken by an admitted request of *client*."""
        with self._cond:
            left = self._running.get(client, 0) - 1
            if left > 0:
                self._running[client] = left
            else:
                self._running.pop(client, None)
            self._cond.notify_all()


class WorkerPool:
    """*size* worker processes serving queries on the read-only store at *store_dir*."""

    def __init__(
        self,
        store_dir: str | Path,
        size: int = 2,
        start_timeout: float = 60.0,
        memory_mb: int | None = None,
    ):
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, got {size}")
        self.store_dir = str(store_dir)
        self.size = size
        self.start_timeout = start_timeout
        self.memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spares: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.stopped_queries = 0
        self.memory_failures = 0
        starting = [self._start() for _ in range(size + 1)]
        try:
            ready = [worker.wait_ready() for worker in starting]
        except RuntimeError:
            for worker in starting:
                worker.kill()
            raise
        self.network = ready[0].network
        for worker in ready[:size]:
            self._add(worker)
        self._add_spare(ready[size])

    def _start(self) -> _Worker:
        return _Worker(self.store_dir, self.start_timeout, self.memory_mb)

    def _add_spare(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._spares.put(worker)

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if self._closed:
            return

        try:  # the spare takes over now; a new spare starts in the background
            self._idle.put(self._spares.get_nowait())
            add = self._add_spare
        except queue.Empty:
            add = self._add

        def start() -> None:
            for attempt in range(3):
                if self._closed:
                    return
                try:
                    add(self._start().wait_ready())
                    return
                except RuntimeError as exc:
                    if self._closed:
                        return
                    print(f"yuegang serve: {exc} (attempt {attempt + 1})", file=sys.stderr)
                    time.sleep(1)

        threading.Thread(target=start, name="yuegang-worker-start", daemon=True).start()

    def run(self, request: dict[str, Any], timeout: float, queue_timeout: float = 30.0) -> Answer:
        """Run *request* on an idle worker; stop it after *timeout* seconds of work.

        Waits up to *queue_timeout* seconds for a free worker (503 after that).
        """
        try:
            worker = self._idle.get(timeout=queue_timeout)
        except queue.Empty:
            return Answer(503, error="all query workers are busy; try again in a few seconds")
        deadline = time.monotonic() + timeout
        try:
            worker.sock.settimeout(timeout)
            write_frame(worker.sock, json.dumps(request).encode())
            worker.sock.settimeout(max(0.01, deadline - time.monotonic()))
            header = json.loads(read_frame(worker.sock))
            worker.sock.settimeout(max(5.0, deadline - time.monotonic()))
            body = read_frame(worker.sock)
        except TimeoutError:
            self.stopped_queries += 1
            self._replace(worker)
            return Answer(
                503,
                error=(
                    f"query stopped: it ran longer than the time limit of {timeout:g} s "
                    "(make it more selective, add a LIMIT, or raise --timeout)"
                ),
            )
        except (OSError, EOFError, ValueError) as exc:
            code = _exit_code(worker)
            self._replace(worker)
            if code is not None and code != 0:  # killed by the allocator (abort) or the kernel
                self.memory_failures += 1
                return Answer(503, error=self._memory_message())
            return Answer(500, error=f"query worker failed ({exc}); it has been restarted")
        if header.get("status") == 507:
            self.memory_failures += 1
            self._replace(worker)
            return Answer(503, error=self._memory_message())
        self._idle.put(worker)
        if header.get("status") != 200:
            return Answer(int(header["status"]), error=header.get("error", "query failed"))
        return Answer(200, media_type=header["media_type"], body=body)

    def _memory_message(self) -> str:
        return (
            f"query stopped: it needed more memory than the limit of {self.memory_mb} MB per "
            "query worker (the worker was replaced); make it more selective or raise --memory-limit"
        )

    def close(self) -> None:
        """Kill every worker; later :meth:`run` calls wait and then answer 503."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
