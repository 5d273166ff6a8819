"""`yuegang serve`: the read-only SPARQL endpoint over the built graph of the bundled notice.

The server runs on a free loopback port; clients are SPARQLWrapper and plain HTTP. Answers are
compared with :mod:`graph.rdf.query` on the same graph; refusals are checked with a TCP listener
that must receive nothing; the time limit with a cross join that would run for hours.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import rdflib
from sparql_values import binding_value, cell_value
from SPARQLWrapper import JSON, SPARQLWrapper

from graph.endpoint.server import ENDPOINT_PATH, Limits, ServeError, make_server, serve_in_thread

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TIMEOUT = 2.0
MAX_BODY = 20_000
MAX_RESULT = 400_000
# 5000 triples cubed: about 10^11 rows to count, hours of work for any engine.
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


# --------------------------------------------------------------------------- helpers


def request(
    server,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers=None,
    source: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request to *server* (from the loopback address *source*, another client);
    returns status, headers (lower-case names) and body."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(
        host, port, timeout=30, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return (
            response.status,
            {k.lower(): v for k, v in response.getheaders()},
            response.read(),
        )
    finally:
        conn.close()


def get_query(
    server, query: str, accept: str | None = None, source: str | None = None, **params: str
):
    params = {"query": query, **params}
    headers = {"Accept": accept} if accept else {}
    path = f"{ENDPOINT_PATH}?{urllib.parse.urlencode(params)}"
    return request(server, path, headers=headers, source=source)


def json_rows(data: dict) -> Counter:
    names = data["head"]["vars"]
    return Counter(
        tuple(binding_value(row[n]) if n in row else None for n in names)
        for row in data["results"]["bindings"]
    )


def expected_rows(query_store, query: str) -> Counter:
    """Rows of ``yuegang query`` (:func:`graph.rdf.query.run_query`) for *query*: SPARQL text or
    a ready-made name (its default parameters bound)."""
    from graph.rdf.query import run_query

    result = run_query(query, query_store, timeout=None)
    return Counter(tuple(cell_value(c) for c in row) for row in result.rows)


def ready_made() -> list[dict]:
    """The editor's examples: the ready-made queries, defaults written into the text."""
    from graph.endpoint.pages import example_queries

    return example_queries()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def graph_file(rdf_graph, tmp_path_factory) -> Path:
    from graph.rdf.build import serialize_turtle

    path = tmp_path_factory.mktemp("serve") / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    return path


@pytest.fixture(scope="module")
def query_store(graph_file):
    """The same graph file opened by `yuegang query`'s own loader."""
    from graph.rdf.query import open_store

    return open_store(graph_file)


@pytest.fixture(scope="module")
def server(graph_file) -> Iterator:
    with serve_in_thread(
        graph_file.parent,
        timeout=TIMEOUT,
        max_body_bytes=MAX_BODY,
        max_result_bytes=MAX_RESULT,
        workers=2,
    ) as running:
        yield running


@pytest.fixture(scope="module")
def hostile_server() -> Iterator:
    with serve_in_thread(FIXTURES / "serve_hostile.ttl", cors=True, timeout=TIMEOUT) as running:
        yield running


# --------------------------------------------------------------------------- answers


def test_sparqlwrapper_gets_the_answers_of_yuegang_query(server, query_store) -> None:
    queries = ready_made()
    assert queries, "graph.rdf.query lists no ready-made query"
    answered = 0
    for entry in queries:
        client = SPARQLWrapper(server.endpoint_url)
        client.setQuery(entry["query"])
        client.setReturnFormat(JSON)
        got = json_rows(client.queryAndConvert())
        # the ready-made query by name, as `yuegang query NAME` runs it (defaults bound)
        assert got == expected_rows(query_store, entry["name"]), entry["name"]
        answered += bool(got)
    # one notice: "agencies in several notices" is rightly empty; the others have rows
    assert answered >= len(queries) - 1


def test_get_post_form_and_direct_post_agree(server, rdf_graph, query_store) -> None:
    query = (
        "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
        "SELECT ?item ?n WHERE { ?item a yg:WorkItem ; yg:number ?n }"
    )
    status, headers, body = get_query(server, query)
    assert status == 200 and headers["content-type"].startswith("application/sparql-results+json")
    by_get = json_rows(json.loads(body))
    status, _, body = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=urllib.parse.urlencode({"query": query}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200
    by_form = json_rows(json.loads(body))
    status, _, body = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 200
    by_body = json_rows(json.loads(body))
    assert by_get == by_form == by_body == expected_rows(query_store, query)
    items = {
        int(str(n))
        for n in rdf_graph.objects(None, rdflib.URIRef("https://w3id.org/yuegang/ontology#number"))
    }
    assert sum(by_get.values()) >= 77 and max(items) == 77


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        (None, "csv", "text/csv"),
        ("text/csv;q=0.5, application/sparql-results+xml", None, "application/sparql-results+xml"),
    ],
)
def test_result_formats_by_accept_or_format(
    server, rdf_graph, accept, fmt, media, query_store
) -> None:
    query = (
        "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
        "SELECT ?n WHERE { ?item a yg:WorkItem ; yg:number ?n } ORDER BY ?n"
    )
    params = {"format": fmt} if fmt else {}
    status, headers, body = get_query(server, query, accept, **params)
    assert status == 200
    assert headers["content-type"].split(";")[0] == media
    expected = sorted(int(v[0]) for v in expected_rows(query_store, query).elements())
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode())))
        assert rows[0] == ["n"] and [int(r[0]) for r in rows[1:]] == expected
    elif media == "text/tab-separated-values":
        lines = body.decode().splitlines()
        assert (
            lines[0] == "?n"
            and [int(line.split("^^")[0].strip('"')) for line in lines[1:]] == expected
        )
    else:
        from xml.etree import ElementTree

        ns = "{http://www.w3.org/2005/sparql-results#}"
        root = ElementTree.fromstring(body)
        assert [int(e.text) for e in root.iter(f"{ns}literal")] == expected


def test_ask_and_unacceptable_format(server) -> None:
    status, _, body = get_query(server, "ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = get_query(server, "ASK { ?s ?p ?o }", "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/n-triples", "nt"),
    ],
)
def test_construct_in_rdf_formats(server, rdf_graph, accept, rdflib_format) -> None:
    query = (
        "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
        "CONSTRUCT { ?item yg:responsibleAgency ?agency } "
        "WHERE { ?item yg:responsibleAgency ?agency }"
    )
    status, headers, body = get_query(server, query, accept)
    assert status == 200 and headers["content-type"].split(";")[0] == accept
    got = rdflib.Graph().parse(data=body, format=rdflib_format)
    expected = set(
        rdf_graph.triples(
            (None, rdflib.URIRef("https://w3id.org/yuegang/ontology#responsibleAgency"), None)
        )
    )
    assert set(got) == expected and len(expected) > 77


def test_service_description_without_query(server, rdf_graph) -> None:
    status, headers, body = request(server, ENDPOINT_PATH, headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    description = rdflib.Graph().parse(data=body, format="turtle")
    endpoint = rdflib.URIRef(server.endpoint_url)
    assert (endpoint, rdflib.RDF.type, sd.Service) in description
    assert (endpoint, sd.endpoint, endpoint) in description
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in description
    counts = list(description.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#triples")))
    assert [int(c) for c in counts] == [len(rdf_graph)]
    # a browser asking for the endpoint is sent to the editor
    status, headers, _ = request(server, ENDPOINT_PATH, headers={"Accept": "text/html,*/*;q=0.8"})
    assert status == 303 and headers["location"] == "/"


# --------------------------------------------------------------------------- refusals


def dangerous(url: str) -> dict[str, str]:
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service silent in optional": (
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?q ?r }} }} }} LIMIT 1"
        ),
        "from": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "from named": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{url}>",
        "insert": "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }",
        "delete": "DELETE WHERE { ?s ?p ?o }",
    }


@pytest.mark.parametrize("name", list(dangerous("http://x")))
def test_dangerous_requests_are_refused_before_running(server, listener, name) -> None:
    query = dangerous(listener.url)[name]
    for status, _, body in (
        get_query(server, query),
        request(
            server,
            ENDPOINT_PATH,
            method="POST",
            body=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        ),
    ):
        assert status == 403, body
        assert body.startswith(b"query refused:") or b"SPARQL Update" in body
    listener.close()
    assert listener.received == []
    # nothing changed: the store still holds the whole graph
    _, _, body = get_query(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == server.store.triples


def test_update_by_protocol_is_refused(server, listener) -> None:
    update = f"LOAD <{listener.url}>"
    status, _, body = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403 and b"read-only" in body
    status, _, body = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert status == 403 and b"read-only" in body
    for method in ("PUT", "DELETE", "PATCH"):
        status, headers, _ = request(server, ENDPOINT_PATH, method=method, body=b"x")
        assert status == 405 and "GET" in headers["allow"]
    listener.close()
    assert listener.received == []


def test_oversized_body_is_refused_unread(server, listener) -> None:
    padding = "# " + "x" * MAX_BODY + "\n"
    query = padding + f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    status, headers, body = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413 and str(MAX_BODY).encode() in body
    assert headers.get("connection") == "close"
    listener.close()
    assert listener.received == []


def test_dataset_parameters_and_bad_requests(server) -> None:
    status, _, body = get_query(server, "ASK {}", **{"default-graph-uri": "http://example.org/g"})
    assert status == 400 and b"default-graph-uri" in body
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p }")
    assert status == 400 and b"syntax" in body.lower() or b"not a valid" in body
    status, _, _ = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=b"query=ASK{}",
        headers={"Content-Type": "text/plain"},
    )
    assert status == 415
    status, _, _ = request(
        server,
        ENDPOINT_PATH,
        method="POST",
        body=b"\xff\xfe",
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 400


# --------------------------------------------------------------------------- limits


def test_long_query_is_stopped_while_another_client_is_served(
    server, rdf_graph, query_store
) -> None:
    pids_before = {w.process.pid for w in server.pool._all}
    stopped_before = server.pool.stopped_queries
    outcome: dict[str, object] = {}

    def endless() -> None:
        start = time.monotonic()
        outcome["answer"] = get_query(server, ENDLESS, source="127.0.0.2")  # another client
        outcome["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=endless)
    thread.start()
    time.sleep(0.5)  # the cross join is now running in one worker
    query = (
        "PREFIX yg: <https://w3id.org/yuegang/ontology#>\n"
        "SELECT (COUNT(?item) AS ?n) WHERE { ?item a yg:WorkItem }"
    )
    start = time.monotonic()
    status, _, body = get_query(server, query)
    other_seconds = time.monotonic() - start
    assert status == 200 and json_rows(json.loads(body)) == expected_rows(query_store, query)
    assert thread.is_alive(), "the endless query ended before the other client was served"
    assert other_seconds < TIMEOUT
    thread.join(timeout=TIMEOUT + 10)
    status, _, body = outcome["answer"]
    assert status == 503 and b"time limit" in body
    assert TIMEOUT <= outcome["seconds"] < TIMEOUT + 3
    assert server.pool.stopped_queries == stopped_before + 1
    # the worker that ran it is gone (killed, not left computing) and has been replaced
    deadline = time.monotonic() + 15
    while len(server.pool._all) < 3 and time.monotonic() < deadline:  # 2 workers + 1 spare
        time.sleep(0.1)
    pids_after = {w.process.pid for w in server.pool._all}
    gone = pids_before - pids_after
    assert len(gone) == 1 and len(pids_after) == 3
    with pytest.raises(ProcessLookupError):
        os.kill(gone.pop(), 0)
    status, _, _ = get_query(server, query)
    assert status == 200


def test_result_size_limit(server) -> None:
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o }")
    assert status == 422 and str(MAX_RESULT).encode() in body and b"LIMIT" in body
    status, _, body = get_query(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 10


def test_twenty_clients_fifty_queries_each(server, rdf_graph, query_store) -> None:
    examples = ready_made()
    queries = [q["query"] for q in examples] + ["SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    expected = [expected_rows(query_store, q["name"]) for q in examples]
    expected.append(expected_rows(query_store, queries[-1]))
    host, port = server.server_address[:2]

    def client(number: int) -> list[str]:
        errors = []
        # one keep-alive connection per client, each from its own loopback address
        source = (f"127.0.1.{number + 1}", 0)
        conn = http.client.HTTPConnection(host, port, timeout=60, source_address=source)
        for i in range(50):
            k = (number + i) % len(queries)
            body = urllib.parse.urlencode({"query": queries[k]}).encode()
            conn.request(
                "POST",
                ENDPOINT_PATH,
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            data = response.read()
            if response.status != 200:
                errors.append(f"client {number} query {i}: HTTP {response.status} {data[:200]!r}")
            elif json_rows(json.loads(data)) != expected[k]:
                errors.append(f"client {number} query {i}: wrong answer")
        conn.close()
        return errors

    with ThreadPoolExecutor(max_workers=20) as pool:
        errors = [e for result in pool.map(client, range(20)) for e in result]
    assert errors == []


def test_limits_must_be_positive() -> None:
    with pytest.raises(ServeError, match="timeout"):
        Limits(timeout=0)


# --------------------------------------------------------------------------- network exposure


def test_binds_loopback_by_default_and_checks_host(graph_file) -> None:
    import inspect

    from graph.cli import serve as cli

    assert inspect.signature(make_server).parameters["host"].default == "127.0.0.1"
    assert inspect.signature(cli.serve).parameters["host"].default == "127.0.0.1"
    with serve_in_thread(graph_file, workers=1) as running:
        assert running.server_address[0] == "127.0.0.1"
        status, _, _ = request(
            running, "/sparql?query=ASK%7B%7D", headers={"Host": "evil.example:80"}
        )
        assert status == 421
        status, _, _ = request(running, "/sparql?query=ASK%7B%7D", headers={"Host": "localhost:1"})
        assert status == 200
        for host in ("localhost:evil.com", "localhost:99999", "127.0.0.1:80:x", "[::1]x"):
            status, _, _ = request(running, "/sparql?query=ASK%7B%7D", headers={"Host": host})
            assert status == 421, host


def test_cors_off_by_default_and_on_when_asked(server, hostile_server) -> None:
    origin = {"Origin": "https://elsewhere.example"}
    _, headers, _ = request(server, "/sparql?query=ASK%7B%7D", headers=origin)
    assert "access-control-allow-origin" not in headers
    status, headers, _ = request(server, ENDPOINT_PATH, method="OPTIONS", headers=origin)
    assert status == 204 and "access-control-allow-origin" not in headers
    _, headers, _ = request(hostile_server, "/sparql?query=ASK%7B%7D", headers=origin)
    assert headers["access-control-allow-origin"] == "*"
    status, headers, _ = request(hostile_server, ENDPOINT_PATH, method="OPTIONS", headers=origin)
    assert status == 204 and "POST" in headers["access-control-allow-methods"]


# --------------------------------------------------------------------------- resources and editor


def _label(rdf_graph: rdflib.Graph, iri: str, lang: str) -> str:
    labels = [
        str(o)
        for o in rdf_graph.objects(rdflib.URIRef(iri), rdflib.RDFS.label)
        if isinstance(o, rdflib.Literal) and o.language == lang
    ]
    assert labels, f"no {lang} label for {iri}"
    return labels[0]


def test_agency_iri_resolves_to_html_and_turtle(server, rdf_graph) -> None:
    iri = "https://w3id.org/yuegang/agency/gd-hmao"
    status, headers, body = request(server, "/agency/gd-hmao", headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"]
    page = body.decode()
    assert _label(rdf_graph, iri, "zh") in page
    # every item that names the agency links back to its local path
    items = set(
        rdf_graph.subjects(
            rdflib.URIRef("https://w3id.org/yuegang/ontology#responsibleAgency"), rdflib.URIRef(iri)
        )
    )
    assert items and all(
        f'href="{str(i)[len("https://w3id.org/yuegang") :]}"' in page for i in items
    )
    status, headers, body = request(server, "/agency/gd-hmao", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    got = set(rdflib.Graph().parse(data=body, format="turtle"))
    subject = rdflib.URIRef(iri)
    expected = set(rdf_graph.triples((subject, None, None))) | set(
        rdf_graph.triples((None, None, subject))
    )
    assert got == expected


def test_item_iri_shows_the_item_text(server, rdf_graph, notice) -> None:
    from graph.rdf.iris import document_slug

    slug = document_slug(notice["document"])
    item = notice["items"][4]
    status, _, body = request(
        server, f"/doc/{slug}/item/{item['number']}", headers={"Accept": "text/html"}
    )
    assert status == 200
    assert item["text"].strip() in body.decode()


def test_unknown_and_unsafe_paths_are_404(server) -> None:
    for path in ("/agency/no-such-agency", "/agency/x%3E%20%7B", "/theme/a>b", "/.."):
        status, _, _ = request(server, path.replace(">", "%3E"), headers={"Accept": "text/html"})
        assert status == 404, path
    status, _, _ = request(server, "/agency/no-such-agency", headers={"Accept": "text/turtle"})
    assert status == 404


def test_resource_page_escapes_document_text(hostile_server) -> None:
    status, _, body = request(hostile_server, "/agency/hostile", headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200
    assert "<img" not in page and "<script" not in page.lower()
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'href="javascript:' not in page


def test_editor_page_lists_ready_made_queries(server) -> None:
    status, headers, body = request(server, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in headers["content-security-policy"]
    page = body.decode()
    for entry in ready_made():
        assert entry["name"] in page
    for asset in (
        "editor/vendor/yasgui.min.js",
        "editor/vendor/yasgui.min.css",
        "editor/editor.js",
    ):
        assert asset in page
        status, _, data = request(server, "/" + asset)
        assert status == 200 and len(data) > 1000 or asset.endswith("editor.js")
        assert b"https://cdn" not in data and b"//fonts.googleapis" not in data
    status, _, _ = request(server, "/editor/../serve.py")
    assert status == 404


# --------------------------------------------------------------------------- CLI


def test_cli_serve_answers_on_the_given_port(graph_file) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from graph.cli import main; main()",
            "serve",
            "--graph",
            str(graph_file),
            "--port",
            str(port),
            "--quiet",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode(
            {"query": "ASK { ?s ?p ?o }"}
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert json.loads(response.read())["boolean"] is True
                    break
            except (urllib.error.URLError, ConnectionError):
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "yuegang serve did not start"
                time.sleep(0.3)
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "127.0.0.1" in output and "triples" in output


def test_cli_serve_reports_a_missing_graph(tmp_path) -> None:
    from typer.testing import CliRunner

    from graph.cli import app

    result = CliRunner().invoke(app, ["serve", "--graph", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1
    assert "none.ttl" in result.output


def test_workers_exit_when_the_server_is_killed(tmp_path) -> None:
    """A server killed with SIGKILL cannot stop its workers: they notice and exit themselves,
    even one busy with a query that would run for hours."""
    import signal

    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8))  # 12^8 rows on the fixture
    code = (
        "import json, sys, threading, time, urllib.parse, urllib.request\n"
        "from graph.endpoint.server import serve_in_thread\n"
        f"s = serve_in_thread({str(FIXTURES / 'serve_hostile.ttl')!r}, timeout=600, workers=2)\n"
        "print(json.dumps([[w.process.pid for w in s.pool._all], str(s.store.directory)]), flush=True)\n"
        f"q = urllib.parse.urlencode({{'query': 'SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}'}})\n"
        "threading.Thread(target=lambda: urllib.request.urlopen(s.endpoint_url + '?' + q)).start()\n"
        "time.sleep(120)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    pids, directory = json.loads(process.stdout.readline())
    assert len(pids) == 3  # two workers and the spare
    time.sleep(1.5)  # one worker is now inside the endless query
    busy = [pid for pid in pids if _cpu_seconds(pid) > 0.5]
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    shutil.rmtree(directory, ignore_errors=True)  # a SIGKILLed server cannot remove its store
    assert busy, "no worker was running the endless query"
    deadline = time.monotonic() + 15
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        for pid in list(alive):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                alive.discard(pid)
        time.sleep(0.2)
    assert alive == set()


def _cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
