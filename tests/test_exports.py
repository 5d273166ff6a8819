"""GraphML, GEXF, CSV and JSON files load back with every attribute; the CLI writes them."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from rdflib import Graph
from typer.testing import CliRunner

from graph.network.exports import edges_frame, for_files, write_network
from graph.network.measures import MEASURE_COLUMNS, with_measures
from graph.network.networks import agency_network, bipartite_network, place_network, theme_network

SMALL = Path(__file__).parent / "fixtures" / "networks" / "small.ttl"
MEASURES_HEADER = (
    "name,full_name,kind,items,partners,weighted_degree,betweenness,closeness,eigenvector,"
    "effective_size,constraint,core,community,sections,participation"
)


@pytest.fixture(scope="module")
def notice_ttl(tmp_path_factory) -> Path:
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    build_graph([extract_file(None)]).serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def notice(notice_ttl) -> Graph:
    return Graph().parse(notice_ttl)


def same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12)
    return a == b


def assert_round_trip(G: nx.Graph, H: nx.Graph, *, gexf: bool = False) -> None:
    """Every node/edge attribute of the exported graph (lists joined with ';') is in H."""
    F = for_files(G)
    assert set(H) == set(F)
    assert {frozenset(e) for e in H.edges} == {frozenset(e) for e in F.edges}
    for v, data in F.nodes(data=True):
        for key, value in data.items():
            assert same(H.nodes[v][key], value), (v, key, H.nodes[v].get(key), value)
    for u, v, data in F.edges(data=True):
        for key, value in data.items():
            assert same(H.edges[u, v][key], value), (u, v, key)
    if not gexf:
        assert H.graph.get("betweenness_k", "exact") == F.graph.get("betweenness_k", "exact")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_agency_network_round_trip(notice, tmp_path, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = with_measures(agency_network(notice))
    path = write_network(G, tmp_path / f"agencies.{fmt}")
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert_round_trip(G, H, gexf=fmt == "gexf")
    hmao = H.nodes["gd-hmao"]
    assert (hmao["name"], hmao["label"], hmao["kind"]) == (
        "省港澳办",
        "省港澳办",
        "provincial-office",
    )
    assert hmao["label_en"].startswith("Hong Kong and Macao Affairs Office")
    for key in MEASURE_COLUMNS[3:15]:
        assert key in hmao
    # lists become "1;4;5": splitting gives the shared items back
    u, v, d = next(iter(G.edges(data=True)))
    assert H.edges[u, v]["items"].split(";") == d["items"]
    assert int(H.edges[u, v]["weight"]) == d["weight"]


def test_small_network_round_trip_keeps_nan_and_odd_names(tmp_path):
    G = with_measures(agency_network(Graph().parse(SMALL)))
    for fmt in ("graphml", "gexf"):
        path = write_network(G, tmp_path / f"small.{fmt}")
        H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
        assert_round_trip(G, H, gexf=fmt == "gexf")
        node = H.nodes["unknown-0123456789"]
        assert (
            node["name"] == "戊<办>" and math.isnan(node["constraint"]) and node["known"] is False
        )


@pytest.mark.parametrize("build", [bipartite_network, theme_network, place_network])
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_two_mode_round_trip(notice, tmp_path, build, fmt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = build(notice)
    path = write_network(G, tmp_path / f"two-mode.{fmt}")
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert_round_trip(G, H, gexf=fmt == "gexf")


def test_files_are_reproducible(tmp_path):
    G = with_measures(agency_network(Graph().parse(SMALL)))
    for fmt in ("graphml", "gexf", "json", "csv"):
        a = write_network(G, tmp_path / f"a.{fmt}").read_bytes()
        b = write_network(G, tmp_path / f"b.{fmt}").read_bytes()
        assert a == b, fmt


def test_json_is_node_link_with_lists_and_null_for_nan(tmp_path):
    G = with_measures(agency_network(Graph().parse(SMALL)))
    data = json.loads(write_network(G, tmp_path / "g.json").read_text(encoding="utf-8"))
    H = nx.node_link_graph(data, edges="edges")
    assert H.edges["a", "b"]["items"] == ["1", "2"]
    assert H.nodes["unknown-0123456789"]["constraint"] is None
    assert H.graph["item_sections"]["3"] == "2"


def test_edges_csv(tmp_path):
    G = agency_network(Graph().parse(SMALL))
    frame = pd.read_csv(write_network(G, tmp_path / "edges.csv"), dtype={"items": str})
    assert list(frame.columns) == [
        "source",
        "target",
        "source_name",
        "target_name",
        "weight",
        "items",
        "newman",
    ]
    assert frame.loc[0].to_dict() == {
        "source": "a",
        "target": "b",
        "source_name": "省甲",
        "target_name": "省乙",
        "weight": 2,
        "items": "1;2",
        "newman": 1.5,
    }
    assert len(edges_frame(G)) == 4
    with pytest.raises(ValueError, match="unknown format 'xls'"):
        write_network(G, tmp_path / "edges.xls")


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def app():
    import typer

    from graph.cli import network

    app = typer.Typer()
    network.register(app)
    return app


def run(app, *args: str):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result


def test_cli_measures_csv_has_the_exact_columns(app, notice_ttl, tmp_path):
    out = tmp_path / "measures.csv"
    result = run(
        app, "network", "measures", "--format", "csv", "--output", out, "--graph", notice_ttl
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith(MEASURES_HEADER)
    frame = pd.read_csv(out)
    assert list(frame.columns[:15]) == MEASURES_HEADER.split(",")
    assert len(frame) == 50
    assert frame.set_index("name").loc["省港澳办", "items"] == 11


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv", "json"])
def test_cli_agencies_formats(app, notice_ttl, tmp_path, fmt):
    out = tmp_path / f"agencies.{fmt}"
    result = run(
        app, "network", "agencies", "--format", fmt, "--output", out, "--graph", notice_ttl
    )
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        H = nx.read_graphml(out)
        assert H.number_of_nodes() == 50 and nx.number_of_isolates(H) > 0
        assert {"name", "label_en", "kind", "items", "betweenness", "participation"} <= set(
            H.nodes["gd-hmao"]
        )
        assert {"weight", "items", "newman"} <= set(next(iter(H.edges(data=True)))[2])
    elif fmt == "gexf":
        assert nx.read_gexf(out).number_of_nodes() == 50
    elif fmt == "csv":
        assert list(pd.read_csv(out).columns[:6]) == [
            "source",
            "target",
            "source_name",
            "target_name",
            "weight",
            "items",
        ]
    else:
        assert len(json.loads(out.read_text(encoding="utf-8"))["nodes"]) == 50


def test_cli_filters_and_table(app, notice_ttl, tmp_path):
    out = tmp_path / "municipal.graphml"
    result = run(
        app,
        "network",
        "agencies",
        "--format",
        "graphml",
        "--output",
        out,
        "--graph",
        notice_ttl,
        "--kind",
        "municipal-government",
    )
    assert result.exit_code == 0, result.output
    assert {d["kind"] for _, d in nx.read_graphml(out).nodes(data=True)} == {"municipal-government"}
    table = run(
        app, "network", "agencies", "--graph", notice_ttl, "--by", "betweenness", "--top", "3"
    )
    assert table.exit_code == 0, table.output
    assert "top 3 agencies by betweenness" in table.output and "省商务厅" in table.output
    bad = run(app, "network", "agencies", "--graph", notice_ttl, "--theme", "不存在的专题")
    assert bad.exit_code == 2 and "no theme matches" in bad.output
    bad_by = run(app, "network", "measures", "--graph", notice_ttl, "--by", "fame")
    assert bad_by.exit_code == 2 and "unknown measure 'fame'" in bad_by.output


@pytest.mark.parametrize("command", ["bipartite", "themes", "places"])
def test_cli_two_mode(app, notice_ttl, tmp_path, command):
    out = tmp_path / f"{command}.gexf"
    result = run(
        app, "network", command, "--format", "gexf", "--output", out, "--graph", notice_ttl
    )
    assert result.exit_code == 0, result.output
    H = nx.read_gexf(out)
    assert {d.get("bipartite") for _, d in H.nodes(data=True)} == {0, 1}
    shown = run(app, "network", command, "--graph", notice_ttl, "--top", "3")
    assert shown.exit_code == 0 and "links" in shown.output


def test_cli_matrix_and_summary(app, notice_ttl, tmp_path):
    out = tmp_path / "matrix.csv"
    assert run(app, "network", "matrix", "--output", out, "--graph", notice_ttl).exit_code == 0
    frame = pd.read_csv(out, index_col=0)
    assert frame.values.sum() == 148  # item–agency links in the notice
    summary = run(app, "network", "summary", "--graph", notice_ttl)
    data = json.loads(summary.stdout)
    assert (data["items"], data["items_several_agencies"], data["agencies"]) == (77, 32, 50)


def test_cli_unreadable_graph(app, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    result = run(app, "network", "agencies", "--graph", bad)
    assert result.exit_code == 2 and "cannot parse" in result.output
    result = run(app, "network", "agencies", "--graph", tmp_path / "missing.ttl")
    assert result.exit_code == 2 and "no such file" in result.output


# --------------------------------------------------------------------------- streaming writers
# write_network writes GraphML, GEXF and JSON itself (networkx's writers and json's indenting
# encoder are pure Python); the bytes must be those of networkx's / json's own writers.

AWKWARD_TEXT = [
    "a&b",
    "<tag>",
    'say "hi"',
    "tab\there",
    "line\nbreak",
    "cr\rx",
    "省商务厅",
    "😀",
    "",
]


def awkward_graph(seed: int) -> nx.Graph:
    """A random graph whose attributes are every kind write_network meets, and some it should
    not: escaping, unicode, empty strings, NaN/inf, lists, sets, None, bools, ints and floats
    under one name, numpy numbers, a node without attributes, an edge without attributes."""
    import random

    import numpy as np

    rnd = random.Random(seed)
    G = nx.gnm_random_graph(12, 25, seed=seed)
    G = nx.relabel_nodes(G, {i: rnd.choice([i, f"n{i}", f"节点{i}&<{i}>"]) for i in list(G)})
    values = [
        lambda: rnd.choice(AWKWARD_TEXT),
        lambda: rnd.randint(-5, 5),
        lambda: rnd.random() * 10,
        lambda: rnd.choice([math.nan, math.inf, -math.inf, 0.1, 1e20, 1e-7]),
        lambda: rnd.choice([True, False]),
        lambda: None,
        lambda: [rnd.choice(AWKWARD_TEXT), rnd.randint(0, 9)],
        lambda: {rnd.choice(AWKWARD_TEXT), "x"},
        lambda: np.float64(rnd.random()),
        lambda: np.int64(rnd.randint(0, 9)),
    ]
    names = ["name", "kind", "score", "items", "flag", "label", "key", "weight", "x&y", "名字"]
    for i, v in enumerate(G):
        if i == 0:
            continue  # no attributes at all
        for name in rnd.sample(names, rnd.randint(1, len(names))):
            G.nodes[v][name] = rnd.choice(values)()
    for i, (u, v) in enumerate(G.edges):
        if i == 0:
            continue
        edge_names = names if seed % 4 == 0 else [n for n in names if n != "label"]
        for name in rnd.sample(edge_names, rnd.randint(1, len(edge_names))):
            G.edges[u, v][name] = rnd.choice(values)()
    G.graph.update(name=rnd.choice(AWKWARD_TEXT), modularity=0.5, filters={}, seed=seed)
    G.graph["documents"] = ["a", "b&c"]
    return G


def reference_bytes(G: nx.Graph, fmt: str, path: Path) -> bytes:
    """What networkx's writers (and json.dumps) give for the exported graph."""
    from graph.network.exports import _write_gexf, node_link

    if fmt == "graphml":
        nx.write_graphml_xml(for_files(G), path, encoding="utf-8", prettyprint=True)
    elif fmt == "csv":
        edges_frame(G).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    elif fmt == "gexf":
        _write_gexf(for_files(G), path)
    else:
        text = json.dumps(node_link(G), ensure_ascii=False, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_writers_give_networkx_bytes_on_awkward_random_graphs(tmp_path, fmt):
    """…and the CSV the bytes of pandas' ``to_csv`` of :func:`edges_frame`."""
    from graph.network.csv_table import csv_text
    from graph.network.exports import _gexf_lines, _graphml_lines, edge_rows

    streamed = {
        "graphml": _graphml_lines,
        "gexf": _gexf_lines,
        "csv": lambda G: csv_text(*edge_rows(G)),
    }
    used = 0
    for seed in range(40):
        G = awkward_graph(seed)
        ours = write_network(G, tmp_path / f"ours.{fmt}").read_bytes()
        assert ours == reference_bytes(G, fmt, tmp_path / f"ref.{fmt}"), seed
        used += fmt == "json" or streamed[fmt](G) is not None
    assert used >= 10  # the streaming writer itself was compared, not only its fallback


def uniform_graph(seed: int) -> nx.Graph:
    """A random graph whose edges all have the same attributes, as a projection's do (the
    XML writers' templates), with awkward values now and then: empty texts and lists, lists
    of non-strings, NaN/inf, a float or numpy weight, None."""
    import random

    import numpy as np

    rnd = random.Random(seed)
    G = nx.gnm_random_graph(30, 120, seed=seed)
    G = nx.relabel_nodes(G, {i: rnd.choice([f"ag-{i}", f"节点{i}&<{i}>", i]) for i in list(G)})
    for v in G:
        G.nodes[v].update(name=rnd.choice(AWKWARD_TEXT), items=rnd.randint(0, 9))
        G.nodes[v]["{braces} & %s"] = rnd.choice([[f"{v}", "z"], ["{0}"], None, 1.5])
    odd = {
        "weight": [2.5, np.int64(3), True, math.nan],
        "items": [[], [1, "a"], ["", ""], None],
        "newman": [math.nan, math.inf, -math.inf, 7, np.float64(0.25)],
        "flag": [1, None],
        "note": ["", None, 5],
    }
    for u, v in G.edges:
        G.edges[u, v].update(
            weight=rnd.randint(1, 9),
            items=[rnd.choice(AWKWARD_TEXT) or "x" for _ in range(rnd.randint(1, 4))],
            newman=rnd.random() * 3,
            flag=rnd.random() < 0.5,
            note=rnd.choice(AWKWARD_TEXT) or "y",
        )
        if rnd.random() < 0.15:
            name = rnd.choice(sorted(odd))
            G.edges[u, v][name] = rnd.choice(odd[name])
    G.graph.update(name="uniform", seed=seed)
    return G


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_writers_give_networkx_bytes_when_edges_share_their_attributes(tmp_path, fmt, monkeypatch):
    """Edges (and JSON nodes) with the same attributes are written from one template: the
    bytes are still networkx's (json's, pandas' for the CSV), odd values included."""
    from graph.network import exports

    templated = []
    texts = exports._texts
    monkeypatch.setattr(exports, "_texts", lambda d, t: templated.append(1) or texts(d, t))
    for seed in range(30):
        G = uniform_graph(seed)
        ours = write_network(G, tmp_path / f"ours.{fmt}").read_bytes()
        assert ours == reference_bytes(G, fmt, tmp_path / f"ref.{fmt}"), seed
    if fmt == "graphml":
        assert len(templated) > 30 * 100  # most edges went through the template


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv"])
def test_writers_give_networkx_bytes_on_the_notice(notice, tmp_path, fmt):
    G = with_measures(agency_network(notice))
    ours = write_network(G, tmp_path / f"ours.{fmt}").read_bytes()
    assert ours == reference_bytes(G, fmt, tmp_path / f"ref.{fmt}")


def test_gexf_special_attributes_go_to_networkx(tmp_path):
    """A node attribute networkx's GEXF writer reads specially (start, viz …) is left to it."""
    from graph.network.exports import _gexf_lines

    G = nx.Graph()
    G.add_edge("a", "b", weight=2)
    G.nodes["a"]["start"] = 1
    assert _gexf_lines(G) is None
    ours = write_network(G, tmp_path / "ours.gexf").read_bytes()
    assert ours == reference_bytes(G, "gexf", tmp_path / "ref.gexf")
    assert nx.read_gexf(tmp_path / "ours.gexf").nodes["a"]["start"] == 1


def test_measures_csv_is_pandas_text_without_pandas(notice, tmp_path):
    from graph.network.csv_table import csv_text
    from graph.network.measures import measure_rows, measures_table

    G = with_measures(agency_network(notice))
    text = csv_text(list(MEASURE_COLUMNS), measure_rows(G))
    assert text == measures_table(G).to_csv(index=False, lineterminator="\n")
    assert text.count("\n") == G.number_of_nodes() + 1


def test_files_of_a_large_network_written_by_two_processes_are_the_same(tmp_path, monkeypatch):
    from graph.network import exports

    G = nx.gnm_random_graph(600, 3000, seed=3)
    G = nx.relabel_nodes(G, {v: f"单位{v}" for v in G})
    for i, (u, v) in enumerate(G.edges):
        G.edges[u, v].update(weight=1 + i % 7, items=[str(i), str(i + 1)], share=i / 7)
    for v in G:
        G.nodes[v].update(name=f"名{v}", kind="agency")
    monkeypatch.setattr(exports, "PARALLEL_EDGES", 1000)
    paths = [tmp_path / "two" / f"agencies.{f}" for f in exports.FORMATS]
    forked = []
    real = exports._write_each
    monkeypatch.setattr(exports, "_write_each", lambda G, ps: forked.append(ps) or real(G, ps))
    assert exports.write_networks(G, paths) == paths
    assert len(forked) == 1 and 0 < len(forked[0]) < len(paths)  # this process's share
    monkeypatch.setenv("YUEGANG_WORKERS", "0")
    for path in paths:
        one = exports.write_network(G, tmp_path / "one" / path.name)
        assert path.read_bytes() == one.read_bytes(), path.name
