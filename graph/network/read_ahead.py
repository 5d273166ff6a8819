"""SPARQL results written ahead, on a second thread, while this one reads the last.

Reading a large corpus from a ``pyoxigraph.Store`` alternates two kinds of work: Oxigraph
evaluating a query and writing its result as SPARQL TSV (Rust, which lets go of the GIL), and
Python turning that text into records. :class:`ReadAhead` runs the queries of a known plan on
helper threads, a few ahead of the reader, so the two overlap on two cores; a query that is not
in the plan, or not started yet, is simply run by the caller. The results are the bytes the
caller would have got itself.

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x")))
>>> query = "SELECT ?s ?o WHERE { ?s <http://e/p> ?o }"
>>> with ReadAhead(store, [query]) as ahead:
...     ahead.result(query).decode().splitlines()
['?s\\t?o', '<http://e/a>\\t"x"']
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pyoxigraph as ox

__all__ = ["AHEAD", "ReadAhead", "tsv_bytes"]

#: queries in flight at most (each result is held until read: a few MB each at 50,000 items)
AHEAD = 2


def tsv_bytes(store: ox.Store, query: str) -> bytes:
    """The result of a SELECT *query* on *store*, written as SPARQL TSV by Oxigraph."""
    return store.query(query).serialize(format=ox.QueryResultsFormat.TSV) or b""


class ReadAhead:
    """Runs the SELECT queries of *plan* on *store* on *workers* threads, started in plan order,
    at most *ahead* of them waiting to be asked for by :meth:`result` (in any order); a context
    manager (leaving it drops what was not asked for)."""

    def __init__(
        self, store: ox.Store, plan: Iterable[str], ahead: int = AHEAD, workers: int = 1
    ) -> None:
        self.store = store
        self.plan = list(plan)
        self.ahead = max(1, ahead)
        self.asked: list[str] = []  # every query asked for, in order (for tests)
        self.ran_here: list[str] = []  # the queries run by the caller (not written ahead)
        self._next = 0
        self._running: dict[str, Future[bytes]] = {}
        self._pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="yuegang-read-ahead")
        self._fill()

    def _fill(self) -> None:
        while self._next < len(self.plan) and len(self._running) < self.ahead:
            query = self.plan[self._next]
            self._next += 1
            if query not in self._running and query not in self.asked:
                self._running[query] = self._pool.submit(tsv_bytes, self.store, query)

    def result(self, query: str) -> bytes:
        """The TSV result of *query*: written ahead if it is in the plan, else now."""
        self.asked.append(query)
        running = self._running.pop(query, None)
        self._fill()
        if running is None:
            self.ran_here.append(query)
            return tsv_bytes(self.store, query)
        return running.result()

    def close(self) -> None:
        """Drop the results nobody asked for and stop the thread."""
        for running in self._running.values():
            running.cancel()
        self._running.clear()
        self._pool.shutdown(wait=True)

    def __enter__(self) -> ReadAhead:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
