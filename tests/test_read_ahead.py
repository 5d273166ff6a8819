"""Query results written ahead on a second thread (graph.network.read_ahead) and the store
reader that uses them (graph.network.networks.load_corpus)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.network import networks
from graph.network.read_ahead import ReadAhead, tsv_bytes


def _store(n: int = 300) -> ox.Store:
    store = ox.Store()
    lines = [
        f'<http://e/s{i}> <http://e/p{i % 3}> "v{i}\\ttab"@zh .\n<http://e/s{i}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://e/T> .'
        for i in range(n)
    ]
    store.load("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    return store


QUERIES = [f"SELECT ?s ?o WHERE {{ ?s <http://e/p{k}> ?o }}" for k in range(3)] + [
    "SELECT ?s WHERE { ?s a <http://e/T> }"
]


def test_results_equal_running_each_query_now():
    store = _store()
    with ReadAhead(store, QUERIES) as ahead:
        got = [ahead.result(q) for q in QUERIES]
    assert got == [tsv_bytes(store, q) for q in QUERIES]
    assert all(len(g.splitlines()) > 100 for g in got)  # positive control: real results


def test_queries_out_of_plan_or_out_of_order_are_run_by_the_caller():
    store = _store()
    other = "SELECT ?o WHERE { <http://e/s1> ?p ?o }"
    with ReadAhead(store, QUERIES, ahead=1) as ahead:
        late, unplanned, first = (
            ahead.result(QUERIES[3]),
            ahead.result(other),
            ahead.result(QUERIES[0]),
        )
        rest = [ahead.result(q) for q in QUERIES[1:3]]
        assert ahead.asked == [QUERIES[3], other, QUERIES[0], *QUERIES[1:3]]
    assert late == tsv_bytes(store, QUERIES[3])
    assert unplanned == tsv_bytes(store, other)
    assert [first, *rest] == [tsv_bytes(store, q) for q in QUERIES[:3]]


def test_a_failing_query_raises_where_its_result_is_asked_for():
    store = _store()
    bad = "SELECT ?s WHERE { ?s <http://e/p0> }"  # not SPARQL
    with ReadAhead(store, [bad, QUERIES[0]]) as ahead:
        with pytest.raises(SyntaxError):
            ahead.result(bad)
        assert ahead.result(QUERIES[0]) == tsv_bytes(store, QUERIES[0])


def test_leaving_early_drops_the_rest():
    store = _store()
    with ReadAhead(store, QUERIES) as ahead:
        ahead.result(QUERIES[0])
    assert ahead._pool._shutdown  # the thread is gone; nothing is left running


def test_load_corpus_reads_a_store_in_the_planned_order(monkeypatch):
    """Every query the readers ask of a store is in ``READ_PLAN``, in the plan's order (a
    reader that reads something else, or in another order, loses the read-ahead: update the
    plan), and the corpus equals the one read without reading ahead."""
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_store

    made: list[ReadAhead] = []

    class Recording(ReadAhead):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(networks, "ReadAhead", Recording)
    store = build_store([extract_file(None)])
    corpus = networks.load_corpus(store)
    (ahead,) = made
    assert ahead.asked == ahead.plan
    assert len(ahead.plan) == len(networks.READ_PLAN) == len(set(ahead.plan))
    assert len(corpus.items) == 77
    plain = networks.no_gc(lambda: networks._read_corpus(networks._Triples(store)))()
    assert corpus == plain
