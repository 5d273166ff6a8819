"""The places view as a map: panels, projection, place and agency positions.

The page draws a base map of Guangdong, Hong Kong and Macao (``templates/vendor/basemap.json``,
simplified from the province GeoJSON of Apache ECharts 4.9.0, Apache-2.0; see
``templates/vendor/README.md``) under the network, in the network's own coordinates, so that
zooming and panning move map and nodes together. Three panels share one canvas:

- ``prd``: the Pearl River Delta, large, where most places of the notices lie;
- ``gd``: all of Guangdong with Hong Kong and Macao, small, with the delta's frame drawn on it;
- ``far``: a strip of boxes for places outside Guangdong (北京, 卧龙, …), each with its distance
  and direction, instead of stretching the map to reach them.

A place sits at its latitude/longitude in the first panel whose frame holds it; places whose
labels would overlap are pushed apart and joined to their true point by a leader line (the page
draws the point and the line). Agencies stand in columns east of the delta, in the order of the
mean latitude of their places, so that no two labels overlap and edges run roughly level.

Everything here is arithmetic on sorted input: the same graph gives the same numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import networkx as nx

__all__ = ["BASEMAP_ATTRIBUTION", "PANELS", "basemap", "place_map"]

BASEMAP_ATTRIBUTION = (
    "底图 Base map: Apache ECharts 4.9.0 省级地图数据 province GeoJSON (Apache License 2.0)，"
    "经简化 simplified；界线仅为示意 boundaries are indicative only"
)
#: Frames (lon min, lon max, lat min, lat max) and widths in canvas units of the map panels.
PANELS = {
    "prd": {"title": "珠江三角洲 Pearl River Delta", "bbox": (112.85, 114.5, 21.95, 23.3),
            "x": 540.0, "y": 0.0, "w": 1200.0},
    "gd": {"title": "广东、香港、澳门 Guangdong, Hong Kong, Macao", "bbox": (109.5, 117.4, 20.1, 25.6),
           "x": 0.0, "y": 0.0, "w": 460.0},
}  # fmt: skip
_FAR_TITLE = "远处地点 Places outside the map"
_FONT = 30.0  # label font size of places (view.js), canvas units
AGENCY_FONT = 24.0  # label font size of the agencies in the columns
_GAP = 80.0  # between panels and columns
_LABEL_DROP = 23.0  # centre of a place's marker-and-label box below the marker
_WINDS = ["北 N", "东北 NE", "东 E", "东南 SE", "南 S", "西南 SW", "西 W", "西北 NW"]


@cache
def basemap() -> dict[str, Any]:
    """The simplified base map (regions and lines; coordinates in 1/1000 degree, delta-coded)."""
    text = resources.files("graph.views.templates").joinpath("vendor/basemap.json")
    return json.loads(text.read_text(encoding="utf-8"))


def _panel(spec: Mapping[str, Any]) -> dict[str, Any]:
    lon0, lon1, lat0, lat1 = spec["bbox"]
    kx = spec["w"] / (lon1 - lon0)
    ky = kx / math.cos(math.radians((lat0 + lat1) / 2))  # a degree of latitude is longer
    return {**spec, "bbox": list(spec["bbox"]), "kx": round(kx, 6), "ky": round(ky, 6),
            "h": round((lat1 - lat0) * ky, 3)}  # fmt: skip


def _project(panel: Mapping[str, Any], lon: float, lat: float) -> tuple[float, float]:
    lon0, _, _, lat1 = panel["bbox"]
    return panel["x"] + (lon - lon0) * panel["kx"], panel["y"] + (lat1 - lat) * panel["ky"]


def _inside(panel: Mapping[str, Any], lon: float, lat: float) -> bool:
    lon0, lon1, lat0, lat1 = panel["bbox"]
    return lon0 <= lon <= lon1 and lat0 <= lat <= lat1


def label_width(text: str, font: float = _FONT) -> float:
    """Rough drawn width of a label: a CJK character is one em, other characters half."""
    return sum(font if ord(c) > 0x2E7F else font * 0.55 for c in text)


def _separate(boxes: dict[str, list[float]], frame: tuple[float, float, float, float]) -> None:
    """Push overlapping boxes ``[cx, cy, half width, half height]`` apart in place (fixed order,
    so deterministic), keeping centres inside *frame* (x0, y0, x1, y1)."""
    keys = sorted(boxes)
    for _ in range(300):
        moved = False
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pa, pb = boxes[a], boxes[b]
                ox = pa[2] + pb[2] - abs(pa[0] - pb[0])
                oy = pa[3] + pb[3] - abs(pa[1] - pb[1])
                if ox <= 0 or oy <= 0:
                    continue
                moved = True
                if ox * 0.6 < oy:  # push sideways (labels are wide) unless that is much further
                    d = (ox / 2 + 1) * (1 if pb[0] >= pa[0] else -1)
                    pa[0], pb[0] = pa[0] - d, pb[0] + d
                else:
                    d = (oy / 2 + 1) * (1 if pb[1] >= pa[1] else -1)
                    pa[1], pb[1] = pa[1] - d, pb[1] + d
        for p in boxes.values():
            p[0] = min(max(p[0], frame[0] + p[2]), frame[2] - p[2])
            p[1] = min(max(p[1], frame[1] + p[3]), frame[3] - p[3])
        if not moved:
            return


def _bearing(lon0: float, lat0: float, lon1: float, lat1: float) -> tuple[float, str]:
    """Great-circle distance (km) and compass direction from the first point to the second."""
    p0, p1, dl = math.radians(lat0), math.radians(lat1), math.radians(lon1 - lon0)
    a = math.sin((p1 - p0) / 2) ** 2 + math.cos(p0) * math.cos(p1) * math.sin(dl / 2) ** 2
    km = 2 * 6371.0 * math.asin(math.sqrt(a))
    y = math.sin(dl) * math.cos(p1)
    x = math.cos(p0) * math.sin(p1) - math.sin(p0) * math.cos(p1) * math.cos(dl)
    deg = (math.degrees(math.atan2(y, x)) + 360) % 360
    return km, _WINDS[round(deg / 45) % 8]


def _coords(d: Mapping[str, Any]) -> tuple[float, float] | None:
    try:
        lat, lon = float(d["lat"]), float(d["long"])
    except (KeyError, TypeError, ValueError):
        return None
    return (lon, lat) if math.isfinite(lat) and math.isfinite(lon) else None


def place_map(
    P: nx.Graph, sizes: Mapping[str, float], names: Mapping[str, str]
) -> tuple[dict[str, tuple[int, int]], dict[str, Any]]:
    """Positions of every node of *P* (``place_network``) and the map the page draws under them.

    *sizes* are the drawn node radii and *names* the labels (by node id), to keep labels apart.
    Returns ``(positions, spec)``; *spec* holds the panels with their projection (``kx``, ``ky``:
    canvas units per degree), the true point of every place (``anchors``), the far-place boxes,
    the base map and its attribution.
    """
    panels = {k: _panel(v) for k, v in PANELS.items()}
    prd = panels["prd"]
    places = sorted(str(n) for n, d in P.nodes(data=True) if str(n).startswith("place:"))
    agencies = sorted(str(n) for n in P if not str(n).startswith("place:"))
    coords = {n: _coords(P.nodes[n]) for n in places}
    anchors: dict[str, list] = {}
    boxes: dict[str, dict[str, list[float]]] = {"prd": {}, "gd": {}}
    far = []
    for n in places:
        c = coords[n]
        panel = next((k for k in ("prd", "gd") if c and _inside(panels[k], *c)), None)
        if panel is None:
            far.append(n)
            continue
        x, y = _project(panels[panel], *c)
        anchors[n] = [panel, round(x, 1), round(y, 1)]
        r = sizes.get(n, 12.0)
        half_w = max(label_width(names.get(n, n)) / 2, r) + 6
        # box of the marker (a triangle a little taller than its radius) and the label vis-network
        # draws under it: from y - r - 4 to y + r + 50
        boxes[panel][n] = [x, y + _LABEL_DROP, half_w, r + 27]
    positions: dict[str, tuple[int, int]] = {}
    for key, group in boxes.items():
        p = panels[key]
        _separate(group, (p["x"], p["y"], p["x"] + p["w"], p["y"] + p["h"]))
        for n, (cx, cy, _, _) in group.items():
            positions[n] = (round(cx), round(cy - _LABEL_DROP))
    # far places: a strip of boxes under the Guangdong panel, north first
    gd = panels["gd"]
    top = gd["y"] + gd["h"] + _GAP
    height = max(prd["h"] - top, 180.0 * len(far)) if far else 0.0
    step = height / len(far) if far else 0.0
    mid_lon, mid_lat = (prd["bbox"][0] + prd["bbox"][1]) / 2, (prd["bbox"][2] + prd["bbox"][3]) / 2
    far.sort(key=lambda n: (-(coords[n][1] if coords[n] else -999), n))
    far_boxes = []
    for i, n in enumerate(far):
        y = top + i * step
        positions[n] = (round(gd["x"] + 70), round(y + step / 2 - 10))
        note = "坐标未知 no coordinates"
        if coords[n]:
            km, wind = _bearing(mid_lon, mid_lat, *coords[n])
            note = f"距珠三角 {km:,.0f} km，{wind}"
        far_boxes.append({"id": n, "x": gd["x"], "y": round(y + 8, 1), "w": gd["w"],
                          "h": round(step - 16, 1), "note": note})  # fmt: skip

    # agencies: columns east of the delta, ordered by the mean latitude of their places
    def mean_y(a: str) -> float:
        ys = [positions[p][1] for p in P.neighbors(a) if str(p) in positions]
        return sum(ys) / len(ys) if ys else prd["y"] + prd["h"] / 2

    order = sorted(agencies, key=lambda a: (mean_y(a), a))
    col_w = max((label_width(names.get(a, a), AGENCY_FONT) for a in order), default=0.0) + 40
    # a row holds a node and its label below it, with much more room under the label than
    # above it, so that each label reads as its own node's
    row = 2 * max((sizes.get(a, 12.0) for a in order), default=12.0) + AGENCY_FONT + 44
    n_cols = max(1, math.ceil(len(order) * row / max(1.7 * prd["h"], 1)))
    step = row / n_cols
    x0 = prd["x"] + prd["w"] + _GAP + col_w / 2
    y0 = prd["y"] + max(0.0, (prd["h"] - step * len(order)) / 2)
    for i, a in enumerate(order):
        positions[a] = (round(x0 + (i % n_cols) * col_w), round(y0 + i * step))
    spec = {
        "panels": [{"id": k, **v} for k, v in panels.items()],
        "anchors": anchors,
        "far": far_boxes,
        "far_title": _FAR_TITLE if far else "",
        "attribution": BASEMAP_ATTRIBUTION,
        "base": {"regions": basemap()["regions"], "lines": basemap()["lines"]},
    }
    return positions, spec
