"""The attacks of issue 11, each run against a real endpoint or the real CLI on loopback.

A canary (:class:`listener.Listener`, a TCP listener on 127.0.0.1) stands in for any remote
endpoint: every attack that tries to reach the network points at it, and it must receive
nothing. Positive controls show that the canary does see an unguarded call.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from listener import Listener
from typer.testing import CliRunner

from graph.cli import app
from graph.endpoint.server import serve_in_thread
from graph.rdf.sparql_safety import (
    NETNS_ENV,
    QueryRefused,
    QuerySyntaxError,
    assert_safe,
    canonical_query,
    fallback_refusal,
    isolate_network,
)

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 3.0
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FAST = "ASK { ?s ?p ?o }"


def cr_comment_service(url: str) -> str:
    """The attack of point 1: SERVICE after a comment that ends in a bare carriage return."""
    return f"SELECT * WHERE {{ ?s ?p ?o . #\r SERVICE <{url}> {{ ?a ?b ?c }}\n}}"


# --------------------------------------------------------------------------- one reading

# What may stand between tokens: comments, every line end, escapes of them, Unicode spaces.
_PIECES = st.sampled_from(
    [
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\n\r",
        "\\u000D",
        "\\u000A",
        "\\U0000000D",
        "\u00a0",
        "\u2028",
        "\u2029",
        "\u3000",
        "\x0b",
        "\x0c",
        "\x85",
        "\ufeff",
        "#",
        "# note ",
        "#\r",
        "#\\u000D",
        "\\u0023",
        '"',
        "'''",
        "<",
        ">",
        "{",
        "}",
        ".",
    ]
)
_GAP = st.lists(_PIECES, max_size=6).map("".join)
_KEYWORD = st.sampled_from(
    ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERVIC\\u0045", "SERVICE SILENT"]
)


def _queries(url: str) -> st.SearchStrategy[str]:
    service = st.builds(
        lambda a, kw, b, c: f"SELECT * WHERE {{ ?s ?p ?o .{a}{kw}{b}<{url}>{c}{{ ?x ?y ?z }}\n}}",
        _GAP,
        _KEYWORD,
        _GAP,
        _GAP,
    )
    dataset = st.builds(
        lambda a, kw, b: f"SELECT *{a}{kw}{b}<{url}> WHERE {{ ?s ?p ?o }}",
        _GAP,
        st.sampled_from(["FROM", "FROM NAMED", "\\u0046ROM"]),
        _GAP,
    )
    load = st.builds(lambda a, b: f"{a}LOAD{b}<{url}>", _GAP, _GAP)
    return st.one_of(service, dataset, load)


@pytest.fixture(scope="module")
def canary() -> Iterator[Listener]:
    running = Listener()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def one_triple_store() -> pyoxigraph.Store:
    """A store where ``?s ?p ?o`` matches, so Oxigraph does evaluate a SERVICE after it."""
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("urn:a"), pyoxigraph.NamedNode("urn:b"), pyoxigraph.Literal("c")
        )
    )
    return store


def test_differential_check_and_engine_read_the_same_query(canary, one_triple_store) -> None:
    """Random comments, line ends, escapes and Unicode spaces around SERVICE/FROM/LOAD: whatever
    the check accepts, Oxigraph runs (the returned canonical text) without calling the canary."""
    accepted: list[str] = []

    @settings(
        max_examples=400,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(_queries(canary.url))
    def check(query: str) -> None:
        try:
            text = assert_safe(query)
        except QueryRefused:
            return
        accepted.append(query)
        try:
            list(one_triple_store.query(text))
        except (SyntaxError, OSError):
            pass
        assert canary.received == [], f"the engine reached the network for {query!r}"

    check()
    assert canary.received == []


def test_differential_control_unguarded_engine_reaches_the_canary(one_triple_store) -> None:
    """Control: the raw CR attack, run without the canonical text, does reach the canary."""
    control = Listener()
    try:
        with pytest.raises(OSError):
            list(one_triple_store.query(cr_comment_service(control.url)))
    finally:
        control.close()
    assert control.received and control.received[0].startswith(b"POST /sparql")


def test_canonical_text_is_what_runs() -> None:
    query = "SELECT * WHERE { ?s ?p ?o #\r\n}"
    assert canonical_query(query) == "SELECT * WHERE { ?s ?p ?o #\n}"
    assert assert_safe("ASK {\r}") == "ASK {\n}"
    with pytest.raises(QueryRefused, match="SERVICE"):
        assert_safe(cr_comment_service("http://127.0.0.1:9/sparql"))
    with pytest.raises(QueryRefused, match="SERVICE"):
        assert_safe(cr_comment_service("http://127.0.0.1:9/sparql").replace("\r", "\\u000D"))
    with pytest.raises(QuerySyntaxError, match="another escape"):
        assert_safe("ASK { \\u005Cu0053 }")


def test_point_five_checker_errors_are_clean() -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE s:"):
        assert_safe("PREFIX s: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE s: { ?a ?b ?c } }")
    deep = "SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        assert_safe(deep)
    with pytest.raises(QuerySyntaxError):
        assert_safe("SELEKT ?s WHERE { ?s ?p ?o }")


def test_worker_without_network_cannot_reach_the_canary_even_unchecked() -> None:
    """Defence in depth: a process in its own network namespace runs SERVICE unchecked and
    still reaches nothing (the control, outside the namespace, does reach the canary)."""
    canary = Listener()
    try:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: isolate, then run the attack with no check at all
            mode = isolate_network()
            try:
                list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}> {{}} }}"))
                outcome = "answered"
            except OSError as exc:
                outcome = f"failed: {exc}"
            os.write(write, f"{mode}|{outcome}".encode())
            os._exit(0)
        os.close(write)
        _, status = os.waitpid(pid, 0)
        mode, outcome = os.read(read, 4096).decode().split("|", 1)
        os.close(read)
        time.sleep(0.3)
        if mode != "none":
            pytest.skip("this kernel refuses network namespaces; the fallback is tested below")
        assert outcome.startswith("failed")
        assert canary.received == []
        with pytest.raises(OSError):  # control: the same call from this process does arrive
            list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{canary.url}> {{}} }}"))
        time.sleep(0.3)
    finally:
        canary.close()
    assert canary.received


def test_fallback_refuses_the_word_service_anywhere() -> None:
    assert fallback_refusal("SELECT * WHERE { SERVICE <http://x/> {} }")
    assert fallback_refusal('SELECT * WHERE { ?s ?p "service" }')
    assert fallback_refusal(canonical_query("ASK { \\u0053ERVICE }"))
    assert fallback_refusal("SELECT * WHERE { ?s yg:service ?o }") is None
    assert fallback_refusal("SELECT ?services WHERE { <urn:serviceA> ?p ?o }") is None


# --------------------------------------------------------------------------- endpoint


def http_request(
    server, path: str, *, method="GET", body=None, headers=None, source: str | None = None
):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(
        host, port, timeout=60, source_address=(source, 0) if source else None
    )
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def get(server, query: str, source: str | None = None):
    return http_request(
        server, "/sparql?" + urllib.parse.urlencode({"query": query}), source=source
    )


@pytest.fixture(scope="module")
def graph_file(rdf_graph, tmp_path_factory) -> Path:
    from graph.rdf.build import serialize_turtle

    path = tmp_path_factory.mktemp("attacks") / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    return path


@pytest.fixture(scope="module")
def server(graph_file) -> Iterator:
    with serve_in_thread(
        graph_file, timeout=TIMEOUT, workers=2, memory_mb=400, request_deadline=1.5
    ) as running:
        yield running


def test_endpoint_cr_comment_service_reaches_nothing(server, listener) -> None:
    query = cr_comment_service(listener.url)
    assert server.pool.network == "none"
    status, body = get(server, query)
    assert status == 403 and b"SERVICE" in body
    form = urllib.parse.urlencode({"query": query}).encode()
    status, _ = http_request(
        server,
        "/sparql",
        method="POST",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403
    status, _ = http_request(
        server,
        "/sparql",
        method="POST",
        body=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 403
    time.sleep(0.3)
    assert listener.received == []


def test_endpoint_error_statuses(server) -> None:
    status, body = get(server, "SELEKT * WHERE { ?s ?p ?o }")
    assert status == 400 and b"line 1" in body
    status, body = get(server, "SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60)
    assert status == 400 and b"nested too deeply" in body
    status, body = get(server, "PREFIX s: <http://127.0.0.1:9/> SELECT * { SERVICE s: {} }")
    assert status == 403 and b"SERVICE s:" in body
    status, body = get(server, "DROP ALL")
    assert status == 403


def test_memory_hungry_query_replaces_the_worker_and_says_why(graph_file) -> None:
    """A 1 KB query doubling a string 30 times (10 GB) stops at the worker's memory limit."""
    doubling = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30))
    query = f'SELECT (STRLEN(?v30) AS ?n) WHERE {{ BIND("0123456789" AS ?v0) {doubling} }}'
    assert len(query) < 1200
    with serve_in_thread(graph_file, timeout=60, workers=1, memory_mb=400) as running:
        status, body = get(running, query)
        assert status == 503 and b"memory" in body and b"400 MB" in body
        assert running.pool.memory_failures == 1
        assert get(running, FAST)[0] == 200  # the worker was replaced: still answering


def test_fast_query_is_answered_while_slow_clients_hold_the_server(server) -> None:
    """Six slow clients (another address) cannot take every worker: ASK {} gets an answer
    long before their time limit; their extra queries wait or get 429, never the fast client."""
    slow: list[int] = []

    def slow_client() -> None:
        slow.append(get(server, ENDLESS, source="127.0.0.5")[0])

    threads = [threading.Thread(target=slow_client) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    times = []
    for _ in range(5):
        start = time.monotonic()
        status, _ = get(server, FAST)
        times.append(time.monotonic() - start)
        assert status == 200
    for thread in threads:
        thread.join(timeout=60)
    assert max(times) < TIMEOUT, times  # never had to wait for a slow query to end
    assert set(slow) <= {503, 429} and 503 in slow


def test_trickling_connection_is_closed_at_the_request_deadline(server) -> None:
    """One header byte every 0.2 s: each read is quick, the whole request is not. The server
    closes the connection at its deadline and never answers (or runs) the partial request."""
    host, port = server.server_address[:2]
    asked = server.queries_asked
    sock = socket.create_connection((host, port), timeout=10)
    start = time.monotonic()
    closed_after = None
    received = b""
    try:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nX-Slow: ")
        for _ in range(40):
            time.sleep(0.2)
            try:
                chunk = sock.recv(4096, socket.MSG_DONTWAIT)
            except BlockingIOError:
                chunk = None
            except OSError:
                chunk = b""
            if chunk == b"":
                closed_after = time.monotonic() - start
                break
            if chunk:
                received += chunk
            try:
                sock.sendall(b"X")
            except OSError:
                closed_after = time.monotonic() - start
                break
    finally:
        sock.close()
    assert closed_after is not None and closed_after < 4  # deadline 1.5 s (+ watchdog tick)
    time.sleep(0.5)
    assert received == b"" and server.queries_asked == asked  # the partial request never ran
    assert server.expired_requests >= 1
    assert get(server, FAST)[0] == 200


def test_connection_cap_per_client(graph_file) -> None:
    with serve_in_thread(graph_file, workers=1, client_connections=5) as running:
        host, port = running.server_address[:2]
        idle = [socket.create_connection((host, port), source_address=("127.0.0.6", 0))]
        idle += [
            socket.create_connection((host, port), source_address=("127.0.0.6", 0))
            for _ in range(5)
        ]
        try:
            extra = idle[-1]
            extra.settimeout(5)
            assert extra.recv(100).startswith(b"HTTP/1.1 503")
            assert get(running, FAST)[0] == 200  # another address is still served
        finally:
            for sock in idle:
                sock.close()


def test_fallback_without_network_namespace(graph_file, monkeypatch, listener) -> None:
    """Where the kernel refuses a namespace, workers refuse any text with the word SERVICE."""
    monkeypatch.setenv(NETNS_ENV, "0")
    with serve_in_thread(graph_file, workers=1) as running:
        assert running.pool.network == "fallback"
        status, body = get(running, 'SELECT * WHERE { ?s ?p "service" } LIMIT 1')
        assert status == 403 and b"SERVICE" in body
        assert get(running, cr_comment_service(listener.url))[0] == 403
        assert get(running, FAST)[0] == 200
    monkeypatch.delenv(NETNS_ENV)
    with serve_in_thread(graph_file, workers=1) as running:  # control: allowed with a namespace
        assert get(running, 'SELECT * WHERE { ?s ?p "service" } LIMIT 1')[0] == 200
    assert listener.received == []


def test_cli_serve_subprocess_cr_attack_reaches_nothing(graph_file, listener) -> None:
    """`yuegang serve` as a user starts it: GET and POST of the CR attack, the canary silent."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from graph.cli import main; main()", "serve", "--graph"]
        + [str(graph_file), "--port", str(port), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.3)
        query = urllib.parse.urlencode({"query": cr_comment_service(listener.url)})
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", f"/sparql?{query}")
        assert conn.getresponse().status == 403
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "POST",
            "/sparql",
            body=query.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert conn.getresponse().status == 403
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    time.sleep(0.3)
    assert listener.received == []


# --------------------------------------------------------------------------- CLI


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_cli_query_cr_attack_on_both_engines(runner, graph_file, listener) -> None:
    for engine in ("oxigraph", "rdflib"):
        out = runner.invoke(
            app,
            ["query", cr_comment_service(listener.url), "-g", str(graph_file), "--engine"]
            + [engine],
        )
        assert out.exit_code == 2 and "SERVICE" in out.stderr
    assert listener.received == []


def billion_laughs(path: Path) -> Path:
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    ]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
        "<ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    return path


def test_cli_billion_laughs_hits_the_memory_limit(runner, tmp_path) -> None:
    path = billion_laughs(tmp_path / "laughs.rdf")
    assert path.stat().st_size < 1000
    out = runner.invoke(app, ["query", "ASK {}", "-g", str(path), "--memory-limit", "300"])
    assert out.exit_code == 3, out.output
    assert "memory limit of 300 MB" in out.stderr and "Traceback" not in out.output


def test_cli_timeout_covers_loading(runner, tmp_path) -> None:
    path = tmp_path / "big.nt"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(300_000):
            handle.write(f'<urn:s{i}> <urn:p> "{i}" .\n')
    out = runner.invoke(app, ["query", "ASK {}", "-g", str(path), "--timeout", "0.05"])
    assert out.exit_code == 3 and "loading" in out.stderr and "--timeout" in out.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_cli_deep_files_give_a_clear_error(runner, tmp_path, engine) -> None:
    deep_json = tmp_path / "deep.jsonld"
    depth = 200_000
    deep_json.write_text(
        '{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": '
        + "[" * depth
        + "1"
        + "]" * depth
        + "}",
        encoding="utf-8",
    )
    deep_ttl = tmp_path / "deep.ttl"
    deep_ttl.write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:p " + "(" * 5000 + "1" + ")" * 5000 + " .\n",
        encoding="utf-8",
    )
    for path in (deep_json, deep_ttl):
        out = runner.invoke(app, ["query", "ASK {}", "-g", str(path), "--engine", engine])
        assert "Traceback" not in out.output
        assert out.exit_code in (0, 2), out.output  # Oxigraph reads the deep list: fine
        if out.exit_code == 2:
            assert str(path.name) in out.stderr and "deep" in out.stderr


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_cli_remote_jsonld_context_is_not_fetched(runner, tmp_path, listener, engine) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(
        f'{{"@context": "{listener.url}", "@id": "http://example.org/a", "p": 1}}',
        encoding="utf-8",
    )
    out = runner.invoke(app, ["query", "ASK {}", "-g", str(path), "--engine", engine])
    assert out.exit_code == 2 and "remote.jsonld" in out.stderr or "fetch" in out.stderr
    assert "Traceback" not in out.output
    time.sleep(0.3)
    assert listener.received == []


def test_serve_refuses_a_billion_laughs_graph(tmp_path) -> None:
    """`yuegang serve --graph` loads the untrusted file under a memory limit: a clear error."""
    from graph.endpoint.server import ServeError, prepare_store

    path = billion_laughs(tmp_path / "laughs.rdf")
    with pytest.raises(ServeError, match="more than 300 MB"):
        prepare_store(path, memory_mb=300)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["serve", "--graph", str(bad), "--port", "0"])
    assert result.exit_code == 1 and "bad.ttl" in result.output
    assert "Traceback" not in result.output
