"""Results kept in the user cache folder by the SHA-256 of everything they depend on.

A build of a notice built before repeats work whose result is a function of its inputs: the
SHACL check of the same triples, the layout of the same network. Such a result is kept under
the hex SHA-256 of its inputs and of the code and tools that made it, so the same key always
means the same bytes as a fresh computation, and any change computes afresh. Entries are
written whole and renamed into place; one that cannot be read is computed again; the folder
may be deleted at any time.

``YUEGANG_CACHE=0`` switches every cache off; each kind has its own switch too
(``YUEGANG_SHACL_CACHE``, ``YUEGANG_LAYOUT_CACHE``, …).

>>> key("a", b"b") == key("a", b"b") != key("ab", b"")
True
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["enabled", "folder", "key", "remembered", "root", "tools"]


def enabled(variable: str) -> bool:
    """Whether the cache switched by *variable* is on (neither it nor ``YUEGANG_CACHE`` is 0)."""
    return all(os.environ.get(v, "1").strip() != "0" for v in ("YUEGANG_CACHE", variable))


def root() -> Path:
    """The user cache folder of yuegang-graph (``~/.cache/yuegang-graph`` on Linux; not
    created)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("yuegang-graph"))


def folder(kind: str) -> Path:
    """The cache folder of *kind* (not created)."""
    return root() / kind


def key(*parts: bytes | str) -> str:
    """Hex SHA-256 of *parts*, each length-prefixed (so no two lists of parts collide)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


@cache
def tools(*packages: str) -> str:
    """``name version`` of each installed package (``?`` when missing)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in packages:
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} ?")
    return ", ".join(found)


def remembered(
    kind: str,
    variable: str,
    entry: str,
    compute: Callable[[], Any],
    valid: Callable[[Any], bool] = lambda value: True,
) -> Any:
    """``compute()``, a JSON value, kept as ``<kind>/<entry>.json`` while *variable* allows.

    The value is returned as read back from JSON (lists for tuples) whether it was kept before
    or not, so that a caller sees the same either way. A kept value that is not *valid* (a
    damaged or edited entry) is computed again."""
    if not enabled(variable):
        return json.loads(json.dumps(compute()))
    path = folder(kind) / f"{entry}.json"
    try:
        kept = json.loads(path.read_bytes())
        if valid(kept):
            return kept
    except (OSError, ValueError):
        pass  # not made before, or a damaged entry
    data = json.dumps(compute(), ensure_ascii=False).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return json.loads(data)
