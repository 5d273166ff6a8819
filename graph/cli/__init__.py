"""The ``yuegang`` command line: one sub-module per pipeline stage registers its commands.

No command shows a traceback for input a user can give: :class:`_CleanGroup` turns a
:class:`~graph.errors.YuegangError` or a file-system error that a command did not handle into
``error: <path>: <what is wrong>`` and the exit code documented in :mod:`graph.errors`
(2 bad input or path, 3 a time or memory limit, 130 interrupted).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from graph.cli import build, extract, network, query, serve
from graph.errors import (
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_LIMIT,
    YuegangError,
    describe_os_error,
)


class _CleanGroup(TyperGroup):
    """Run a command; report the errors it did not handle as one line and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except YuegangError as exc:
            _fail(str(exc), exc.exit_code)
        except OSError as exc:
            _fail(describe_os_error(exc), EXIT_INPUT)
        except MemoryError:
            _fail("out of memory (try a smaller input)", EXIT_LIMIT)
        except RecursionError:
            _fail("input nested too deeply to be processed", EXIT_INPUT)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)


def _fail(message: str, code: int) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


app = typer.Typer(
    name="yuegang",
    cls=_CleanGroup,
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
