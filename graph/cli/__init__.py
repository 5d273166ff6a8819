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

for _module in (extract, build, query, network, serve):
    _module.register(app)


def main() -> None:
    """Entry point of the ``yuegang`` console script."""
    app()
