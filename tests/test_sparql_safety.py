"""SPARQL safety: updates, SERVICE and FROM are refused before any store sees the query.

A TCP listener on 127.0.0.1 stands in for a remote endpoint: refused queries must send it nothing.
A control test shows that the listener does see what an unguarded store sends.
"""

from __future__ import annotations

import pyoxigraph
import pytest
from listener import Listener

from graph.rdf.sparql_safety import QueryRefused, assert_safe, is_safe


def dangerous_queries(url: str) -> dict[str, str]:
    """Queries that would reach *url* or change data, keyed by what they try."""
    return {
        "service": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service silent": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "service in optional": (
            f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?q ?x }} }} }}"
        ),
        "service nested in union and subquery": (
            "SELECT * WHERE { { ?s ?p ?o } UNION { SELECT ?s WHERE { "
            f"OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }} }}"
        ),
        "service in exists": (
            f"ASK {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"
        ),
        "service in minus of construct": (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o "
            f"MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}"
        ),
        "service with variable": (
            f"SELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}"
        ),
        "service written with unicode escape": (
            f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}"
        ),
        "service lower case": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "from": f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
        "from named": f"SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        "load": f"LOAD <{url}>",
        "load silent into graph": f"LOAD SILENT <{url}> INTO GRAPH <urn:x>",
        "insert data": "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "delete where": "DELETE WHERE { ?s ?p ?o }",
        "delete insert": "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }",
        "clear": "CLEAR ALL",
        "drop": "DROP DEFAULT",
        "create": "CREATE GRAPH <urn:g>",
        "copy": "COPY DEFAULT TO <urn:g>",
        "query then update": f"SELECT * WHERE {{ ?s ?p ?o }} ; LOAD <{url}>",
    }


@pytest.mark.parametrize("name", sorted(dangerous_queries("http://x/")))
def test_dangerous_query_is_refused_and_nothing_is_sent(name: str, listener: Listener) -> None:
    query = dangerous_queries(listener.url)[name]
    store = pyoxigraph.Store()
    with pytest.raises(QueryRefused):
        assert_safe(query)
        store.query(query)  # only reached if assert_safe let it through
    assert not is_safe(query)
    listener.close()
    assert listener.received == []


def test_refusal_messages_say_what_was_refused() -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE <http://h/s>"):
        assert_safe("SELECT * WHERE { OPTIONAL { SERVICE SILENT <http://h/s> { ?s ?p ?o } } }")
    with pytest.raises(QueryRefused, match=r"FROM NAMED <http://h/g>"):
        assert_safe("SELECT * FROM NAMED <http://h/g> WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused, match=r"FROM <http://h/g>"):
        assert_safe("SELECT * FROM <http://h/g> WHERE { ?s ?p ?o }")
    with pytest.raises(QueryRefused, match=r"SPARQL Update \(LOAD\)"):
        assert_safe("LOAD <http://h/g>")
    with pytest.raises(QueryRefused, match=r"SPARQL Update \(INSERT DATA\)"):
        assert_safe("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryRefused, match=r"line 1, column"):
        assert_safe("SELEKT ?s WHERE { ?s ?p ?o }")


def test_refusal_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        assert_safe("DROP ALL")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
        "ASK { ?s ?p ?o }",
        "DESCRIBE <urn:a>",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        # the words only occur inside literals and IRIs, not as keywords
        'SELECT * WHERE { ?s ?p ?o FILTER(CONTAINS(STR(?o), "SERVICE <http://x/> LOAD FROM")) }',
        "SELECT * WHERE { <urn:service> <urn:from> ?o }",
        "PREFIX yg: <https://w3id.org/yuegang/ontology#> SELECT ?i WHERE { GRAPH ?g { ?i a yg:WorkItem } }",
    ],
)
def test_read_only_local_queries_pass(query: str) -> None:
    assert_safe(query)
    assert is_safe(query)


def test_listener_sees_an_unguarded_service_call(listener: Listener) -> None:
    """Control: the listener does record what pyoxigraph sends when nothing guards it."""
    store = pyoxigraph.Store()
    with pytest.raises(OSError):
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    listener.close()
    assert listener.received and listener.received[0].startswith(b"POST /sparql")


@pytest.mark.parametrize("name", ["service in optional", "from", "load", "service with variable"])
def test_run_query_and_cli_refuse_before_running(name: str, listener: Listener, tmp_path) -> None:
    """The query stage refuses too (on both engines), and the CLI exits with a message."""
    from typer.testing import CliRunner

    from graph.cli import app
    from graph.rdf.query import open_store, run_query

    graph_file = tmp_path / "g.ttl"
    graph_file.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    query = dangerous_queries(listener.url)[name]
    for engine in ("oxigraph", "rdflib"):
        with pytest.raises(QueryRefused):
            run_query(query, open_store(graph_file, engine=engine))
    out = CliRunner().invoke(app, ["query", query, "--graph", str(graph_file)])
    assert out.exit_code == 2
    assert "query refused" in out.stderr
    listener.close()
    assert listener.received == []
