"""Each measure on a small hand-made graph, with the result worked out by hand in a comment."""

from __future__ import annotations

import math
import os
import random
import signal
from fractions import Fraction
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph

from graph.network.measures import (
    MEASURE_COLUMNS,
    MEASURES,
    NETWORKX_LOUVAIN_MAX,
    agency_measures,
    betweenness,
    closeness,
    eigenvector,
    gini,
    measures_table,
    network_summary,
    participation,
    structural_holes,
    with_measures,
)
from graph.network.networks import agency_network

SMALL = Path(__file__).parent / "fixtures" / "networks" / "small.ttl"


def weighted(edges: list[tuple[str, str, int]], isolates: tuple[str, ...] = ()) -> nx.Graph:
    G = nx.Graph()
    G.add_nodes_from(sorted({x for e in edges for x in e[:2]} | set(isolates)))
    for u, v, w in edges:
        G.add_edge(u, v, weight=w)
    return G


def test_items_partners_weighted_degree_on_the_small_notice():
    # small.ttl (see tests/test_networks.py): a–b 2, a–c 2, b–c 1, b–d 1, 戊 alone
    # partners a 2, b 3, c 2, d 1, 戊 0; weighted degree a 4, b 4, c 3, d 1, 戊 0
    G = agency_network(Graph().parse(SMALL))
    m = agency_measures(G)
    assert {v: m[v]["partners"] for v in G} == {
        "a": 2,
        "b": 3,
        "c": 2,
        "d": 1,
        "unknown-0123456789": 0,
    }
    assert {v: m[v]["weighted_degree"] for v in G} == {
        "a": 4,
        "b": 4,
        "c": 3,
        "d": 1,
        "unknown-0123456789": 0,
    }
    assert {v: m[v]["items"] for v in G} == {
        "a": 3,
        "b": 3,
        "c": 2,
        "d": 1,
        "unknown-0123456789": 1,
    }
    # Newman weights: a–b 1.5, a–c 1.5 → a 3.0; b: 1.5 + 0.5 + 1 = 3.0; c 2.0; d 1.0
    n = agency_measures(G, weight="newman")
    assert {v: n[v]["weighted_degree"] for v in G} == pytest.approx(
        {"a": 3.0, "b": 3.0, "c": 2.0, "d": 1.0, "unknown-0123456789": 0.0}
    )


def test_betweenness_reads_shared_items_as_closeness():
    # a–b 3 items, b–c 3 items, a–c 1 item. Distances 1/w: a–b 1/3, b–c 1/3, a–c 1.
    # a→c via b = 2/3 < 1 direct, so b lies on the only shortest a–c path: betweenness(b) = 1
    # (normalised by (n-1)(n-2)/2 = 1). Reading the weight as a distance (via b = 6 > 1) or
    # ignoring it (direct edge) would give b = 0.
    m = agency_measures(weighted([("a", "b", 3), ("b", "c", 3), ("a", "c", 1)]))
    assert [m[v]["betweenness"] for v in "abc"] == pytest.approx([0.0, 1.0, 0.0])


def test_betweenness_of_a_star_and_its_sampling():
    # star: centre on all 3 leaf pairs' paths → 3 / ((4-1)(4-2)/2) = 1; leaves 0
    G = weighted([("h", "x", 1), ("h", "y", 1), ("h", "z", 1)])
    assert agency_measures(G)["h"]["betweenness"] == pytest.approx(1.0)
    big = nx.relabel_nodes(nx.gnm_random_graph(60, 150, seed=1), lambda v: f"n{v:02d}")
    nx.set_edge_attributes(big, 1, "weight")
    H1 = with_measures(big, betweenness_k=10, seed=7)
    H2 = with_measures(big, betweenness_k=10, seed=7)
    assert H1.graph["betweenness_k"] == 10  # the sample size is recorded with the result
    assert dict(H1.nodes(data="betweenness")) == dict(H2.nodes(data="betweenness"))
    assert with_measures(big).graph["betweenness_k"] == "exact"


def test_closeness_with_distance_one_over_weight_and_an_isolate():
    # path a–b (2 items) – c (1 item), isolate d; n = 4. Distances: a–b 0.5, b–c 1, a–c 1.5.
    # Wasserman–Faust: (r / sum d) * (r / (n-1)) with r = 2 reachable:
    # a: 2/2 * 2/3 = 0.6667; b: 2/1.5 * 2/3 = 0.8889; c: 2/2.5 * 2/3 = 0.5333; d: 0
    G = weighted([("a", "b", 2), ("b", "c", 1)], isolates=("d",))
    m = agency_measures(G)
    assert [m[v]["closeness"] for v in "abcd"] == pytest.approx([2 / 3, 8 / 9, 0.8 * 2 / 3, 0.0])


def test_closeness_equals_networkx_on_random_graphs():
    for seed in range(4):
        G = nx.gnm_random_graph(30, 50, seed=seed)
        G.add_nodes_from([30, 31])
        rnd = random.Random(seed)
        for u, v in G.edges:
            G.edges[u, v]["weight"] = rnd.randint(1, 5)
            G.edges[u, v]["distance"] = 1 / G.edges[u, v]["weight"]
        theirs = nx.closeness_centrality(G, distance="distance")
        for engine in ("auto", "scipy", "igraph"):
            ours = closeness(G, engine=engine)
            assert [ours[v] for v in G] == pytest.approx([theirs[v] for v in G], abs=1e-12)


def _random_weighted(seed: int, n: int = 40, m: int = 90, weights: tuple = (1, 2, 3, 4, 5)):
    G = nx.gnm_random_graph(n, m, seed=seed)
    G.add_nodes_from([n, n + 1])  # isolates
    rnd = random.Random(seed)
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rnd.choice(weights)
    return G


def _networkx_betweenness(G: nx.Graph, exact: bool) -> dict:
    """networkx's betweenness on distances 1/w, as floats or as exact fractions."""
    H = nx.Graph()
    H.add_nodes_from(G)
    for u, v, w in G.edges(data="weight"):
        H.add_edge(u, v, distance=Fraction(1, w) if exact else 1 / w)
    return nx.betweenness_centrality(H, weight="distance", normalized=True)


def test_betweenness_equals_networkx_on_the_bundled_notice(rdf_graph):
    G = agency_network(rdf_graph)
    ours = betweenness(G, engine="igraph")
    theirs = _networkx_betweenness(G, exact=False)
    assert max(theirs.values()) > 0.1  # positive control: some agency brokers
    assert [ours[v] for v in G] == pytest.approx([theirs[v] for v in G], abs=1e-12)
    c_ours, c_theirs = (
        closeness(G),
        nx.closeness_centrality(G, distance=lambda u, v, d: 1 / d["weight"]),
    )
    assert [c_ours[v] for v in G] == pytest.approx([c_theirs[v] for v in G], abs=1e-12)


def test_betweenness_equals_networkx_on_random_graphs():
    # weights 1, 2, 4: distances 1, 1/2, 1/4 and their sums are exact floats, so ties are exact
    for seed in range(5):
        G = _random_weighted(seed, weights=(1, 2, 4))
        ours, theirs = betweenness(G, engine="igraph"), _networkx_betweenness(G, exact=False)
        assert [ours[v] for v in G] == pytest.approx([theirs[v] for v in G], abs=1e-12)


def test_betweenness_counts_ties_that_float_sums_hide():
    # weights 1..5: 1/3 + 1/3 + 1/3 and 1 are one tie networkx's float comparison can miss;
    # on exact fractions networkx agrees with igraph (which compares with a tolerance)
    missed = 0
    for seed in range(5):
        G = _random_weighted(seed)
        ours, exact = betweenness(G, engine="igraph"), _networkx_betweenness(G, exact=True)
        assert [ours[v] for v in G] == pytest.approx([float(exact[v]) for v in G], abs=1e-12)
        floats = _networkx_betweenness(G, exact=False)
        missed += any(abs(floats[v] - ours[v]) > 1e-9 for v in G)
    assert missed  # positive control: the float ties do occur in these graphs


def test_eigenvector_star_plus_separate_pair():
    # star h–x, h–y, h–z: λ = √3, eigenvector (√3, 1, 1, 1)/√6 → h = 1/√2, leaves = 1/√6.
    # The separate pair p–q has λ = 1 < √3 and the isolate i λ = 0: both get 0.
    G = weighted([("h", "x", 1), ("h", "y", 1), ("h", "z", 1), ("p", "q", 1)], isolates=("i",))
    e = agency_measures(G)
    assert e["h"]["eigenvector"] == pytest.approx(1 / math.sqrt(2))
    assert [e[v]["eigenvector"] for v in "xyz"] == pytest.approx([1 / math.sqrt(6)] * 3)
    assert [e[v]["eigenvector"] for v in "pqi"] == [0.0, 0.0, 0.0]


def test_eigenvector_tied_components_share_the_weight():
    # two separate edges, both λ = 1: each component's vector (1/√2, 1/√2), scaled by 1/√2 so
    # the whole vector has unit length → every node 1/2
    e = eigenvector(weighted([("a", "b", 1), ("c", "d", 1)]))
    assert list(e.values()) == pytest.approx([0.5] * 4)
    assert eigenvector(weighted([], isolates=("a", "b"))) == {"a": 0.0, "b": 0.0}


def test_eigenvector_equals_networkx_on_connected_graphs():
    for seed in range(3):
        G = nx.connected_watts_strogatz_graph(40, 4, 0.3, seed=seed)
        rnd = random.Random(seed)
        for u, v in G.edges:
            G.edges[u, v]["weight"] = rnd.randint(1, 4)
        ours, theirs = eigenvector(G), nx.eigenvector_centrality_numpy(G, weight="weight")
        assert [ours[v] for v in G] == pytest.approx([theirs[v] for v in G], abs=1e-8)


def test_structural_holes_by_hand():
    # a–b 2, a–c 1, b–c 1, a–d 1. For a: p_ab = 2/4, p_ac = 1/4, p_ad = 1/4.
    # m (weight / the neighbour's largest weight): m_bc = 1/2, m_cb = 1, m_ba = m_ca = m_da = 1.
    # effective size(a) = Σ_j (1 - Σ_q p_aq m_jq):
    #   j=b: 1 - p_ac m_bc = 1 - 1/8 = 0.875; j=c: 1 - p_ab m_cb = 0.5; j=d: 1 → 2.375
    # constraint(a) = Σ_j (p_aj + Σ_q p_aq p_qj)^2, with p_bc = 1/3, p_cb = 1/2:
    #   j=b: (1/2 + 1/4 * 1/2)^2 = 0.390625; j=c: (1/4 + 1/2 * 1/3)^2 = 0.173611; j=d: 1/16
    #   → 0.626736; d (one partner): effective size 1, constraint (1)^2 = 1
    G = weighted([("a", "b", 2), ("a", "c", 1), ("b", "c", 1), ("a", "d", 1)], isolates=("e",))
    m = agency_measures(G)
    assert m["a"]["effective_size"] == pytest.approx(2.375)
    assert m["a"]["constraint"] == pytest.approx(0.390625 + (1 / 4 + 1 / 6) ** 2 + 1 / 16)
    assert (m["d"]["effective_size"], m["d"]["constraint"]) == pytest.approx((1.0, 1.0))
    assert m["e"]["effective_size"] == 0.0 and math.isnan(m["e"]["constraint"])
    # unweighted triangle: effective size 2 - 2·1/2 = 1; constraint 2·(1/2 + 1/2·1/2)^2 = 1.125
    tri = agency_measures(weighted([("a", "b", 1), ("b", "c", 1), ("a", "c", 1)]))
    assert (tri["a"]["effective_size"], tri["a"]["constraint"]) == pytest.approx((1.0, 1.125))


def test_structural_holes_equal_networkx_per_node_definition():
    # networkx 3.6.1's vectorised effective_size (nodes=None) disagrees with its own per-node
    # definition on weighted graphs (2.5 instead of 2.375 for 'a' above): compare with the latter.
    for seed in range(4):
        G = nx.gnm_random_graph(30, 60, seed=seed)
        rnd = random.Random(seed)
        for u, v in G.edges:
            G.edges[u, v]["weight"] = rnd.randint(1, 4)
        eff, cons = structural_holes(G)
        nodes = [v for v in G if G.degree(v)]
        ref_eff = nx.effective_size(G, nodes=nodes, weight="weight")
        ref_cons = nx.constraint(G, nodes=nodes, weight="weight")
        assert [eff[v] for v in nodes] == pytest.approx([ref_eff[v] for v in nodes], abs=1e-9)
        assert [cons[v] for v in nodes] == pytest.approx([ref_cons[v] for v in nodes], abs=1e-9)


def test_core_numbers():
    # triangle a, b, c (each 2 neighbours inside it) with pendant d and isolate e: 2, 2, 2, 1, 0
    m = agency_measures(
        weighted([("a", "b", 1), ("b", "c", 1), ("a", "c", 1), ("c", "d", 5)], isolates=("e",))
    )
    assert [m[v]["core"] for v in "abcde"] == [2, 2, 2, 1, 0]


def test_louvain_communities_and_modularity():
    # two triangles a-b-c and x-y-z joined by c–x: m = 7; each side 3 internal edges and degree
    # sum 7, so Q = 2 (3/7 - (7/14)^2) = 0.357143. Equal sizes: community 0 is the one with 'a'.
    G = weighted(
        [
            ("a", "b", 1),
            ("b", "c", 1),
            ("a", "c", 1),
            ("x", "y", 1),
            ("y", "z", 1),
            ("x", "z", 1),
            ("c", "x", 1),
        ]
    )
    H = with_measures(G)
    assert [H.nodes[v]["community"] for v in "abcxyz"] == [0, 0, 0, 1, 1, 1]
    assert H.graph["modularity"] == pytest.approx(2 * (3 / 7 - 0.25))
    assert H.graph["communities"] == 2


def test_sections_and_participation():
    # items 1, 2 in section A, 3 in B, 4 in C: shares 1/2, 1/4, 1/4 →
    # participation 1 - (1/4 + 1/16 + 1/16) = 0.625, 3 sections; all in one section → 0
    sections = {"1": "A", "2": "A", "3": "B", "4": "C"}
    assert participation(["1", "2", "3", "4"], sections) == (3, pytest.approx(0.625))
    assert participation(["1", "2"], sections) == (1, 0.0)
    n, p = participation(["9"], sections)
    assert n == 0 and math.isnan(p)
    # on small.ttl: a has items 1, 2 (section 1) and 5 (section 2): 1 - (4/9 + 1/9) = 4/9
    G = with_measures(agency_network(Graph().parse(SMALL)))
    assert (G.nodes["a"]["sections"], G.nodes["a"]["participation"]) == (2, pytest.approx(4 / 9))
    assert (G.nodes["d"]["sections"], G.nodes["d"]["participation"]) == (1, 0.0)


def test_gini():
    # [1, 2, 3]: mean absolute difference over all ordered pairs 8/9, Gini = 8/9 / (2·2) = 2/9
    assert gini([1, 2, 3]) == pytest.approx(2 / 9)
    assert gini([4, 4, 4]) == 0.0
    assert gini([0, 0, 0, 5]) == pytest.approx(0.75)  # (n-1)/n when one holds everything
    assert math.isnan(gini([]))


def test_network_summary_of_the_small_notice():
    # 5 agencies, 4 links: density 4 / 10; components {a,b,c,d}, {戊}; items: 4 has one agency,
    # 1, 2, 3, 5 several, 6 none; items per agency [1, 1, 2, 3, 3]:
    # Gini = 2 (1·1 + 2·1 + 3·2 + 4·3 + 5·3) / (5·10) - 6/5 = 0.24
    s = network_summary(with_measures(agency_network(Graph().parse(SMALL))))
    assert s["density"] == pytest.approx(0.4)
    assert (s["components"], s["largest_component"], s["isolates"]) == (2, 4, 1)
    assert (
        s["items"],
        s["items_one_agency"],
        s["items_several_agencies"],
        s["items_without_agency"],
    ) == (6, 1, 4, 1)
    assert s["share_several_agencies"] == pytest.approx(4 / 6)
    assert s["gini_items_per_agency"] == pytest.approx(0.24)
    assert s["betweenness_k"] == "exact"


def test_measures_table_columns_and_order():
    G = with_measures(agency_network(Graph().parse(SMALL)))
    table = measures_table(G, by="weighted_degree")
    assert list(table.columns) == list(MEASURE_COLUMNS)
    assert list(table.columns[:15]) == [
        "name",
        "full_name",
        "kind",
        "items",
        "partners",
        "weighted_degree",
        "betweenness",
        "closeness",
        "eigenvector",
        "effective_size",
        "constraint",
        "core",
        "community",
        "sections",
        "participation",
    ]
    assert list(table["id"]) == [
        "a",
        "b",
        "c",
        "d",
        "unknown-0123456789",
    ]  # 4, 4 (tie by id), 3, 1, 0
    with pytest.raises(ValueError, match="unknown measure"):
        measures_table(G, by="fame")


def test_measures_are_reproducible():
    G = nx.relabel_nodes(nx.gnm_random_graph(80, 200, seed=3), lambda v: f"n{v:02d}")
    nx.set_edge_attributes(G, 2, "weight")
    a = pd.DataFrame(agency_measures(G))
    b = pd.DataFrame(agency_measures(nx.Graph(G)))
    assert a.equals(b)  # NaN (constraint of isolates) compares equal here


def test_betweenness_engines_agree_above_the_networkx_size():
    # auto picks igraph above NETWORKX_BETWEENNESS_MAX agencies: same figures as networkx
    G = _random_weighted(3, n=120, m=400, weights=(1, 2, 4))
    assert G.number_of_nodes() > 100
    auto, nx_exact = betweenness(G), betweenness(G, engine="networkx")
    assert max(nx_exact.values()) > 0
    assert [auto[v] for v in G] == pytest.approx([nx_exact[v] for v in G], abs=1e-12)


def _graph_with_isolates(seed: int, n: int, m: int, weights: tuple = (1, 2, 4)) -> nx.Graph:
    """A random weighted graph (weights whose inverses add up exactly) with a few isolates and
    a separate pair, nodes named out of order."""
    rnd = random.Random(seed)
    G = nx.Graph()
    names = [f"ag-{rnd.randrange(10**6):06d}-{i}" for i in range(n)]
    G.add_nodes_from(names)
    R = nx.gnm_random_graph(n - 5, m, seed=seed)
    for u, v in R.edges:
        G.add_edge(names[u], names[v], weight=rnd.choice(weights), newman=rnd.random())
    G.add_edge(names[-1], names[-2], weight=3, newman=0.5)
    return G


@pytest.mark.parametrize("weight", ["weight", "newman"])
def test_matrix_path_equals_the_networkx_path(weight):
    """Above NETWORKX_BETWEENNESS_MAX agencies every measure comes from one sparse matrix and
    one igraph graph; each equals what the networkx path gives (communities too, up to
    NETWORKX_LOUVAIN_MAX agencies, where networkx's Louvain still runs)."""
    from graph.network.measures import (
        NETWORKX_BETWEENNESS_MAX,
        NETWORKX_LOUVAIN_MAX,
        _Arrays,
        _betweenness_k,
        _matrix_values,
        _networkx_values,
    )

    for seed in range(3):
        G = _graph_with_isolates(seed, 160, 500)
        nodes = list(G)
        assert NETWORKX_BETWEENNESS_MAX < len(nodes) <= NETWORKX_LOUVAIN_MAX
        k = _betweenness_k(len(nodes), "auto")
        ours = _matrix_values(G, nodes, weight, k, 42, _Arrays(G, nodes, weight))
        ref = _networkx_values(G, nodes, weight, k, 42)
        assert ours["parts"] == ref["parts"]
        assert ours["modularity"] == pytest.approx(ref["modularity"], rel=1e-12)
        for name in ("partners", "weighted_degree", "core"):
            assert ours[name] == ref[name], name
        tolerance = 1e-9 if weight == "newman" else 1e-12  # float ties, see above
        for name in ("betweenness", "closeness", "eigenvector", "effective_size", "constraint"):
            for v in nodes:
                a, b = ours[name][v], ref[name][v]
                assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(
                    b, rel=tolerance, abs=1e-12
                ), (name, v, a, b)
        assert any(math.isnan(x) for x in ours["constraint"].values())  # the isolates


def test_igraph_louvain_above_the_networkx_size_is_seeded_and_scored_like_networkx():
    """Above NETWORKX_LOUVAIN_MAX agencies the communities are igraph's Louvain: the same
    partition every run (its random order comes from the seed), every agency in one
    community, a modularity equal to networkx's for that partition and close to the one
    networkx's own Louvain finds."""
    from graph.network.measures import NETWORKX_LOUVAIN_MAX

    G = _graph_with_isolates(7, NETWORKX_LOUVAIN_MAX + 100, 2500)
    H1, H2 = with_measures(G), with_measures(G)
    assert [H1.nodes[v]["community"] for v in G] == [H2.nodes[v]["community"] for v in G]
    parts: dict[int, set] = {}
    for v in G:
        parts.setdefault(H1.nodes[v]["community"], set()).add(v)
    assert sorted(parts) == list(range(len(parts))) == list(range(H1.graph["communities"]))
    sizes = [len(parts[c]) for c in sorted(parts)]
    assert sizes == sorted(sizes, reverse=True)
    reference = nx.community.modularity(G, list(parts.values()), weight="weight")
    assert H1.graph["modularity"] == pytest.approx(reference, rel=1e-12)
    theirs = nx.community.louvain_communities(G, weight="weight", seed=42)
    assert H1.graph["modularity"] > nx.community.modularity(G, theirs, weight="weight") - 0.02


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _measures_of(H: nx.Graph) -> list:
    """Every measure of every agency (NaN as a string, so that lists compare) and the
    network's modularity and communities."""
    rows = [[repr(H.nodes[v][m]) for m in MEASURES] for v in H]
    return [rows, H.graph["modularity"], H.graph["communities"]]


@pytest.mark.parametrize("n", [150, NETWORKX_LOUVAIN_MAX + 100])
def test_measures_in_child_processes_give_what_they_give_here(monkeypatch, n):
    """Above NETWORKX_BETWEENNESS_MAX agencies two forked children compute the igraph
    measures and the exact betweenness while this process computes the others: every figure
    is the one computed in this process alone, and children that die are made up for here."""
    import sys

    from graph.network import measures

    G = _graph_with_isolates(3, n, 4 * n)
    forked = with_measures(G)
    monkeypatch.setenv("YUEGANG_WORKERS", "0")
    here = with_measures(G)
    assert _measures_of(forked) == _measures_of(here)
    assert any(here.nodes[v]["betweenness"] > 0 for v in G)
    assert sys.modules.get("matplotlib", "not imported") is not None  # blocked in children only
    monkeypatch.delenv("YUEGANG_WORKERS")

    started = []

    def killed_child(cls, fn, *args, fork=None):
        started.append(fn)
        return cls(None, fork=True, call=(_kill_self, ()))

    monkeypatch.setattr(measures.Worker, "started", classmethod(killed_child))
    made_up = with_measures(G)  # the children die (as at a memory limit): computed here instead
    assert len(started) == 2
    assert _measures_of(made_up) == _measures_of(here)


def test_betweenness_runs_taken_by_a_child_that_dies_are_made_up_for(monkeypatch):
    """The exact betweenness's runs of sources are shared between a forked child (from the
    front) and this process (from the back): a child killed after taking some runs leaves
    them undone, and they are computed here, giving the same figures to the last bit."""
    from graph.network import measures

    G = _graph_with_isolates(5, 150, 400)
    both = measures.betweenness(G)
    monkeypatch.setenv("YUEGANG_WORKERS", "0")
    here = measures.betweenness(G)
    monkeypatch.delenv("YUEGANG_WORKERS")
    assert both == here and any(b > 0 for b in here.values())
    reference = betweenness(G, engine="networkx")
    assert [here[v] for v in G] == pytest.approx([reference[v] for v in G], abs=1e-12)

    taken = []

    def take_three_then_die(h, chunks):
        for _ in range(3):
            taken.append(chunks.take(front=True))
        _kill_self()

    monkeypatch.setattr(measures, "_front_chunks", take_three_then_die)
    assert measures.betweenness(G) == here
    assert taken == []  # taken in the child, not here (positive control below)
    chunks = measures._Chunks(150)
    assert [chunks.take(front=True) for _ in range(2)] == [0, 1]
    assert chunks.take(front=False) == measures.BETWEENNESS_CHUNKS - 1


def _betweenness_in_a_daemon(G: nx.Graph, queue: Any) -> None:
    from graph.network import measures

    queue.put(measures.betweenness(G))


def test_betweenness_in_a_daemonic_worker_computes_every_run_itself():
    """A build worker is daemonic and may not fork: the exact betweenness then computes every
    run in that process, with the same figures."""
    import multiprocessing

    G = _graph_with_isolates(7, 150, 400)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    worker = ctx.Process(target=_betweenness_in_a_daemon, args=(G, queue), daemon=True)
    worker.start()
    inside = queue.get(timeout=120)
    worker.join(10)
    assert worker.exitcode == 0
    assert inside == betweenness(G) and any(b > 0 for b in inside.values())


@pytest.mark.parametrize("n", [12, 150])
def test_with_measures_copy_keeps_the_graph_and_its_order(n):
    """The network with_measures returns is G.copy() plus the measures: same graph attributes,
    nodes, edges, edge data and adjacency order (which the exports write), G left untouched."""
    rnd = random.Random(n)
    base = nx.gnm_random_graph(n, 4 * n, seed=n)
    G = nx.Graph(name="odd order", documents=["d"])
    G.add_nodes_from(rnd.sample([f"ag{v}" for v in base], n), kind="x")
    edges = [(f"ag{u}", f"ag{v}") for u, v in base.edges()]
    rnd.shuffle(edges)
    for u, v in edges:
        G.add_edge(u, v, weight=rnd.randint(1, 4), items=[u])
    before = nx.to_dict_of_dicts(G)
    H, C = with_measures(G), G.copy()
    assert list(H) == list(C)
    assert [(u, list(H.adj[u])) for u in H] == [(u, list(C.adj[u])) for u in C]
    assert all(H.edges[e] == C.edges[e] and H.edges[e] is not G.edges[e] for e in G.edges)
    assert {k: H.graph[k] for k in G.graph} == G.graph
    assert set(H.nodes["ag0"]) == {"kind", *MEASURES}
    assert nx.to_dict_of_dicts(G) == before and "betweenness" not in G.nodes["ag0"]
