"""The ``yuegang`` command as a whole: version, help, every stage's command registered."""

from __future__ import annotations

from importlib.metadata import version

from typer.testing import CliRunner

from graph.cli import app

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"yuegang-graph {version('yuegang-graph')}"


def test_help_lists_every_stage():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("extract", "build", "query", "validate", "network", "report", "serve", "push"):
        assert command in result.output
