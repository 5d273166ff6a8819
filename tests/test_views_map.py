"""The places view as a map: panels and positions (as data), and the drawn map in headless Chromium.

The base map is the simplified GeoJSON in ``graph/views/templates/vendor/basemap.json``; which
points are land is decided here from that file (point in polygon), and the page must paint them
so, offline, with every place of the notice inside the map or its strip of far places.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.views import placemap
from graph.views import render as views

LAND = {
    "guangdong": (0xF3, 0xEF, 0xE2),
    "hong-kong": (0xF6, 0xE3, 0xDA),
    "macao": (0xF6, 0xE3, 0xDA),
}
SEA = (0xE6, 0xEF, 0xF6)


def rings() -> list[tuple[str, list[tuple[float, float]]]]:
    """Every ring of the base map as (group, [(lon, lat)]), decoded from its differences."""
    out = []
    for region in placemap.basemap()["regions"]:
        for flat in region["rings"]:
            lon = lat = 0
            pts = []
            for i in range(0, len(flat), 2):
                lon, lat = lon + flat[i], lat + flat[i + 1]
                pts.append((lon / 1000, lat / 1000))
            out.append((region["group"], pts))
    return out


def land_group(lon: float, lat: float, all_rings) -> str | None:
    """The group whose rings hold the point (even-odd rule, as the page fills), or None (sea)."""
    for group in sorted({g for g, _ in all_rings}):
        inside = False
        for g, pts in all_rings:
            if g != group:
                continue
            for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
                if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                    inside = not inside
        if inside:
            return group
    return None


def near_border(lon: float, lat: float, all_rings, margin: float) -> bool:
    for _, pts in all_rings:
        for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((lon - x0) * dx + (lat - y0) * dy) / ((dx * dx + dy * dy) or 1)))
            if math.hypot(lon - x0 - t * dx, lat - y0 - t * dy) < margin:
                return True
    return False


def project(panel: dict, lon: float, lat: float) -> tuple[float, float]:
    lon0, _, _, lat1 = panel["bbox"]
    return panel["x"] + (lon - lon0) * panel["kx"], panel["y"] + (lat1 - lat) * panel["ky"]


def inside_box(x: float, y: float, box: dict) -> bool:
    return box["x"] <= x <= box["x"] + box["w"] and box["y"] <= y <= box["y"] + box["h"]


# ---- as data --------------------------------------------------------------------------------------


def small_place_network() -> nx.Graph:
    P = nx.Graph()
    for key, name, lat, lon in [
        ("place:hk", "香港", 22.3193, 114.1694),
        ("place:shantou", "汕头", 23.3541, 116.6819),
        ("place:beijing", "北京", 39.9042, 116.4074),
        ("place:wolong", "卧龙", 31.04, 103.29),
        ("place:lt", "莲塘", 22.556, 114.162),
        ("place:hyw", "香园围", 22.558, 114.161),
        ("place:nowhere", "无坐标", None, None),
    ]:
        P.add_node(key, name=name, lat=lat, long=lon, bipartite=1)
    for i, place in enumerate(sorted(P)):
        P.add_node(f"ag{i}", name=f"单位{i}", kind="other", bipartite=0)
        P.add_edge(f"ag{i}", place, weight=1, items=[str(i)])
    return P


def test_each_place_goes_to_the_delta_the_province_or_the_far_strip():
    P = small_place_network()
    names = {n: P.nodes[n]["name"] for n in P}
    positions, spec = placemap.place_map(P, dict.fromkeys(P, 12.0), names)
    panels = {p["id"]: p for p in spec["panels"]}
    assert spec["anchors"]["place:hk"][0] == "prd"
    assert spec["anchors"]["place:shantou"][0] == "gd"  # in Guangdong, outside the delta
    far = [f["id"] for f in spec["far"]]
    assert far == ["place:beijing", "place:wolong", "place:nowhere"]  # north first, unknown last
    for f in spec["far"]:
        assert inside_box(*positions[f["id"]], f)
    # a place on the map stands at its projected point, or near it with a leader line
    for key, (panel, ax, ay) in spec["anchors"].items():
        lon, lat = P.nodes[key]["long"], P.nodes[key]["lat"]
        assert (ax, ay) == pytest.approx(project(panels[panel], lon, lat), abs=0.1)
        assert inside_box(*positions[key], panels[panel])
        assert math.dist(positions[key], (ax, ay)) < 200
    # 莲塘 and 香园围 are 200 m apart: pushed apart so that their labels do not overlap
    assert math.dist(positions["place:lt"], positions["place:hyw"]) > 40
    # agencies stand east of the delta, clear of the map
    right = panels["prd"]["x"] + panels["prd"]["w"]
    assert all(positions[n][0] > right for n in P if not n.startswith("place:"))


def test_place_view_page_carries_the_map_and_its_attribution():
    P = small_place_network()
    html = views.render_place_view(P)
    assert "Apache ECharts 4.9.0" in html and "Apache License 2.0" in html
    assert "://" not in html
    assert html == views.render_place_view(nx.relabel_nodes(P, {}, copy=True))


# ---- in the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def places_page(tmp_path_factory, rdf_graph) -> dict:
    from graph.network import networks

    out = tmp_path_factory.mktemp("map-views")
    views.write_all_views(rdf_graph, out)
    return {"url": (out / "places.html").as_uri(), "P": networks.place_network(rdf_graph)}


@pytest.mark.browser
def test_places_view_draws_the_base_map_offline_with_every_place_inside_it(browser, places_page):  # noqa: F811
    P = places_page["P"]
    page, log = open_view(browser, places_page["url"])
    try:
        page.wait_for_timeout(300)
        spec = page.evaluate("ygView.data.map")
        panels = {p["id"]: p for p in spec["panels"]}
        far = {f["id"]: f for f in spec["far"]}
        places = {str(n): d for n, d in P.nodes(data=True) if str(n).startswith("place:")}
        pos = page.evaluate("ygView.network.getPositions()")
        assert {"place:beijing", "place:wolong"} <= set(far)
        for key, d in places.items():
            x, y = pos[key]["x"], pos[key]["y"]
            if key in far:
                assert inside_box(x, y, far[key]), key
                assert not any(
                    inside_box(*project(p, d["long"], d["lat"]), p) for p in panels.values()
                )
            else:
                panel = panels[spec["anchors"][key][0]]
                assert inside_box(x, y, panel), key
                assert inside_box(*project(panel, d["long"], d["lat"]), panel), key
        # the whole figure is on screen at the initial zoom
        box = page.locator("#yg-network").bounding_box()
        for key in places:
            dom = page.evaluate("p => ygView.network.canvasToDOM(p)", pos[key])
            assert 0 <= dom["x"] <= box["width"] and 0 <= dom["y"] <= box["height"], key
        # the map is painted: land and sea where the base map says, under the hidden network
        for checkbox in page.locator("#yg-types input").all():  # hide agencies and places
            checkbox.uncheck()
        assert page.evaluate("ygView.visibleIds()") == []
        page.wait_for_timeout(300)
        all_rings = rings()
        prd = panels["prd"]
        lon0, lon1, lat0, lat1 = prd["bbox"]
        samples = []
        for i in range(1, 20):
            for j in range(1, 16):
                lon, lat = lon0 + (lon1 - lon0) * i / 20, lat0 + (lat1 - lat0) * j / 16
                if not near_border(lon, lat, all_rings, 0.015):
                    samples.append((lon, lat, land_group(lon, lat, all_rings)))
        assert {g for *_, g in samples} >= {"guangdong", "hong-kong", None}
        colours = page.evaluate(
            """pts => {
                const c = document.querySelector('#yg-network canvas');
                const ctx = c.getContext('2d'), r = c.width / c.clientWidth;
                return pts.map(([x, y]) => {
                    const d = ygView.network.canvasToDOM({x, y});
                    return Array.from(ctx.getImageData(Math.round(d.x * r), Math.round(d.y * r), 1, 1).data).slice(0, 3);
                });
            }""",
            [project(prd, lon, lat) for lon, lat, _ in samples],
        )
        wrong = [
            (lon, lat, group, rgb)
            for (lon, lat, group), rgb in zip(samples, colours, strict=True)
            if max(abs(a - b) for a, b in zip(rgb, LAND[group] if group else SEA, strict=True)) > 6
        ]
        assert wrong == []
        assert "Apache ECharts" in page.inner_text("#yg-legend")
        assert log.blocked == [] and log.errors == [] and log.dialogs == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_place_and_agency_labels_do_not_overlap_at_the_initial_zoom(browser, places_page):  # noqa: F811
    page, log = open_view(browser, places_page["url"])
    try:
        boxes = page.evaluate(
            """Object.entries(ygView.network.body.nodes).filter(([id, n]) => n.labelModule.size.width > 0)
                 .map(([id, n]) => { const s = n.labelModule.size;
                                     return [id, s.left, s.top, s.left + s.width, s.top + s.height]; })"""
        )
        assert len(boxes) == len(places_page["P"])
        overlaps = [
            (a[0], b[0])
            for i, a in enumerate(boxes)
            for b in boxes[i + 1 :]
            if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
        ]
        assert overlaps == []
        # nor does a label cover another node's marker
        markers = page.evaluate(
            """Object.entries(ygView.network.body.nodes).map(([id, n]) =>
                 [id, n.x - n.shape.width / 2, n.y - n.shape.height / 2, n.x + n.shape.width / 2, n.y + n.shape.height / 2])"""
        )
        covered = [
            (a[0], m[0])
            for a in boxes
            for m in markers
            if a[0] != m[0] and a[1] < m[3] and m[1] < a[3] and a[2] < m[4] and m[2] < a[4]
        ]
        assert covered == []
        assert log.errors == []
    finally:
        page.context.close()
