"""Make the places view's base map from the province GeoJSON that Apache ECharts 4.9.0 ships.

Reads ``map/json/province/{guangdong,xianggang,aomen}.json`` from the npm tarball
``echarts-4.9.0.tgz`` (Apache-2.0; fetch it with ``npm pack echarts@4.9.0``), decodes ECharts'
compressed coordinates, simplifies them (Douglas-Peucker, endpoints kept), drops islets, rounds to
1/1000 degree and writes ``graph/views/templates/vendor/basemap.json``:

``regions``: one entry per Guangdong prefecture-level city and one for each SAR (districts
merged by drawing them together): ``{"name", "group": "guangdong"|"hong-kong"|"macao",
"rings": [[lon*1000, lat*1000, dlon, dlat, ...], ...]}`` (first point, then
differences); ``lines``: ``{"outline": [...], "inner": [...]}``,
polylines of the coast and outer borders of each group (segments that only one of its polygons
has) and of the city borders inside Guangdong (segments two polygons share).

    python3 scripts/make_basemap.py echarts-4.9.0.tgz [OUT.json]
"""

from __future__ import annotations

import hashlib
import json
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "graph" / "views" / "templates" / "vendor" / "basemap.json"
FILES = {
    "guangdong": "package/map/json/province/guangdong.json",
    "hong-kong": "package/map/json/province/xianggang.json",
    "macao": "package/map/json/province/aomen.json",
}
SCALE = 1024  # ECharts' UTF8Scale default
TOLERANCE = 4.0  # Douglas-Peucker tolerance, in 1/1024 degree (≈ 0.4 km)
MIN_AREA = 30.0  # rings smaller than this (square 1/1024 degree) are dropped (islets)
KEEP_SMALL = {"macao"}  # Macao's parishes are all small: keep every ring


def _decode_ring(text: str, offset: list[int]) -> list[tuple[int, int]]:
    """ECharts' zig-zag, delta-encoded ring → integer points in 1/1024 degree."""
    x, y = offset
    out = []
    for i in range(0, len(text), 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append((x, y))
    return out


def _rings(feature: dict) -> list[list[tuple[int, int]]]:
    geom = feature["geometry"]
    coords, offsets = geom["coordinates"], geom["encodeOffsets"]
    if geom["type"] == "Polygon":
        return [_decode_ring(r, o) for r, o in zip(coords, offsets, strict=True)]
    return [
        _decode_ring(r, o)
        for poly, poly_off in zip(coords, offsets, strict=True)
        for r, o in zip(poly, poly_off, strict=True)
    ]


def _area(ring: list[tuple[int, int]]) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def _dp(points: list[tuple[int, int]], tol: float) -> list[tuple[int, int]]:
    """Douglas-Peucker simplification of an open polyline (first and last point kept)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = points[a], points[b]
        dx, dy = bx - ax, by - ay
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = points[i]
            if norm == 0:
                d = ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
            else:
                d = abs(dy * (px - ax) - dx * (py - ay)) / norm
            if d > best:
                best, at = d, i
        if at > 0 and best > tol:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _simplify_ring(ring: list[tuple[int, int]], tol: float) -> list[tuple[int, int]]:
    if ring[0] == ring[-1]:
        ring = ring[:-1]
    if len(ring) < 4:
        return ring
    far = max(
        range(len(ring)),
        key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2,
    )
    return _dp(ring[: far + 1], tol)[:-1] + _dp(ring[far:] + ring[:1], tol)[:-1]


def _lines(groups: dict[str, list[list[tuple[int, int]]]], tol: float) -> dict[str, list]:
    """Outline and inner-border polylines: runs of ring segments by how many rings share them."""
    out: dict[str, list] = {"outline": [], "inner": []}
    for group, rings in groups.items():
        count: dict[frozenset, int] = {}
        for ring in rings:
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                key = frozenset((a, b))
                count[key] = count.get(key, 0) + 1
        seen: set[frozenset] = set()
        for ring in rings:
            run: list[tuple[int, int]] = []
            kind = None
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                key = frozenset((a, b))
                k = "outline" if count[key] == 1 else "inner"
                if key in seen or (k == "inner" and group != "guangdong"):
                    k = None  # drawn already, or a district border inside a SAR
                seen.add(key)
                if k != kind or not run:
                    if kind and len(run) > 1:
                        out[kind].append(_dp(run, tol))
                    run, kind = [a], k
                run.append(b)
            if kind and len(run) > 1:
                out[kind].append(_dp(run, tol))
    return out


def _k(points: list[tuple[int, int]]) -> list[int]:
    """Flat list of lon*1000, lat*1000 integers: the first point, then differences."""
    flat = [v for x, y in points for v in (round(x * 1000 / SCALE), round(y * 1000 / SCALE))]
    return flat[:2] + [flat[i] - flat[i - 2] for i in range(2, len(flat))]


def make(tgz: Path) -> dict:
    regions, groups = [], {}
    with tarfile.open(tgz) as tar:
        for group, member in FILES.items():
            data = json.load(tar.extractfile(member))
            rings_of_group = []
            merged: list[list[int]] = []
            for feature in data["features"]:
                rings = _rings(feature)
                rings_of_group += rings
                kept = [
                    _k(_simplify_ring(r, TOLERANCE))
                    for r in rings
                    if group in KEEP_SMALL or _area(r) >= MIN_AREA
                ]
                kept = [r for r in kept if len(r) >= 6]
                if group == "guangdong":
                    regions.append(
                        {"name": feature["properties"]["name"], "group": group, "rings": kept}
                    )
                else:
                    merged += kept
            if merged:
                name = {"hong-kong": "香港特别行政区", "macao": "澳门特别行政区"}[group]
                regions.append({"name": name, "group": group, "rings": merged})
            groups[group] = [
                r for r in rings_of_group if group in KEEP_SMALL or _area(r) >= MIN_AREA
            ]
    lines = {k: [_k(p) for p in v if len(p) > 1] for k, v in _lines(groups, TOLERANCE).items()}
    return {
        "source": "Apache ECharts 4.9.0 (npm echarts@4.9.0), map/json/province/"
        "guangdong.json, xianggang.json, aomen.json; Apache License 2.0",
        "source_sha256": hashlib.sha256(tgz.read_bytes()).hexdigest(),
        "simplified": f"Douglas-Peucker {TOLERANCE}/{SCALE} degree, islets under {MIN_AREA}/{SCALE}² "
        "square degree dropped, 1/1000 degree integers",
        "regions": regions,
        "lines": lines,
    }


if __name__ == "__main__":
    tgz = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    data = make(tgz)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    out.write_text(text + "\n", encoding="utf-8")
    points = sum(len(r) // 2 for g in data["regions"] for r in g["rings"])
    print(f"{out}: {len(text) // 1024} KB, {len(data['regions'])} regions, {points} ring points")
