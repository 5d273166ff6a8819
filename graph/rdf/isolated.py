"""Run untrusted work (parsing a graph file, a query over it) in a forked child process that has
no network, a memory limit and a time limit: what ``yuegang query``, ``yuegang serve`` (loading
the graph) and ``yuegang push`` (reading the file to send) share.

The child is cut off from the network (:func:`graph.rdf.sparql_safety.isolate_network`), its data
memory is capped (:func:`~graph.rdf.sparql_safety.limit_memory`), faulthandler is off and its
stderr silenced (a parser's abort message is reported by the parent, in one line). It answers
once, ``(status, payload)``, through a pipe; the parent waits at most *timeout* seconds.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

__all__ = ["ChildEnded", "ChildTimeout", "run_in_child"]


class ChildTimeout(Exception):
    """The child gave no answer within the time limit (it was killed)."""


class ChildEnded(Exception):
    """The child ended without an answer; ``exitcode`` says how (``-9``/``-6``: memory limit)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the child ended without an answer (exit code {exitcode})")
        self.exitcode = exitcode

    @property
    def out_of_memory(self) -> bool:
        """Killed at the memory limit: the allocator aborts (SIGABRT) or the kernel kills (SIGKILL)."""
        import signal

        return self.exitcode in (-signal.SIGABRT, -signal.SIGKILL)


def run_in_child(
    target: Callable[..., tuple[str, Any]],
    args: tuple[Any, ...],
    *,
    timeout: float | None,
    memory_mb: int | None,
    settle: float = 0.0,
) -> tuple[str, Any]:
    """Run ``target(*args)`` in an isolated forked child and return its ``(status, payload)``.

    *settle* seconds are left to a child that answered ``"ok"`` to finish by itself (to close a
    store it wrote) before it is killed. Raises :class:`ChildTimeout` or :class:`ChildEnded`.
    """
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, target, args, memory_mb), daemon=True)
    child.start()
    sender.close()
    status = "unanswered"
    try:
        if not receiver.poll(timeout):
            raise ChildTimeout()
        try:
            status, payload = receiver.recv()
        except EOFError:
            child.join(5)
            raise ChildEnded(child.exitcode) from None
    finally:
        child.join(settle if status == "ok" else 0)
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    return status, payload


def _child(sender: Any, target: Callable[..., tuple[str, Any]], args: tuple, memory_mb) -> None:
    import faulthandler
    import os

    from graph.rdf.sparql_safety import isolate_network, limit_memory

    faulthandler.disable()
    isolate_network()
    limit_memory(memory_mb)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    try:
        sender.send(target(*args))
    finally:
        sender.close()
