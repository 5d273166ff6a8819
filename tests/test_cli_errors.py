"""No traceback anywhere in the CLI for bad paths or bad input: one test per case of issue 11.

Each case checks the message names the path and what is wrong, the exit code documented in
:mod:`graph.errors` (2 = bad input or path, 3 = a limit), and that nothing was written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.errors import EXIT_INPUT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_extract_output_is_a_folder(runner, tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(runner, "extract", "--no-keywords", "-o", str(folder))
    assert result.exit_code == EXIT_INPUT and "is a folder" in result.stderr
    assert list(folder.iterdir()) == []


def test_extract_output_in_a_missing_or_unwritable_folder(runner, tmp_path) -> None:
    result = run(runner, "extract", "--no-keywords", "-o", str(tmp_path / "nope" / "x.json"))
    assert result.exit_code == EXIT_INPUT and "no such folder" in result.stderr
    result = run(runner, "extract", "--no-keywords", "-o", "/proc/yuegang-x.json")
    assert result.exit_code == EXIT_INPUT and "/proc" in result.stderr


def test_extract_a_device_is_refused_not_read_forever(runner) -> None:
    result = run(runner, "extract", "--no-keywords", "/dev/zero")
    assert result.exit_code == EXIT_INPUT and "/dev/zero: not a regular file" in result.stderr


def test_build_out_is_a_file(runner, tmp_path) -> None:
    target = tmp_path / "afile"
    target.write_text("keep me", encoding="utf-8")
    result = run(runner, "build", "--no-views", "--no-report", "--out", str(target))
    assert result.exit_code == EXIT_INPUT and "is a file, not a folder" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep me"
    result = run(runner, "build", "--no-views", "--no-report", "--out", str(target / "sub"))
    assert result.exit_code == EXIT_INPUT and "afile/sub" in result.stderr


def test_build_out_unwritable(runner) -> None:
    result = run(runner, "build", "--no-views", "--no-report", "--out", "/proc/yuegang-out")
    assert result.exit_code == EXIT_INPUT and "/proc/yuegang-out" in result.stderr


def test_build_subfolder_that_is_a_file_leaves_no_partial_output(runner, tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "networks").write_text("a file", encoding="utf-8")
    result = run(runner, "build", "--no-views", "--no-report", "--out", str(out))
    assert result.exit_code == EXIT_INPUT and "networks: is a file" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["networks"]


def test_report_figures_path_is_a_file(runner, tmp_path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "figures").write_text("a file", encoding="utf-8")
    result = run(runner, "report", "--out", str(out))
    assert result.exit_code == EXIT_INPUT and "figures: is a file" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["figures"]  # nothing else written
    result = run(runner, "report", "--out", str(out / "figures"))
    assert result.exit_code == EXIT_INPUT


def test_network_output_is_a_folder(runner, tmp_path, rdf_graph) -> None:
    from graph.rdf.build import serialize_turtle

    graph = tmp_path / "g.ttl"
    graph.write_bytes(serialize_turtle(rdf_graph))
    result = run(runner, "network", "measures", "--graph", str(graph), "-o", str(tmp_path))
    assert result.exit_code == EXIT_INPUT and "is a folder" in result.stderr


@pytest.mark.parametrize("path", ["/dev/zero", "."])
def test_query_graph_that_is_not_a_file(runner, path) -> None:
    result = run(runner, "query", "ASK {}", "--graph", path)
    assert result.exit_code == EXIT_INPUT and path in result.stderr


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "PREFIX s: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE s: { ?a ?b ?c } }",
            "SERVICE s:",
        ),
        ("SELECT * WHERE " + "{" * 60 + " ?s ?p ?o " + "}" * 60, "nested too deeply"),
        ("SELEKT ?s WHERE { ?s ?p ?o }", "not a valid SPARQL"),
    ],
)
def test_query_checker_errors_are_one_line(runner, tmp_path, query, message) -> None:
    graph = tmp_path / "g.nt"
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    result = run(runner, "query", query, "--graph", str(graph))
    assert result.exit_code == EXIT_INPUT and message in result.stderr


def test_query_timeout_exit_code(runner, tmp_path) -> None:
    graph = tmp_path / "g.nt"
    graph.write_text(
        "".join(f"<urn:s{i}> <urn:p> <urn:o{i}> .\n" for i in range(200)), encoding="utf-8"
    )
    endless = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    result = run(runner, "query", endless, "--graph", str(graph), "--timeout", "1")
    assert result.exit_code == 3 and "--timeout" in result.stderr


def test_exit_codes_are_documented() -> None:
    import graph.errors

    doc = graph.errors.__doc__
    for code in ("0", "1", "2", "3", "130"):
        assert f"\n{code} " in doc
    assert Path(graph.errors.__file__).is_file()
