"""Python's cyclic garbage collector paused while a large, acyclic result is built.

Reading a 50,000-item store, projecting it, copying the network and writing its exports each
allocate hundreds of thousands of small lists, dicts and tuples that live until the step ends;
with the collector on, every few hundred allocations it rescans all of them (about half the CPU
time of reading the store went to that). These steps make no reference cycles worth
collecting, so the collector waits until they end.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["gc_paused", "no_gc"]

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def gc_paused() -> Iterator[None]:
    """The collector off inside the block, and back as it was after (nesting is fine)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def no_gc(fn: F) -> F:
    """*fn* run with the collector paused (:func:`gc_paused`)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]
