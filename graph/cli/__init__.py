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


#: BLAS thread settings for the command line: the layouts (Kamada–Kawai on a few dozen nodes)
#: make thousands of tiny BLAS calls, which run about twice as fast on one thread as when
#: OpenBLAS wakes a thread per core; the large measures use sparse code that does not thread.
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def main() -> None:
    """Entry point of the ``yuegang`` console script (BLAS pinned to one thread unless the
    environment sets it; numpy reads these variables when it is first imported)."""
    import os

    for name, value in BLAS_THREADS.items():
        os.environ.setdefault(name, value)
    app()
