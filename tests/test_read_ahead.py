"""Query results written ahead on a second thread (graph.network.read_ahead) and the store
reader that uses them (graph.network.networks.load_corpus)."""

from __future__ import annotations

import contextlib

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


@pytest.mark.parametrize("workers", [1, 2])
def test_results_equal_running_each_query_now(workers):
    store = _store()
    with ReadAhead(store, QUERIES, workers=workers) as ahead:
        got = [ahead.result(q) for q in reversed(QUERIES)][::-1]
        assert ahead.ran_here == [QUERIES[3], QUERIES[2]]  # beyond the window of 2: run here
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


def test_load_corpus_asks_a_store_for_what_it_planned(monkeypatch):
    """Every query the readers ask of a store is in ``READ_PLAN`` and was started before it
    was asked for (a reader that reads something else, or much earlier than planned, loses the
    read-ahead: update the plan), and the corpus equals the one read without reading ahead."""
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
    assert ahead.ran_here == []  # every query was written ahead
    assert sorted(ahead.asked) == sorted(ahead.plan)  # each once, none left over
    assert len(ahead.plan) == len(networks.READ_PLAN) == len(set(ahead.plan))
    assert len(corpus.items) == 77
    plain = networks.no_gc(lambda: networks._read_corpus(networks._Triples(store)))()
    assert corpus == plain


# --------------------------------------------------------------------------- assignments joined

YG = "https://w3id.org/yuegang/ontology#"
ITEM = "https://w3id.org/yuegang/doc/d/item/"
AG = "https://w3id.org/yuegang/agency/"
ROLE = "https://w3id.org/yuegang/role/"


def _assignment(item: str, n: int, agency: str | None, role: str | None, pos: int | None) -> str:
    node = f"<{ITEM}{item}/assignment/{n}>"
    lines = [
        f"<{ITEM}{item}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{YG}WorkItem> .",
        f"<{ITEM}{item}> <{YG}assignment> {node} .",
    ]
    if agency:
        lines.append(f"{node} <{YG}agency> <{AG}{agency}> .")
    if role:
        lines.append(f"{node} <{YG}role> <{ROLE}{role}> .")
    if pos is not None:
        lines.append(f'{node} <{YG}position> "{pos}"^^<http://www.w3.org/2001/XMLSchema#integer> .')
    return "\n".join(lines)


CLEAN = [
    _assignment("1", 1, "a", "lead", 1),
    _assignment("1", 2, "b", "support", 2),
    _assignment("2", 1, "b", "responsible", 1),
]
UNCLEAN = {
    "a node with two agencies": [
        *CLEAN,
        f"<{ITEM}2/assignment/1> <{YG}agency> <{AG}c> .",
    ],
    "a node without a role": [*CLEAN, _assignment("3", 1, "a", None, 1)],
    "a node without a position": [*CLEAN, _assignment("3", 1, "a", "lead", None)],
    "a node without an agency": [*CLEAN, _assignment("3", 1, None, "lead", 1)],
    "a node shared by two items": [*CLEAN, f"<{ITEM}2> <{YG}assignment> <{ITEM}1/assignment/1> ."],
    "one agency twice at one position": [
        *CLEAN,
        _assignment("3", 1, "a", "lead", 1),
        _assignment("3", 2, "a", "support", 1),
    ],
}


def _read_both(lines: list[str]):
    from rdflib import Graph

    text = "\n".join(lines) + "\n"
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_TRIPLES)
    t = networks._Triples(store)
    return (
        t,
        networks.load_corpus(store),
        networks.load_corpus(Graph().parse(data=text, format="nt")),
    )


def test_assignments_joined_in_the_store_when_each_node_is_plain():
    t, from_store, from_graph = _read_both(CLEAN)
    joined = networks._joined_assignments(t)
    assert joined is not None
    assert sorted(joined) == [f"{ITEM}1", f"{ITEM}2"]
    assert [(a.agency[-1], a.role, a.position) for a in joined[f"{ITEM}1"]] in (
        [("a", "lead", 1), ("b", "support", 2)],
        [("b", "support", 2), ("a", "lead", 1)],
    )
    assert from_store == from_graph


@pytest.mark.parametrize("case", sorted(UNCLEAN))
def test_other_assignment_shapes_read_node_by_node_as_rdflib_reads_them(case):
    """Anything but one agency, role and position per node, one item per node and one agency
    per position is read node by node (the general reader), as from an rdflib graph."""
    shared = "shared" in case
    with pytest.warns(networks.NetworkDataWarning) if shared else contextlib.nullcontext():
        t, from_store, from_graph = _read_both(UNCLEAN[case])
    assert networks._joined_assignments(t) is None
    assert len(from_store.items) >= 2
    if "twice" in case:  # the two tied records come in each graph's own order
        assert {i: sorted(map(repr, it.assignments)) for i, it in from_store.items.items()} == {
            i: sorted(map(repr, it.assignments)) for i, it in from_graph.items.items()
        }
    else:
        assert from_store == from_graph
