"""Figures drawn before, kept in the user cache folder by what they show.

matplotlib takes about 0.6 s to import and 1.5–2.5 s to draw the report's three figures in two
formats; a network drawn before needs none of it. A figure's key is the SHA-256 of everything
the drawing reads: the kind of figure and its parameters, the network's nodes and edges with
all their attributes in iteration order (which sets the drawing order), and a fingerprint of
the drawing code and its tools (this package's ``figures.py``, matplotlib's version and the
font list matplotlib chose its fonts from). The same key therefore gives the same bytes as a
fresh drawing, and any change to those draws afresh. ``YUEGANG_FIGURE_CACHE=0`` (or
``YUEGANG_CACHE=0``) switches the cache off; the files are ``figures/<key>.<format>`` in the
cache folder and may be deleted at any time.

>>> import networkx as nx
>>> a = figure_key("bar", nx.path_graph(3), {"by": "items"})
>>> a == figure_key("bar", nx.path_graph(3), {"by": "items"}), len(a)
(True, 64)
>>> a == figure_key("bar", nx.path_graph(3), {"by": "partners"})
False
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import networkx as nx

__all__ = ["enabled", "figure_key", "load", "save"]

#: Bump when what a key covers changes.
CACHE_VERSION = 1


def enabled() -> bool:
    """Whether figures are taken from / kept in the cache (neither ``YUEGANG_FIGURE_CACHE`` nor
    ``YUEGANG_CACHE`` is ``0``)."""
    from graph import _cache

    return _cache.enabled("YUEGANG_FIGURE_CACHE")


def figure_key(kind: str, G: nx.Graph, params: dict[str, Any]) -> str:
    """The cache key of figure *kind* of *G* drawn with *params* (hex SHA-256)."""
    described = {
        "version": CACHE_VERSION,
        "tools": _fingerprint(),
        "kind": kind,
        "params": params,
        "graph": G.graph,
        "nodes": [[v, d] for v, d in G.nodes(data=True)],
        "edges": [[u, v, d] for u, v, d in G.edges(data=True)],
    }
    text = json.dumps(described, ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(key: str, formats: tuple[str, ...]) -> dict[str, bytes] | None:
    """The cached files of *key* by format, or None unless every format is there."""
    folder = _folder()
    try:
        return {fmt: (folder / f"{key}.{fmt}").read_bytes() for fmt in formats}
    except OSError:
        return None


def save(key: str, paths: list[Path]) -> None:
    """Keep the drawn files *paths* under *key* (written whole, then renamed into place)."""
    folder = _folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path in paths:
            target = folder / f"{key}{path.suffix}"
            tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            tmp.write_bytes(path.read_bytes())
            tmp.replace(target)
    except OSError:
        pass  # a cache that cannot be written only costs time


def _folder() -> Path:
    from graph import _cache

    return _cache.folder("figures")


@lru_cache(maxsize=1)
def _fingerprint() -> list[str]:
    """What the drawing depends on besides its data: the code, matplotlib, the fonts known."""
    from graph import _cache

    mpl = _cache.tools("matplotlib")
    code = (Path(__file__).resolve().parent / "figures.py").read_bytes()
    return [mpl, hashlib.sha256(code).hexdigest(), *_font_lists()]


def _font_lists() -> list[str]:
    """Name, size and time of matplotlib's font list files (``fontlist-v*.json``): matplotlib
    picks fonts from that list and writes it anew when it rebuilds it."""
    base = os.environ.get("MPLCONFIGDIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "matplotlib",
    )
    found = []
    for path in sorted(Path(base).glob("fontlist-v*.json")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return found
