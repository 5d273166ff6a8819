"""A pool of killable query workers: the time limit of the SPARQL endpoint.

Each worker is a separate process (:mod:`graph.endpoint.worker`) with the store open read-only.
:meth:`WorkerPool.run` hands a query to an idle worker and waits at most the time limit; when
the limit passes the worker is killed (that is what actually stops the query) and a fresh one
is started in the background, while the other workers go on serving other clients.

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

__all__ = ["Answer", "WorkerPool"]

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

    def __init__(self, store_dir: str, start_timeout: float):
        parent, child = socket.socketpair()
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_PARENT, env.get("PYTHONPATH")]))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "graph.endpoint.worker", store_dir, str(child.fileno())],
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
            json.loads(read_frame(self.sock))
        except (OSError, EOFError, ValueError) as exc:
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


class WorkerPool:
    """*size* worker processes serving queries on the read-only store at *store_dir*."""

    def __init__(self, store_dir: str | Path, size: int = 2, start_timeout: float = 60.0):
        if size < 1:
            raise ValueError(f"a worker pool needs at least one worker, got {size}")
        self.store_dir = str(store_dir)
        self.size = size
        self.start_timeout = start_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.stopped_queries = 0
        starting = [_Worker(self.store_dir, start_timeout) for _ in range(size)]
        try:
            for worker in starting:
                self._add(worker.wait_ready())
        except RuntimeError:
            for worker in starting:
                worker.kill()
            raise

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

        def start() -> None:
            for attempt in range(3):
                try:
                    self._add(_Worker(self.store_dir, self.start_timeout).wait_ready())
                    return
                except RuntimeError as exc:
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
            self._replace(worker)
            return Answer(500, error=f"query worker failed ({exc}); it has been restarted")
        self._idle.put(worker)
        if header.get("status") != 200:
            return Answer(int(header["status"]), error=header.get("error", "query failed"))
        return Answer(200, media_type=header["media_type"], body=body)

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
