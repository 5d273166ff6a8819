"""The ``yuegang`` command line: one sub-module per pipeline stage registers its commands."""

from __future__ import annotations

from typing import Annotated

import typer

from graph.cli import build, extract, network, query, serve

app = typer.Typer(
    name="yuegang",
    help="Turn Chinese government cooperation 'key work' notices into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from graph import __version__

        typer.echo(f"yuegang-graph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """yuegang-graph: key-work notices → knowledge graph, networks and views."""


for _module in (extract, build, query, network, serve):
    _module.register(app)


def main() -> None:
    """Entry point of the ``yuegang`` console script."""
    app()
