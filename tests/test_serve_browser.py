"""The query editor of `yuegang serve` in real headless Chromium, with the network blocked.

Every request that does not go to the test's own server on 127.0.0.1 is aborted and recorded;
the editor must load, list the ready-made queries, run one and show its rows, and the resource
pages must show hostile labels as text.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from graph.endpoint.server import serve_in_thread

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def server(rdf_graph, tmp_path_factory) -> Iterator[Any]:
    from graph.rdf.build import serialize_turtle

    path = tmp_path_factory.mktemp("serve-browser") / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    with serve_in_thread(path, timeout=10) as running:
        yield running


class Watch:
    """Requests the page made off the server (aborted), console errors and dialogs."""

    def __init__(self, page: Any, origin: str):
        self.off_server: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.queries: list[str] = []

        def route(r: Any) -> None:
            url = r.request.url
            parts = urlsplit(url)
            if f"{parts.scheme}://{parts.netloc}" == origin or parts.scheme in ("data", "blob"):
                if parts.path == "/sparql":
                    self.queries.append(r.request.method)
                r.continue_()
            else:
                self.off_server.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))


def _open(browser: Any, url: str) -> tuple[Any, Any, Watch]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    parts = urlsplit(url)
    watch = Watch(page, f"{parts.scheme}://{parts.netloc}")
    page.goto(url)
    return context, page, watch


def test_editor_runs_a_ready_made_query_offline(browser, server) -> None:
    from graph.rdf.query import open_store, ready_made, run_query

    local = open_store(server.store.source)
    context, page, watch = _open(browser, server.url)
    try:
        page.wait_for_selector(".yasqe .CodeMirror", timeout=20_000)
        buttons = page.locator("button.example")
        names = [q.name for q in ready_made()]
        assert buttons.count() == len(names) > 0
        assert [buttons.nth(i).get_attribute("data-name") for i in range(len(names))] == names
        # a ready-made query with a parameter and rows on the bundled notice
        chosen = expected = None
        for index, ready in enumerate(ready_made()):
            if any(p.default for p in ready.params):
                rows = len(run_query(ready.name, local, timeout=None).rows)
                if rows:
                    chosen, expected = index, rows
                    break
        assert chosen is not None
        buttons.nth(chosen).click()
        text = page.evaluate("() => window.yuegangYasgui.getTab().getYasqe().getValue()")
        assert text.strip() == server.examples[chosen]["query"].strip()
        page.locator(".yasqe_queryButton:visible").click()
        page.locator(".yasr .dataTable tbody tr:visible").first.wait_for(timeout=20_000)
        info = page.evaluate(
            "() => window.yuegangYasgui.getTab().getYasr().results.getBindings().length"
        )
        assert info == expected
        assert "POST" in watch.queries
        # completing a class name would ask LOV (lov.linkeddata.es) by default: not here
        page.locator(".yasqe .CodeMirror:visible").click()
        page.keyboard.press("Control+a")
        page.keyboard.type(
            "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nSELECT * WHERE { ?x a foaf:Per"
        )
        page.keyboard.press("Control+Space")  # ask for completions explicitly
        page.wait_for_timeout(2000)
    finally:
        context.close()
    assert watch.off_server == []
    assert watch.errors == []
    assert watch.dialogs == []


def test_resource_page_shows_hostile_labels_as_text(browser) -> None:
    with serve_in_thread(FIXTURES / "serve_hostile.ttl", timeout=10) as hostile:
        context, page, watch = _open(browser, hostile.url + "agency/hostile")
        try:
            heading = page.locator("h1").inner_text()
            assert "</script><img src=x onerror=alert(1)>" in heading
            assert page.locator("img, svg, script").count() == 0
            link = page.locator('a:has-text("doc:hostile-2017-1/item/1")')
            link.click()
            page.wait_for_load_state()
            assert page.url.endswith("/doc/hostile-2017-1/item/1")
            assert "推进<script>alert(4)</script>合作" in page.locator("body").inner_text()
        finally:
            context.close()
    assert watch.dialogs == [] and watch.off_server == []


def test_cross_origin_page_cannot_make_the_endpoint_call_out(browser, server, listener) -> None:
    """Issue 11, point 1: any web page the user opens can send `fetch(…, {mode: "no-cors"})` to
    the endpoint; the SERVICE hidden behind a bare carriage return must reach nothing."""
    from urllib.parse import urlencode

    query = f"SELECT * WHERE {{ ?s ?p ?o . #\r SERVICE <{listener.url}> {{ ?a ?b ?c }}\n}}"
    asked = server.queries_asked
    context = browser.new_context()
    page = context.new_page()
    try:
        page.set_content("<!DOCTYPE html><title>elsewhere</title><p>an unrelated page</p>")
        page.evaluate(
            """async ([getUrl, postUrl, form]) => {
                await fetch(getUrl, {mode: "no-cors"}).catch(() => null);
                await fetch(postUrl, {mode: "no-cors", method: "POST", body: form,
                    headers: {"Content-Type": "application/x-www-form-urlencoded"}})
                    .catch(() => null);
            }""",
            [
                server.endpoint_url + "?" + urlencode({"query": query}),
                server.endpoint_url,
                urlencode({"query": query}),
            ],
        )
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert server.queries_asked == asked + 2  # both requests arrived and were checked
    assert listener.received == []
