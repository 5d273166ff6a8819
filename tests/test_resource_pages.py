"""Endpoint pages a researcher reads: an item's page leads with its number, text and units
(printed order, roles, agency names); an agency's page with its items and partners; the Turtle
view writes IRIs without escaped slashes; the editor opens on a query of the graph's own terms.

Expected values come from the extraction dict (the ``notice`` fixture), not from the graph.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import rdflib

from graph.endpoint.server import serve_in_thread

BASE = "https://w3id.org/yuegang/"


@pytest.fixture(scope="module")
def server(rdf_graph, tmp_path_factory) -> Iterator[Any]:
    from graph.rdf.build import serialize_turtle

    path = tmp_path_factory.mktemp("pages") / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    with serve_in_thread(path, timeout=10, workers=1) as running:
        yield running


def get(server, path: str, accept: str = "text/html") -> tuple[int, str]:
    import http.client

    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": accept})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def item_path(notice: dict, number: int) -> str:
    from graph.rdf.iris import document_slug

    return f"/doc/{document_slug(notice['document'])}/item/{number}"


@pytest.mark.parametrize("number", [24, 1, 59])
def test_item_page_leads_with_number_text_and_units(server, notice, number) -> None:
    item = next(i for i in notice["items"] if i["number"] == number)
    status, page = get(server, item_path(notice, number))
    assert status == 200
    lead = page[: page.index("All statements")]  # what comes before the property dump
    assert f"第{number}项" in lead and item["text"] in text_of(lead)
    units = re.findall(
        r'<li><a href="(/agency/[^"]+)"[^>]*>([^<]+)</a> <span class="role">(\w+)</span>', lead
    )
    ordered = sorted(item["agencies"], key=lambda a: a["position"])
    assert [(name, role) for _, name, role in units] == [(a["name"], a["role"]) for a in ordered]
    assert [path for path, _, _ in units] == [f"/agency/{a['id']}" for a in ordered]
    # the text comes before the keywords of the statement table
    assert page.index(item["text"]) < page.index("yg:keyword")


def test_agency_page_leads_with_items_and_partners(server, notice) -> None:
    status, page = get(server, "/agency/gd-commerce")
    assert status == 200
    lead = page[: page.index("All statements")]
    mine = [i for i in notice["items"] if any(a["id"] == "gd-commerce" for a in i["agencies"])]
    shown = [int(n) for n in re.findall(r">第(\d+)项</a></td>", lead)]
    assert shown == [i["number"] for i in mine]
    partners = Counter(
        a["name"] for i in mine for a in {x["name"]: x for x in i["agencies"]}.values()
    )
    del partners["省商务厅"]
    rows = re.findall(
        r'<tr><td><a href="/agency/[^"]+"[^>]*>([^<]+)</a></td><td>(\d+)</td></tr>', lead
    )
    assert {name: int(n) for name, n in rows} == dict(partners)
    assert [int(n) for _, n in rows] == sorted((int(n) for _, n in rows), reverse=True)


def test_agency_without_partner_says_so(server, notice) -> None:
    status, page = get(server, "/agency/gd-environment")  # 省环境保护厅 works alone
    assert status == 200 and "shares no item with another agency" in page


def test_turtle_view_does_not_escape_slashes(server, rdf_graph, notice) -> None:
    status, body = get(server, item_path(notice, 24), accept="text/turtle")
    assert status == 200
    assert "\\/" not in body
    assert f"<{BASE}{item_path(notice, 24)[1:]}>" in body  # the item's IRI, written in full
    parsed = rdflib.Graph().parse(data=body, format="turtle")
    subject = rdflib.URIRef(BASE + item_path(notice, 24)[1:])
    assert set(parsed.triples((subject, None, None))) == set(
        rdf_graph.triples((subject, None, None))
    )


def test_editor_starts_on_a_query_of_the_graph_terms(server) -> None:
    import json

    status, page = get(server, "/")
    assert status == 200
    config = json.loads(
        re.search(
            r'<script type="application/json" id="yuegang-config">(.*?)</script>', page, re.S
        )[1]
    )
    assert "PREFIX yg:" in config["start"] and "yg:WorkItem" in config["start"]


@pytest.mark.browser
def test_editor_opens_on_the_start_query_in_chromium(browser, server) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(server.url)
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        text = page.evaluate("() => window.yuegangYasgui.getTab().getYasqe().getValue()")
    finally:
        context.close()
    assert "yg:WorkItem" in text and "?sub ?pred ?obj" not in text


def test_idle_connections_closing_are_not_logged_as_errors(rdf_graph, tmp_path, capfd) -> None:
    import socket
    import struct
    import time

    from graph.endpoint import server as server_module
    from graph.rdf.build import serialize_turtle

    path = tmp_path / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    lines: list[str] = []
    handler = server_module._Handler
    before = handler.timeout
    handler.timeout = 0.5  # an idle keep-alive connection times out quickly
    try:
        with serve_in_thread(path, workers=1, log=lines.append) as running:
            host, port = running.server_address[:2]
            idle = socket.create_connection((host, port))  # opens and says nothing
            reset = socket.create_connection((host, port))
            reset.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # half a request, then a reset
            reset.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            reset.close()
            time.sleep(1.5)
            idle.close()
            status, _ = get(running, "/agency/no-such-agency")  # a real error is still logged
            time.sleep(0.2)
    finally:
        handler.timeout = before
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception occurred" not in err
    assert not any("timed out" in line for line in lines), lines
    assert status == 404 and any(" 404 " in line or '" 404' in line for line in lines), lines
