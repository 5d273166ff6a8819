"""graph.jsonld written without rdflib: the same bytes as rdflib's serializer, on the bundled
notice and on random graphs (where the direct writer does not follow rdflib, rdflib writes)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.rdf import jsonld
from graph.rdf.build import build_nt, graph_from_nt, serialize_jsonld
from graph.rdf.iris import PREFIXES


def by_rdflib(nt: bytes) -> bytes:
    return serialize_jsonld(graph_from_nt(nt))


def written(nt: bytes) -> bytes:
    """graph.jsonld of *nt* as the build writes it (directly, or by rdflib when it must)."""
    return serialize_jsonld(nt)


@pytest.fixture(scope="module")
def notice_nt(notice) -> bytes:
    return build_nt([notice])


def test_bundled_notice_same_bytes_as_rdflib_without_rdflib(notice_nt, monkeypatch):
    expected = by_rdflib(notice_nt)

    def no_rdflib(*args, **kwargs):
        raise AssertionError("the bundled notice's graph needs no rdflib")

    monkeypatch.setattr("graph.rdf.build.graph_from_nt", no_rdflib)
    assert written(notice_nt) == expected
    doc = json.loads(expected)
    assert len(doc["@graph"]) > 500  # a real document, not an empty one


def test_values_read_as_a_researcher_expects(notice_nt):
    nodes = {n["@id"]: n for n in json.loads(written(notice_nt))["@graph"]}
    agency = nodes["agency:gd-drc"]
    assert agency["@type"] == "org:Organization" or "org:Organization" in agency["@type"]
    labels = (
        agency["rdfs:label"] if isinstance(agency["rdfs:label"], list) else [agency["rdfs:label"]]
    )
    assert {"@language": "zh", "@value": "省发展改革委"} in labels


PREFIX_IRIS = sorted(PREFIXES.values())
LOCAL = st.sampled_from(["a", "b", "x-1", "", "项目", "a:b", "s/t"])
IRIS = st.one_of(
    st.builds(lambda ns, name: ns + name, st.sampled_from(PREFIX_IRIS), LOCAL),
    st.sampled_from(
        [
            "http://example.org/other/thing",
            "urn:x:y",
            "https://w3id.org/yuegang/doc/d1/item/1",
            PREFIXES["agency"],  # a namespace itself
        ]
    ),
)
XSD = PREFIXES["xsd"]
LITERALS = st.one_of(
    st.builds(lambda t: f'"{t}"', st.sampled_from(["", "0", "text", "文字", "a b"])),
    st.builds(
        lambda t, lang: f'"{t}"@{lang}',
        st.sampled_from(["", "x", "名"]),
        st.sampled_from(["zh", "en", "zh-Hans"]),
    ),
    st.builds(
        lambda lex, dt: f'"{lex}"^^<{XSD}{dt}>',
        st.sampled_from(
            [
                "0",
                "7",
                "007",
                "-3",
                "+5",
                "1.50",
                ".5",
                "true",
                "false",
                "1",
                "2017",
                "2017-03-01",
                "abc",
            ]
        ),
        st.sampled_from(
            [
                "integer",
                "boolean",
                "decimal",
                "nonNegativeInteger",
                "date",
                "gYear",
                "double",
                "string",
                "dateTime",
            ]
        ),
    ),
)
OBJECTS = st.one_of(IRIS.map(lambda i: f"<{i}>"), LITERALS, st.just("_:b1"))
PREDICATES = st.one_of(IRIS, st.just(PREFIXES["rdf"] + "type"), st.just(PREFIXES["rdf"] + "first"))
TRIPLES = st.lists(
    st.tuples(st.one_of(IRIS.map(lambda i: f"<{i}>"), st.just("_:b1")), PREDICATES, OBJECTS),
    max_size=12,
)


#: what the pipeline writes: IRIs, plain and tagged literals, typed literals in canonical form,
#: no value rdflib treats as empty: the direct writer must follow rdflib without handing over
CANONICAL_IRIS = st.builds(
    lambda ns, name: f"<{ns}{name}>",
    st.sampled_from(PREFIX_IRIS),
    st.sampled_from(["a", "b", "x-1", "项目", "a:b", "s/t"]),  # never a namespace itself
)
CANONICAL_TYPED = [
    f'"{lex}"^^<{XSD}{datatype}>'
    for lex, datatype in [
        ("7", "integer"), ("-3", "integer"), ("true", "boolean"), ("1.50", "decimal"),
        ("0.0", "decimal"), ("12", "nonNegativeInteger"), ("0", "nonNegativeInteger"),
        ("2017-03-01", "date"), ("2017", "gYear"),
    ]
]  # fmt: skip
CANONICAL_OBJECTS = st.one_of(
    CANONICAL_IRIS,
    st.just("<https://w3id.org/yuegang/doc/d1/item/2>"),
    st.sampled_from(['"text"', '"文字"', '"a b"', '"q\\"\\\\"']),
    st.builds(
        lambda t, lang: f'"{t}"@{lang}',
        st.sampled_from(["", "x", "名"]),
        st.sampled_from(["zh", "en"]),
    ),
    st.sampled_from(CANONICAL_TYPED),
)
CANONICAL_TRIPLES = st.lists(
    st.one_of(
        st.tuples(CANONICAL_IRIS, CANONICAL_IRIS.map(lambda i: i[1:-1]), CANONICAL_OBJECTS),
        st.tuples(CANONICAL_IRIS, st.just(PREFIXES["rdf"] + "type"), CANONICAL_IRIS),
    ),
    max_size=15,
)


def ntriples(triples) -> bytes:
    return "".join(f"{s} <{p}> {o} .\n" for s, p, o in triples).encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CANONICAL_TRIPLES)
def test_graphs_as_the_pipeline_writes_them_same_bytes_without_rdflib(triples):
    nt = ntriples(triples)
    assert jsonld.jsonld_from_nt(nt) == by_rdflib(nt)  # raises NeedsRdflib if it cannot


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TRIPLES)
def test_any_graph_same_bytes_as_rdflib(triples):
    """Blank nodes, lists, odd lexical forms, empty values: rdflib writes them."""
    nt = ntriples(triples)
    try:
        expected = by_rdflib(nt)
    except Exception:  # not a graph rdflib can write (e.g. a literal as rdf:type): skip
        return
    assert written(nt) == expected


def test_a_lone_node_sits_beside_the_context_as_in_rdflib():
    nt = b'<https://w3id.org/yuegang/agency/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .\n'
    assert written(nt) == by_rdflib(nt)
    assert "@context" in json.loads(written(nt))["@graph"][0]


def test_empty_graph():
    assert written(b"") == by_rdflib(b"")
