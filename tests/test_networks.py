"""Networks built from the RDF graph: a hand-made notice and the bundled 2017 notice.

The hand-made notice (tests/fixtures/networks/small.ttl) has 6 items:

    item  section  agencies (role)                        themes / places
    1     1        a (lead), b (support), c (support)      一带一路 / 香港
    2     1        a, b                                    21世纪海上丝绸之路 (narrower than 一带一路)
    3     2.1      b (lead), d                             澳门
    4     2        戊 (unknown agency)
    5     2        a, c (only yg:responsibleAgency, no assignment nodes)   香港
    6     2        (none)

so, worked out by hand: items a 3 (1,2,5), b 3 (1,2,3), c 2 (1,5), d 1 (3), 戊 1 (4); edges
a–b 2 items (1,2), a–c 2 (1,5), b–c 1 (1), b–d 1 (3); Newman weights (1/(n-1) per shared item,
item 1 has 3 agencies): a–b 1/2 + 1 = 1.5, a–c 1/2 + 1 = 1.5, b–c 1/2, b–d 1. Agency f has no item.
"""

from __future__ import annotations

import itertools
import json
import warnings
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from graph.network.networks import (
    agency_network,
    bipartite_network,
    item_label_key,
    load_corpus,
    place_network,
    section_agency_matrix,
    theme_network,
)

FIXTURES = Path(__file__).parent / "fixtures" / "networks"
REFERENCE = Path(__file__).parent / "data" / "reference" / "yuegang-2017-annotations.json"


@pytest.fixture(scope="module")
def small() -> Graph:
    return Graph().parse(FIXTURES / "small.ttl")


@pytest.fixture(scope="module")
def notice() -> Graph:
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    return build_graph([extract_file(None)])


def edges(G) -> dict[tuple[str, str], dict]:
    return {tuple(sorted((u, v))): d for u, v, d in G.edges(data=True)}


# --------------------------------------------------------------------------- hand-made notice


def test_agency_network_counts_shared_items(small):
    G = agency_network(small)
    assert dict(G.nodes(data="items")) == {"a": 3, "b": 3, "c": 2, "d": 1, "unknown-0123456789": 1}
    assert {k: (d["weight"], d["items"]) for k, d in edges(G).items()} == {
        ("a", "b"): (2, ["1", "2"]),
        ("a", "c"): (2, ["1", "5"]),
        ("b", "c"): (1, ["1"]),
        ("b", "d"): (1, ["3"]),
    }
    assert {k: d["newman"] for k, d in edges(G).items()} == pytest.approx(
        {("a", "b"): 1.5, ("a", "c"): 1.5, ("b", "c"): 0.5, ("b", "d"): 1.0}
    )


def test_agency_nodes_carry_the_contract_attributes(small):
    G = agency_network(small)
    assert "f" not in G  # in the graph, but responsible for nothing
    assert G.degree("unknown-0123456789") == 0  # an isolate is still a node
    assert G.nodes["a"] == {
        "iri": "https://w3id.org/yuegang/agency/a",
        "name": "省甲",
        "full_name": "广东省甲厅",
        "label_en": "Department A",
        "kind": "provincial-department",
        "known": True,
        "items": 3,
        "item_labels": ["1", "2", "5"],
    }
    unknown = G.nodes["unknown-0123456789"]
    assert (unknown["known"], unknown["label_en"], unknown["name"]) == (False, "", "戊<办>")
    assert list(G) == sorted(G)  # sorted insertion keeps every measure reproducible


def test_graph_attributes_describe_items(small):
    G = agency_network(small)
    assert G.graph["item_sections"] == {"1": "1", "2": "1", "3": "2", "4": "2", "5": "2", "6": "2"}
    assert G.graph["item_agency_counts"] == {"1": 3, "2": 2, "3": 2, "4": 1, "5": 2, "6": 0}
    assert G.graph["documents"] == ["测试〔2020〕1号"]


@pytest.mark.parametrize(
    ("filters", "nodes", "edge_weights"),
    [
        # theme 一带一路 takes in its narrower theme 21世纪海上丝绸之路 (item 2): items 1, 2
        ({"theme": "一带一路"}, {"a", "b", "c"}, {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}),
        ({"theme": "belt-road"}, {"a", "b", "c"}, {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}),
        ({"theme": "21st-Century Maritime Silk Road"}, {"a", "b"}, {("a", "b"): 1}),
        ({"place": "香港"}, {"a", "b", "c"}, {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 1}),
        (
            {"place": ["Macao", "hong-kong"]},
            {"a", "b", "c", "d"},
            {("a", "b"): 1, ("a", "c"): 2, ("b", "c"): 1, ("b", "d"): 1},
        ),
        ({"section": 1}, {"a", "b", "c"}, {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1}),
        ({"section": "2.1"}, {"b", "d"}, {("b", "d"): 1}),
        (
            {"section": "服务业"},
            {"a", "b", "c", "d", "unknown-0123456789"},
            {("a", "c"): 1, ("b", "d"): 1},
        ),
        ({"role": "lead"}, {"a", "b"}, {}),  # items 1 and 3 have one lead each
        ({"kind": "provincial-department"}, {"a", "b"}, {("a", "b"): 2}),
        (
            {"kind": ["central-branch", "provincial-department"]},
            {"a", "b", "d"},
            {("a", "b"): 2, ("b", "d"): 1},
        ),
        (
            {"document": "test-2020-1"},
            {"a", "b", "c", "d", "unknown-0123456789"},
            {("a", "b"): 2, ("a", "c"): 2, ("b", "c"): 1, ("b", "d"): 1},
        ),
        (
            {"document": "测试〔2020〕1号", "section": 1, "theme": "一带一路"},
            {"a", "b", "c"},
            {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1},
        ),
    ],
)
def test_filters(small, filters, nodes, edge_weights):
    G = agency_network(small, **filters)
    assert set(G) == nodes
    assert {k: d["weight"] for k, d in edges(G).items()} == edge_weights


def test_lead_filter_counts_only_lead_items(small):
    G = agency_network(small, role="lead")
    assert dict(G.nodes(data="item_labels")) == {"a": ["1"], "b": ["3"]}


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"theme": "没有"}, "no theme matches '没有'; known themes: 21世纪海上丝绸之路, 一带一路"),
        ({"place": "北京"}, "no place matches '北京'"),
        ({"section": "9"}, None),  # a number that matches nothing is an empty network, not an error
        ({"section": "不存在"}, "no section matches '不存在'"),
        ({"document": "x"}, "no document matches 'x'"),
        ({"role": "boss"}, "role must be one of lead, support, responsible"),
        ({"kind": "ministry"}, "no agency kind matches ['ministry']"),
    ],
)
def test_bad_filter_values_are_named(small, filters, message):
    if message is None:
        assert agency_network(small, **filters).number_of_nodes() == 0
        return
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        agency_network(small, **filters)


def test_bipartite_network(small):
    B = bipartite_network(small)
    items = {v for v, d in B.nodes(data=True) if d["bipartite"] == 1}
    assert items == {f"item:{n}" for n in range(1, 7)}  # item 6 (no agency) stays, unlinked
    assert B.degree("item:6") == 0
    assert B.nodes["item:3"] == {
        "bipartite": 1,
        "iri": "https://w3id.org/yuegang/doc/test-2020-1/item/3",
        "number": 3,
        "label": "3",
        "text": "金融合作，涉及澳门。",
        "section": 2,
        "section_title": "服务业",
        "subsection": 1,
        "subsection_title": "金融",
        "themes": [],
        "places": ["澳门"],
        "document": "测试〔2020〕1号",
    }
    assert B.nodes["item:2"]["themes"] == ["21世纪海上丝绸之路"]
    assert B.edges["a", "item:1"] == {"role": "lead", "position": 1}
    assert B.edges["c", "item:1"] == {"role": "support", "position": 3}
    assert B.edges["a", "item:5"] == {"role": "responsible", "position": None}
    assert B.nodes["a"]["bipartite"] == 0 and B.nodes["a"]["items"] == 3
    # with an assignment filter, items left without agency drop out
    assert {v for v in bipartite_network(small, role="lead") if v.startswith("item:")} == {
        "item:1",
        "item:3",
    }


def test_theme_and_place_networks(small):
    T = theme_network(small)
    # item 2 is tagged 21世纪海上丝绸之路, narrower than 一带一路: it counts under both
    assert {k: (d["weight"], d["items"]) for k, d in edges(T).items()} == {
        ("a", "theme:belt-road"): (2, ["1", "2"]),
        ("b", "theme:belt-road"): (2, ["1", "2"]),
        ("c", "theme:belt-road"): (1, ["1"]),
        ("a", "theme:maritime-silk-road"): (1, ["2"]),
        ("b", "theme:maritime-silk-road"): (1, ["2"]),
    }
    assert T.nodes["theme:belt-road"]["name"] == "一带一路"
    assert (T.nodes["theme:belt-road"]["items"], T.nodes["theme:belt-road"]["direct_items"]) == (
        2,
        1,
    )
    assert T.nodes["theme:maritime-silk-road"]["items"] == 1
    assert T.nodes["theme:maritime-silk-road"]["broader"] == ["belt-road"]
    P = place_network(small)
    assert {k: d["weight"] for k, d in edges(P).items()} == {
        ("a", "place:hong-kong"): 2,
        ("b", "place:hong-kong"): 1,
        ("c", "place:hong-kong"): 2,
        ("b", "place:macao"): 1,
        ("d", "place:macao"): 1,
    }
    hk = P.nodes["place:hong-kong"]
    assert (hk["name"], hk["label_en"], hk["lat"], hk["long"], hk["items"]) == (
        "香港",
        "Hong Kong",
        22.3,
        114.2,
        2,
    )
    assert P.nodes["place:macao"]["lat"] is None
    assert "unknown-0123456789" not in P  # names no place


def test_section_agency_matrix(small):
    M = section_agency_matrix(small)
    assert list(M.index) == ["1", "2"]
    assert M.loc["1"].to_dict() == {"a": 2, "b": 2, "c": 1, "d": 0, "unknown-0123456789": 0}
    assert M.loc["2"].to_dict() == {"a": 1, "b": 1, "c": 1, "d": 1, "unknown-0123456789": 1}
    S = section_agency_matrix(small, level="subsection", columns="name")
    assert list(S.index) == ["1", "2", "2.1"]
    assert S.loc["2.1"].to_dict() == {"省甲": 0, "省乙": 1, "丙市政府": 0, "丁分行": 1, "戊<办>": 0}
    with pytest.raises(ValueError, match="level must be"):
        section_agency_matrix(small, level="chapter")


def test_shared_assignment_nodes_warn_and_fall_back(small):
    """Two items pointing at one assignment node is broken input: warn, use responsibleAgency."""
    from rdflib import URIRef

    from graph.network.networks import YG, NetworkDataWarning

    g = Graph()
    for t in small:
        g.add(t)
    d = "https://w3id.org/yuegang/doc/test-2020-1/item/"
    g.add((URIRef(d + "3"), YG.assignment, URIRef(d + "2/assignment/1")))
    with pytest.warns(NetworkDataWarning, match="linked from several items"):
        G = agency_network(g)
    assert dict(G.nodes(data="items")) == {"a": 3, "b": 3, "c": 2, "d": 1, "unknown-0123456789": 1}
    # the same from a Store, which finds the items to fall back on by a query and lookups
    import pyoxigraph as ox

    store = ox.Store()
    store.load(g.serialize(format="nt"), format=ox.RdfFormat.N_TRIPLES)
    with pytest.warns(NetworkDataWarning, match="linked from several items"):
        S = agency_network(store)
    assert dict(S.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(S.edges(data="items")) == sorted(G.edges(data="items"))
    with pytest.warns(NetworkDataWarning):
        assert load_corpus(store) == load_corpus(g)


def test_item_labels_sort_naturally():
    assert sorted(["10", "2", "5-2", "5", "2.10", "2.3"], key=item_label_key) == [
        "2",
        "2.3",
        "2.10",
        "5",
        "5-2",
        "10",
    ]


def test_several_notices_label_items_by_document(small):
    """Two notices in one graph: labels become '{slug}/{n}' and sections stay apart."""
    from rdflib import Literal, URIRef

    g = Graph()
    old, new = (
        "https://w3id.org/yuegang/doc/test-2020-1",
        "https://w3id.org/yuegang/doc/test-2021-2",
    )
    for s, p, o in small:
        g.add((s, p, o))
        if str(s).startswith(old) or str(o).startswith(old):
            s2 = URIRef(str(s).replace(old, new)) if str(s).startswith(old) else s
            o2 = (
                URIRef(str(o).replace(old, new))
                if isinstance(o, URIRef) and str(o).startswith(old)
                else o
            )
            if str(p).endswith("identifier"):
                o2 = Literal("测试〔2021〕2号")
            g.add((s2, p, o2))
    G = agency_network(g)
    assert G.nodes["a"]["item_labels"] == [
        "test-2020-1/1",
        "test-2020-1/2",
        "test-2020-1/5",
        "test-2021-2/1",
        "test-2021-2/2",
        "test-2021-2/5",
    ]
    assert G.edges["a", "b"]["weight"] == 4
    assert G.graph["item_sections"]["test-2021-2/3"] == "test-2021-2/2"
    one = agency_network(g, document="测试〔2021〕2号")
    assert one.edges["a", "b"]["items"] == ["test-2021-2/1", "test-2021-2/2"]


# --------------------------------------------------------------------------- the bundled notice


def reference_counts() -> tuple[Counter, Counter, int]:
    """Items per agency name and shared items per pair, from the hand-made reference annotation."""
    ref = json.loads(REFERENCE.read_text(encoding="utf-8"))
    items: Counter = Counter()
    pairs: Counter = Counter()
    several = 0
    for item in ref["items"]:
        names = sorted({a["name"] for a in item["agencies"]})
        items.update(names)
        pairs.update(itertools.combinations(names, 2))
        several += len(names) > 1
    return items, pairs, several


def test_notice_matches_the_reference_annotation(notice):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = agency_network(notice)
    items, pairs, several = reference_counts()
    assert {d["name"]: d["items"] for _, d in G.nodes(data=True)} == dict(items)
    mine = {
        tuple(sorted((G.nodes[u]["name"], G.nodes[v]["name"]))): w
        for u, v, w in G.edges(data="weight")
    }
    assert G.number_of_edges() == len(pairs)
    assert mine == dict(pairs)
    assert sum(1 for c in G.graph["item_agency_counts"].values() if c > 1) == several
    assert len(G.graph["item_agency_counts"]) == 77


def test_notice_edges_list_the_shared_items(notice):
    """Each edge's item list is exactly the items both agencies are responsible for."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = agency_network(notice)
        corpus = load_corpus(notice)
    for u, v, d in G.edges(data=True):
        shared = sorted(
            set(G.nodes[u]["item_labels"]) & set(G.nodes[v]["item_labels"]), key=item_label_key
        )
        assert d["items"] == shared and d["weight"] == len(shared)
    assert len(corpus.items) == 77


def test_store_and_rdflib_graph_give_the_same_corpus():
    """The networks read the same records from a pyoxigraph Store as from an rdflib Graph."""
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph, build_store

    extraction = extract_file(None)
    from_store = load_corpus(build_store([extraction]))
    from_graph = load_corpus(build_graph([extraction]))
    assert len(from_store.items) == len(extraction["items"])  # positive control
    assert from_store.agencies and from_store.places and from_store.themes
    assert from_store == from_graph
    A, B = agency_network(from_store), agency_network(from_graph)
    assert sorted(A.edges(data=True)) == sorted(B.edges(data=True))


def test_store_reads_the_hand_made_notice_like_rdflib(small):
    """Odd but legal data (roles as literals, items without assignment nodes …) from a Store."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(path=FIXTURES / "small.ttl", format=ox.RdfFormat.TURTLE)
    from_store, from_graph = load_corpus(store), load_corpus(small)
    assert len(from_graph.items) == 6
    assert from_store == from_graph


def test_store_reader_keeps_escaped_text_and_numbers():
    """Texts with tabs, newlines, quotes, backslashes and astral characters, and numbers that
    SPARQL results write bare, read from a Store exactly as from rdflib."""
    import pyoxigraph as ox

    ttl = r"""
@prefix yg: <https://w3id.org/yuegang/ontology#> .
@prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/yuegang/doc/d/item/1> a yg:WorkItem ; yg:number 1 ;
    yg:text "一\t二\n\"三\" \\ 四 𠀀 \u00e9"@zh ; yg:inDocument <https://w3id.org/yuegang/doc/d> ;
    yg:mentionsPlace <https://w3id.org/yuegang/place/p> ; yg:assignment <https://w3id.org/yuegang/a/1> .
<https://w3id.org/yuegang/a/1> yg:agency <https://w3id.org/yuegang/agency/x> ; yg:role "lead" ;
    yg:position 1 .
<https://w3id.org/yuegang/agency/x> yg:known true ; skos:prefLabel "甲"@zh .
<https://w3id.org/yuegang/place/p> a yg:Place ; geo:lat 22.50 ; geo:long 1.5e2 .
"""
    store = ox.Store()
    store.load(ttl, format=ox.RdfFormat.TURTLE)
    from_store, from_graph = (
        load_corpus(store),
        load_corpus(Graph().parse(data=ttl, format="turtle")),
    )
    item = from_store.items["https://w3id.org/yuegang/doc/d/item/1"]
    assert item.text == '一\t二\n"三" \\ 四 𠀀 é'
    assert from_store.places["https://w3id.org/yuegang/place/p"].long == 150.0
    assert from_store.agencies["https://w3id.org/yuegang/agency/x"].known is True
    assert item.assignments[0].role == "lead" and item.assignments[0].position == 1
    assert from_store == from_graph


def test_store_predicates_read_from_sparql_tsv_equal_a_pattern_scan():
    """The Store readers take each predicate from Oxigraph's SPARQL TSV results: the same
    values, in the same order, as turning each quad of a pattern scan into Python values,
    for every kind of term (blank nodes, bare numbers, odd datatypes, escapes, tags)."""
    import pyoxigraph as ox

    from graph.network.networks import _ox_value, _tsv_objects

    x = "<http://www.w3.org/2001/XMLSchema#"
    objects = [
        r'"tab\there, new\nline, \"quoted\", back\\slash, 𠀀 é \u0001"',
        f'"01"^^{x}integer>',
        f'"-1.50"^^{x}decimal>',
        f'".5"^^{x}decimal>',
        f'"1.5e2"^^{x}double>',
        f'"1.5E2"^^{x}double>',
        f'"NaN"^^{x}double>',
        f'"-INF"^^{x}double>',
        f'"true"^^{x}boolean>',
        f'"0"^^{x}boolean>',
        f'"abc"^^{x}integer>',
        f'"5"^^{x}nonNegativeInteger>',
        f'"2020-01-01"^^{x}date>',
        '"x"^^<http://example.com/dt#custom>',
        '"中文"@zh-Hant-HK',
        '"text with _:b0 and <iri> in it"@en',
        '"ends with a quote\\""',
        "_:b1",
        "<http://example.com/o#x>",
    ]
    lines = [
        f"<http://example.com/s{i % 7}> <http://example.com/p> {o} ." for i, o in enumerate(objects)
    ]
    lines.append("_:b1 <http://example.com/p> <http://example.com/o> .")
    store = ox.Store()
    store.load("\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    scanned: dict[str, list] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode("http://example.com/p"), None):
        scanned.setdefault(q.subject.value, []).append(_ox_value(q.object))
    read = _tsv_objects(store, "http://example.com/p")
    assert sum(len(v) for v in scanned.values()) == len(objects) + 1  # positive control
    assert read == scanned
    assert [list(v) for v in read.items()] == [list(v) for v in scanned.items()]  # same order
    assert _tsv_objects(store, "http://example.com/nothing") == {}
