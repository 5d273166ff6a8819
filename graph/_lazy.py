"""Lazy re-exports for the stage packages, so ``import graph.cli`` stays cheap.

Each stage's ``__init__`` names its public API in ``__all__`` and maps every name to the
module that defines it; the module is imported on first use (PEP 562), so importing a
stage does not load rdflib, networkx or jieba until a name that needs them is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for *package*, whose *exports* map name → module."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
