"""The ``yuegang`` command line: one sub-module per pipeline stage registers its commands."""

from __future__ import annotations

import typer

from graph.cli import build, extract, network, query, serve

app = typer.Typer(
    name="yuegang",
    help="Turn Chinese government cooperation 'key work' notices into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", is_eager=True
    ),
) -> None:
    """yuegang-graph: key-work notices → knowledge graph, networks and views."""
    if version:
        from importlib.metadata import version as _version

        typer.echo(f"yuegang-graph {_version('yuegang-graph')}")
        raise typer.Exit()


for _module in (extract, build, query, network, serve):
    _module.register(app)


def main() -> None:
    """Entry point of the ``yuegang`` console script."""
    app()
