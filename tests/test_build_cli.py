"""``yuegang build``: the files it writes, byte-identical across runs, several notices in one graph."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from typer.testing import CliRunner

from graph.cli import app

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notices"
YG = "https://w3id.org/yuegang/ontology#"
FILES = ["graph.ttl", "graph.jsonld", "graph.nt", "yuegang.ttl", "shapes.ttl"]


def run_build(out: Path, *files: Path, seed: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONHASHSEED=seed)
    command = ["build", *map(str, files), "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-c", "from graph.cli import main; main()", *command],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.slow
def test_build_is_byte_identical_across_processes(tmp_path) -> None:
    """Two runs with different hash seeds (set and dict order differ) give the same bytes."""
    first = run_build(tmp_path / "a", seed="1")
    second = run_build(tmp_path / "b", seed="4242")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for name in FILES[:3]:
        assert f"{tmp_path / 'a' / name}" in first.stdout
    assert "77 items from 1 notice(s); conforms" in first.stdout


def test_build_several_notices_into_one_graph(tmp_path) -> None:
    notices = [FIXTURES / "yueao-2018-lead-support.txt", FIXTURES / "yuegang-2019-lists.txt"]
    out = CliRunner().invoke(app, ["build", *map(str, notices), "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    g = Graph().parse(tmp_path / "graph.ttl")
    docs = {
        str(r[0])
        for r in g.query(
            f"SELECT ?id WHERE {{ ?d a <{YG}PolicyDocument> ; <http://purl.org/dc/terms/identifier> ?id }}"
        )
    }
    texts = [p.read_text(encoding="utf-8") for p in notices]
    assert docs == {"粤办函〔2018〕156号", "粤府函〔2019〕112号"}
    assert all(any(d in t for t in texts) for d in docs)
    # an agency named in both notices is one resource with items in both
    shared = g.query(
        f"""SELECT ?a WHERE {{ ?i1 <{YG}responsibleAgency> ?a ; <{YG}inDocument> ?d1 .
              ?i2 <{YG}responsibleAgency> ?a ; <{YG}inDocument> ?d2 . FILTER (?d1 != ?d2) }}"""
    )
    assert len({r[0] for r in shared}) >= 1
    assert "省港澳办" in texts[0] and "港澳办" in texts[1]
    leads = g.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i <{YG}leadAgency> ?a }}")
    assert next(iter(leads))[0].toPython() >= 10  # the 2018 Macao notice marks a lead per item


def test_query_and_validate_default_to_the_built_graph(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    notice = FIXTURES / "yuegang-2019-lists.txt"
    built = runner.invoke(app, ["build", str(notice)])
    assert built.exit_code == 0, built.output
    assert (tmp_path / "yuegang-out" / "graph.ttl").is_file()
    count_items = f"SELECT (COUNT(?i) AS ?n) WHERE {{ ?i a <{YG}WorkItem> }}"
    out = runner.invoke(app, ["query", count_items, "-f", "csv"])
    assert out.exit_code == 0, out.output
    count = int(out.stdout.splitlines()[1])
    numbered = [
        line for line in notice.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()
    ]
    assert count == len(numbered) and count != 77
    valid = runner.invoke(app, ["validate"])
    assert valid.exit_code == 0 and "yuegang-out/graph.ttl" in valid.stdout


def test_build_reports_a_missing_file(tmp_path) -> None:
    out = CliRunner().invoke(app, ["build", str(tmp_path / "nope.txt"), "--out", str(tmp_path)])
    assert out.exit_code == 2
    assert "nope.txt" in out.stderr


def test_an_item_without_a_list_reaches_the_graph_with_a_warning(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "关于印发2019年重点工作的通知\n一、基础设施\n"
        "1.推进港珠澳大桥通行政策。（省交通运输厅、公安厅）\n"
        "2.加强口岸查验能力建设。\n"
        "3.推进粤港合作项目落地。（省商务厅）\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["build", str(notice), "--out", str(tmp_path / "out"), "--no-views", "--no-report"]
    )
    assert result.exit_code == 0, result.output
    assert "1 item(s) have no responsible unit" in result.output
    g = Graph().parse(tmp_path / "out" / "graph.ttl")
    items = set(g.subjects(RDF.type, URIRef(YG + "WorkItem")))
    assert {int(g.value(i, URIRef(YG + "number"))) for i in items} == {1, 2, 3}
