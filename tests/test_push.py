"""`yuegang push`: upload the built graph to a Graph Store Protocol endpoint.

The endpoint is a real Oxigraph server (the ``oxigraph`` binary) that the test starts on a free
loopback port with a fresh store; after the push it must answer the ready-made queries as
:mod:`graph.rdf.query` does on the same graph.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import BlankNode, RdfFormat, Store, serialize
from sparql_values import binding_value, cell_value
from SPARQLWrapper import JSON, SPARQLWrapper
from typer.testing import CliRunner

from graph.endpoint.push import PushError, load_triples, plan_batches, push_graph, target_url

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="the oxigraph server binary is not installed"
)


class Oxigraph:
    """An ``oxigraph serve`` process on 127.0.0.1 with its store in a temporary directory."""

    def __init__(self, location: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"oxigraph did not start: {self.process.stderr.read()!r}"
                    ) from None
                time.sleep(0.1)

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    def select(self, query: str) -> dict:
        client = SPARQLWrapper(self.base + "/query")
        client.setQuery(query)
        client.setReturnFormat(JSON)
        return client.queryAndConvert()

    def count(self, graph_iri: str | None = None) -> int:
        pattern = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}" if graph_iri else "?s ?p ?o"
        data = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
        return int(data["results"]["bindings"][0]["n"]["value"])

    def construct(self, graph_iri: str | None = None) -> rdflib.Graph:
        pattern = f"GRAPH <{graph_iri}> {{ ?s ?p ?o }}" if graph_iri else "?s ?p ?o"
        body = urllib.parse.urlencode({"query": f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {pattern} }}"})
        request = urllib.request.Request(
            self.base + "/query?" + body, headers={"Accept": "application/n-triples"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return rdflib.Graph().parse(data=response.read(), format="nt")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
        self.process.stderr.close()


@pytest.fixture
def oxigraph(tmp_path) -> Iterator[Oxigraph]:
    server = Oxigraph(tmp_path / "store")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def graph_file(rdf_graph, tmp_path_factory) -> Path:
    from graph.rdf.build import serialize_turtle

    path = tmp_path_factory.mktemp("push") / "graph.ttl"
    path.write_bytes(serialize_turtle(rdf_graph))
    return path


def as_stored(path: Path) -> rdflib.Graph:
    """The graph in *path* as an Oxigraph store keeps it (it stores integer subtypes such as
    xsd:nonNegativeInteger as xsd:integer), for comparing with what the server holds."""
    store = Store()
    store.load(path.read_bytes(), format=RdfFormat.from_extension(path.suffix[1:]))
    data = serialize(store.quads_for_pattern(None, None, None, None), format=RdfFormat.N_QUADS)
    return rdflib.Graph().parse(data=data, format="nt")


def test_pushed_graph_answers_the_ready_made_queries_like_yuegang_query(
    oxigraph, graph_file, rdf_graph
) -> None:
    from graph.endpoint.pages import example_queries
    from graph.rdf.query import open_store, run_query

    result = push_graph(oxigraph.store_url, graph_file, batch_size=500)
    assert result.triples == len(rdf_graph) and result.batches >= len(rdf_graph) // 500
    assert oxigraph.count() == len(rdf_graph)
    local = open_store(graph_file)
    examples = example_queries()
    assert examples
    answered = 0
    for entry in examples:
        # `yuegang query NAME` (default parameters bound) against the example's standard
        # SPARQL text (defaults written in) on the Oxigraph server
        expected_result = run_query(entry["name"], local, timeout=None)
        expected = Counter(tuple(cell_value(c) for c in row) for row in expected_result.rows)
        data = oxigraph.select(entry["query"])
        names = data["head"]["vars"]
        assert names == expected_result.columns, entry["name"]
        got = Counter(
            tuple(binding_value(row[n]) if n in row else None for n in names)
            for row in data["results"]["bindings"]
        )
        assert got == expected, entry["name"]
        answered += bool(got)
    # one notice: "agencies in several notices" is rightly empty; the others have rows
    assert answered >= len(examples) - 1


def test_cli_push_to_a_named_graph_with_progress(oxigraph, graph_file, rdf_graph) -> None:
    from graph.cli import app

    iri = "https://w3id.org/yuegang/graph/test"
    result = CliRunner().invoke(
        app,
        [
            "push",
            oxigraph.store_url,
            "--graph",
            iri,
            "--batch-size",
            "1000",
            "--source",
            str(graph_file),
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"sent {len(rdf_graph)} triples" in result.output
    assert oxigraph.count(iri) == len(rdf_graph)
    assert oxigraph.count() == 0  # nothing went to the default graph
    assert oxigraph.construct(iri).isomorphic(as_stored(graph_file))


def test_replace_swaps_the_content_and_post_adds(oxigraph, tmp_path) -> None:
    first = tmp_path / "first.nt"
    first.write_text('<http://example.org/a> <http://example.org/p> "1" .\n', encoding="utf-8")
    second = tmp_path / "second.nt"
    second.write_text('<http://example.org/b> <http://example.org/p> "2" .\n', encoding="utf-8")
    push_graph(oxigraph.store_url, first)
    push_graph(oxigraph.store_url, second)
    assert oxigraph.count() == 2
    push_graph(oxigraph.store_url, second, replace=True)
    assert oxigraph.count() == 1
    assert {str(s) for s in oxigraph.construct().subjects()} == {"http://example.org/b"}


def test_blank_node_groups_stay_in_one_batch(oxigraph, tmp_path) -> None:
    data = """
        @prefix ex: <http://example.org/> .
        ex:a ex:p [ ex:q [ ex:r "deep" ] ; ex:s "x" ] .
        ex:a ex:t "plain 1" . ex:b ex:t "plain 2" . ex:c ex:t "plain 3" .
        [ ex:u ex:a ] .
    """
    path = tmp_path / "bnodes.ttl"
    path.write_text(data, encoding="utf-8")
    triples = load_triples(path)
    batches = list(plan_batches(triples, 1))
    assert Counter(t for batch in batches for t in batch) == Counter(triples)
    homes: dict[BlankNode, set[int]] = {}
    for number, batch in enumerate(batches):
        for triple in batch:
            for term in (triple.subject, triple.object):
                if isinstance(term, BlankNode):
                    homes.setdefault(term, set()).add(number)
    assert homes and all(len(batch_numbers) == 1 for batch_numbers in homes.values())
    push_graph(oxigraph.store_url, path, batch_size=1)
    assert oxigraph.construct().isomorphic(as_stored(path))


def test_errors_name_the_batch_and_the_server_answer(oxigraph, graph_file, tmp_path) -> None:
    with pytest.raises(PushError, match="not an absolute IRI"):
        push_graph(oxigraph.store_url, graph_file, graph_iri="no iri")
    with pytest.raises(PushError, match="not an http"):
        target_url("ftp://example.org/store")
    # the query endpoint does not take N-Triples: the server's answer is reported
    with pytest.raises(PushError, match=r"batch 1/\d+ .*HTTP 4\d\d"):
        push_graph(oxigraph.base + "/query", graph_file, batch_size=100_000)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(PushError, match="cannot reach"):
        push_graph(f"http://127.0.0.1:{closed}/store", graph_file)
    with pytest.raises(PushError, match="no such graph file"):
        push_graph(oxigraph.store_url, tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/a> <http://example.org/p> .\n", encoding="utf-8")
    with pytest.raises(PushError, match="bad.ttl"):
        push_graph(oxigraph.store_url, bad)
    assert oxigraph.count() == 0


def test_cli_push_reports_errors_without_traceback(graph_file) -> None:
    from graph.cli import app

    result = CliRunner().invoke(app, ["push", "not-a-url", "--source", str(graph_file)])
    assert result.exit_code == 1
    assert "not an http(s) URL" in result.output and "Traceback" not in result.output


def test_load_triples_reads_files_dirs_and_graphs(graph_file, rdf_graph) -> None:
    assert len(load_triples(graph_file)) == len(rdf_graph)
    assert len(load_triples(graph_file.parent)) == len(rdf_graph)
    assert len(load_triples(rdf_graph)) == len(rdf_graph)
    assert target_url("http://h/store?x=1", "urn:g") == "http://h/store?x=1&graph=urn%3Ag"


# --------------------------------------------------------------------------- a store that lies


class FlakyStore:
    """A Graph Store stand-in on 127.0.0.1 that redirects, fails, stalls or drops writes.

    *redirect*: status (301/302/303/307/308) answered to writes at ``/store``, pointing to
    ``/real``; *fail_at* / *stall_at*: the write number (1-based) answered 500 / answered only
    after *stall* seconds; *drop*: answer 204 to writes and keep nothing.
    """

    def __init__(self, redirect=None, fail_at=None, stall_at=None, stall=3.0, drop=False):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.store = Store()
        self.writes = 0
        self.requests: list[tuple[str, str, int]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _write(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
                owner.requests.append((self.command, self.path, len(body)))
                if redirect and self.path.startswith("/store"):
                    self.send_response(redirect)
                    self.send_header("Location", self.path.replace("/store", "/real"))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                owner.writes += 1
                if owner.writes == fail_at:
                    self.send_response(500)
                    self.send_header("Content-Length", "4")
                    self.end_headers()
                    self.wfile.write(b"oops")
                    return
                if owner.writes == stall_at:
                    time.sleep(stall)
                if not drop:
                    if self.command == "PUT":
                        owner.store.clear()
                    owner.store.load(body, format=RdfFormat.N_TRIPLES)
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = _write

            def do_GET(self) -> None:
                owner.requests.append(("GET", self.path, 0))
                data = (
                    serialize(
                        [q.triple for q in owner.store.quads_for_pattern(None, None, None, None)],
                        format=RdfFormat.N_TRIPLES,
                    )
                    or b""
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/n-triples")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def __len__(self) -> int:
        return len(self.store)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def small_graph(tmp_path) -> Path:
    path = tmp_path / "small.nt"
    path.write_text(
        "".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(50))
        + "<urn:a> <urn:q> _:b .\n_:b <urn:q> <urn:c> .\n",
        encoding="utf-8",
    )
    return path


def flat(out) -> str:
    """The CLI output with rich's line wrapping undone."""
    return " ".join(out.output.split())


def _cli_push(url: str, source: Path, *extra: str):
    from graph.cli import app

    return CliRunner().invoke(
        app, ["push", url, "--source", str(source), "--batch-size", "10", *extra]
    )


@pytest.mark.parametrize("code", [301, 302, 303])
def test_push_refuses_a_redirect_that_drops_the_body(small_graph, code) -> None:
    store = FlakyStore(redirect=code)
    try:
        out = _cli_push(store.url, small_graph)
    finally:
        store.close()
    assert out.exit_code == 1 and "Traceback" not in flat(out)
    assert f"HTTP {code}" in flat(out) and "/real?default" in flat(out)
    assert "no batch landed" in flat(out) and "--resume-from 1" in flat(out)
    assert len(store) == 0 and all(
        method != "GET" or "real" not in path for method, path, _ in store.requests
    )


@pytest.mark.parametrize("code", [307, 308])
def test_push_follows_307_and_308_with_method_and_body(small_graph, code) -> None:
    store = FlakyStore(redirect=code)
    try:
        out = _cli_push(store.url, small_graph, "--replace")
    finally:
        store.close()
    assert out.exit_code == 0, out.output
    assert "sent 52 triples" in flat(out) and "holds them all" in flat(out)
    assert len(store) == 52
    follows = [r for r in store.requests if r[1].startswith("/real") and r[0] != "GET"]
    assert follows[0][0] == "PUT" and all(r[2] > 0 for r in follows)


def test_push_failing_mid_way_says_what_landed_and_resumes(small_graph) -> None:
    store = FlakyStore(fail_at=3)
    try:
        out = _cli_push(store.url, small_graph)
        assert out.exit_code == 1
        assert "batch 3/" in flat(out) and "HTTP 500" in flat(out)
        assert "batches 1–2 landed (20 triples)" in flat(out)
        assert "the graph now holds 20 triples" in flat(out) and "--resume-from 3" in flat(out)
        assert len(store) == 20
        out = _cli_push(store.url, small_graph, "--resume-from", "3")
        assert out.exit_code == 0, out.output
        assert len(store) == 52
    finally:
        store.close()


def test_push_timing_out_is_not_a_success(small_graph) -> None:
    store = FlakyStore(stall_at=2, stall=4)
    try:
        out = _cli_push(store.url, small_graph, "--timeout", "1")
    finally:
        store.close()
    assert out.exit_code == 1
    assert "batch 2/" in flat(out) and "batches 1–1 landed (10 triples)" in flat(out)
    assert "may have landed" in flat(out) and "--resume-from 2" in flat(out)


def test_push_to_a_store_that_drops_writes_fails(small_graph) -> None:
    store = FlakyStore(drop=True)
    try:
        out = _cli_push(store.url, small_graph)
    finally:
        store.close()
    assert out.exit_code == 1
    assert "does not hold what was sent" in flat(out) and "50 of 50 triples are missing" in flat(
        out
    )
    assert "it holds 0 triples" in flat(out)


def test_push_reads_an_untrusted_file_under_a_memory_limit(tmp_path, monkeypatch) -> None:
    """A 952-byte billion-laughs RDF/XML stops at the reader's memory limit, before any send."""
    import graph.endpoint.push as push

    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "laughs.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        + "\n".join(entities)
        + '\n]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://example.org/">\n<rdf:Description rdf:about="http://example.org/a">'
        "<ex:p>&lol9;</ex:p></rdf:Description>\n</rdf:RDF>\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(push, "LOAD_MEMORY_MB", 300)
    with pytest.raises(PushError, match="more than 300 MB"):
        load_triples(path)
