"""Forked worker processes for :func:`graph.pipeline.build_all`: one call each, run on another core.

A build's outputs fall into groups that need different libraries and none of each other's
results: the rdflib group (JSON-LD, SHACL check, ontology page) and the report group
(matplotlib figures). Each group runs in a worker forked at the start of the build, which
imports its libraries and reads its data files while the main process extracts the notices,
then waits for its one call. On a 2-core machine the build then takes about the time of its
longest group rather than the sum of all of them.

Results and exceptions come back pickled through a pipe; warnings raised in a worker are raised
again in the caller. Outside Linux, or with ``YUEGANG_WORKERS=0``, a worker runs its call in the
calling process when its result is asked for (same outputs, one core).

>>> w = Worker(warm=None)
>>> w.submit(divmod, 7, 2)
>>> w.result()
(3, 1)
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import threading
import traceback
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["Worker", "WorkerEnded", "may_fork", "workers_enabled"]


class WorkerEnded(RuntimeError):
    """A worker process ended without answering (killed, or crashed in C code)."""


def workers_enabled() -> bool:
    """Whether builds fork workers: on Linux (macOS system libraries are not safe to fork
    with, and Windows cannot fork), unless ``YUEGANG_WORKERS`` is ``0``."""
    if os.environ.get("YUEGANG_WORKERS", "1").strip() == "0":
        return False
    return sys.platform.startswith("linux")


def may_fork() -> bool:
    """Whether this process may fork a worker: workers on (:func:`workers_enabled`) and this
    process not itself a daemonic worker (those may not have children)."""
    import multiprocessing

    return workers_enabled() and not multiprocessing.current_process().daemon


class Worker:
    """One function call run in a forked process that first runs *warm* (imports, data files).

    Use :meth:`submit` once, then :meth:`result`; :meth:`close` ends the process early (it is
    also ended when the caller exits)."""

    def __init__(
        self,
        warm: Callable[[], Any] | None,
        *,
        fork: bool | None = None,
        call: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
    ) -> None:
        self._warm = warm
        self._call: tuple[Callable[..., Any], tuple[Any, ...]] | None = call
        self._sender: threading.Thread | None = None
        self._answered = False
        self._process = None
        if fork if fork is not None else workers_enabled():
            ctx = multiprocessing.get_context("fork")
            self._inbox, inbox_end = ctx.Pipe(duplex=False)
            outbox_end, self._outbox = ctx.Pipe(duplex=False)
            self._process = ctx.Process(
                target=_serve, args=(warm, inbox_end, outbox_end, call), daemon=True
            )
            self._process.start()
            outbox_end.close()
            inbox_end.close()

    @classmethod
    def started(cls, fn: Callable[..., Any], *args: Any, fork: bool | None = None) -> Worker:
        """A worker that runs ``fn(*args)`` from the start: the call is in the forked process's
        memory, so neither *fn* nor *args* need to pickle (only the result does)."""
        return cls(None, fork=fork, call=(fn, args))

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        """Start ``fn(*args)`` in the worker (*fn* and *args* must pickle when forked).

        Returns at once: the call is sent by a thread, since a pipe takes only 64 KiB until
        the worker, maybe still warming up, reads it."""
        if self._process is None:
            self._call = (fn, args)
        else:
            self._sender = threading.Thread(target=self._send, args=((fn, args),), daemon=True)
            self._sender.start()

    def _send(self, message: tuple) -> None:
        try:
            self._outbox.send(message)
        except (OSError, ValueError):
            pass  # the worker ended (or was closed): result() says so

    def result(self) -> Any:
        """Wait for the call's value (or raise its exception); its warnings are raised here."""
        if self._process is None:
            if self._call is None:
                raise RuntimeError("nothing was submitted")
            if self._warm is not None:
                self._warm()
            fn, args = self._call
            return fn(*args)
        try:
            if self._sender is not None:
                self._sender.join()
            status, value, caught = self._inbox.recv()
            self._answered = True
        except EOFError:
            self._process.join(5)
            raise WorkerEnded(
                f"a build worker ended without an answer (exit code {self._process.exitcode})"
            ) from None
        finally:
            self.close()
        for category, message in caught:
            warnings.warn(message, category, stacklevel=2)
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """End the worker process (at once, unless it has answered and is ending by itself)
        and release its pipes."""
        if self._process is None:
            return
        if self._answered:
            self._process.join(5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._inbox.close()
        self._outbox.close()
        self._process = None


def _serve(
    warm: Callable[[], Any] | None,
    send_end: Any,
    receive_end: Any,
    preset: tuple[Callable[..., Any], tuple[Any, ...]] | None = None,
) -> None:
    """The worker's body: warm up, take one call (or run *preset*), send back (status, value,
    warnings)."""
    warm_error: BaseException | None = None
    try:
        if warm is not None:
            warm()
    except KeyboardInterrupt:
        return
    except BaseException as exc:  # noqa: BLE001 - reported with the call's answer
        warm_error = exc
    try:
        fn, args = preset if preset is not None else receive_end.recv()
    except (EOFError, KeyboardInterrupt):
        return
    with warnings.catch_warnings(record=True) as caught:
        try:
            if warm_error is not None:
                raise warm_error
            status, value = "ok", fn(*args)
        except KeyboardInterrupt:
            return
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller
            status, value = "error", exc
    raised = [(w.category, str(w.message)) for w in caught]
    if status == "error" and not _round_trips(value):
        text = "".join(traceback.format_exception(value))
        value = RuntimeError(f"in a build worker:\n{text}")
    try:
        send_end.send((status, value, raised))
    except Exception:  # noqa: BLE001 - a value that does not pickle
        send_end.send(("error", RuntimeError(f"in a build worker: {value!r}"), raised))


def _round_trips(exc: BaseException) -> bool:
    """Whether *exc* comes out of pickling as the same type with the same message."""
    try:
        again = pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure means: send a description instead
        return False
    return type(again) is type(exc) and str(again) == str(exc)
