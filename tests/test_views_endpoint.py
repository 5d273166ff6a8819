"""Views built against a running ``yuegang serve`` link every agency and item to a resource page
that the server answers (issues 5 and 7 together)."""

from __future__ import annotations

import json
import re
import urllib.request

from graph.endpoint.server import serve_in_thread
from graph.pipeline import build_all
from graph.views.page import unpack_data


def page_nodes(path) -> list[dict]:
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="yg-data">(.*?)</script>', html, re.S)
    return unpack_data(json.loads(block.group(1)))["nodes"]


def test_view_links_resolve_on_the_running_endpoint(tmp_path):
    plain = build_all(None, tmp_path / "plain", report=False, networks=False)
    with serve_in_thread(plain.out) as server:
        linked = build_all(
            None, tmp_path / "linked", report=False, networks=False, endpoint=server.url
        )
        links = {n["id"]: n.get("link") for n in page_nodes(linked.out / "bipartite.html")}
        assert links["gd-hmao"] == server.url.rstrip("/") + "/agency/gd-hmao"
        for node in ("gd-hmao", "item:8"):
            request = urllib.request.Request(links[node], headers={"Accept": "text/html"})
            with urllib.request.urlopen(request, timeout=30) as response:
                assert response.status == 200
                body = response.read().decode("utf-8")
            assert "省港澳办" in body
    assert not any(n.get("link") for n in page_nodes(plain.out / "bipartite.html"))
