"""``yuegang query`` and ``yuegang validate``: SPARQL on the built graph, SHACL check of it."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph.errors import YuegangError


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    tsv = "tsv"


class EngineName(StrEnum):
    oxigraph = "oxigraph"
    rdflib = "rdflib"


GRAPH_HELP = (
    "Graph file (Turtle, N-Triples or JSON-LD). Default: ./yuegang-out/graph.ttl if it exists, "
    "else the bundled notice built in memory."
)


def register(app: typer.Typer) -> None:
    """Add ``query`` and ``validate`` to *app*."""
    app.command("query")(query)
    app.command("validate")(validate)


def _fail(exc: Exception, code: int | None = None) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code if code is not None else getattr(exc, "exit_code", 2))


def query(
    spec: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY|FILE.rq|NAME",
            help="SPARQL text, a .rq file, or the name of a ready-made query (see --list).",
        ),
    ] = None,
    graph: Annotated[Path | None, typer.Option("--graph", "-g", help=GRAPH_HELP)] = None,
    format: Annotated[
        OutputFormat,
        typer.Option(
            "--format", "-f", help="table (readable), csv, json or tsv (SPARQL results formats)."
        ),
    ] = OutputFormat.table,
    param: Annotated[
        list[str] | None,
        typer.Option(
            "--param",
            "-p",
            metavar="NAME=VALUE",
            help="A query parameter (repeatable), bound as a literal, never pasted into the text.",
        ),
    ] = None,
    list_queries: Annotated[
        bool, typer.Option("--list", help="List the ready-made queries and exit.")
    ] = False,
    engine: Annotated[
        EngineName,
        typer.Option("--engine", help="Query engine: oxigraph (fast) or rdflib (plain Python)."),
    ] = EngineName.oxigraph,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", help="Stop after this many seconds (loading the graph included)."
        ),
    ] = 30.0,
    memory_limit: Annotated[
        int,
        typer.Option("--memory-limit", help="Memory (MB) for loading the graph and the query."),
    ] = 2048,
) -> None:
    """Run a SPARQL query on the graph (read-only: no update, no SERVICE, no FROM)."""
    from graph.rdf import query as q

    if list_queries:
        _print_list(q.describe_ready_made(), format)
        return
    if not spec:
        raise _fail(ValueError("give a query, a .rq file or a ready-made name (see --list)"))
    try:
        params = _parse_params(param or [])
        text, _ready = q.resolve_query(spec)
        from graph.rdf.sparql_safety import assert_safe

        assert_safe(text)  # refuse before loading anything
        if graph is None and not q.DEFAULT_GRAPH.exists():
            typer.echo(
                f"note: no {q.DEFAULT_GRAPH}; querying the bundled notice built in memory",
                err=True,
            )
        result = q.run_isolated(  # no network, --timeout and --memory-limit cover the loading
            spec,
            graph,
            params=params,
            timeout=timeout,
            engine=engine.value,
            memory_mb=memory_limit,
        )
    except YuegangError as exc:  # QueryRefused is one
        raise _fail(exc) from exc
    if format is OutputFormat.table:
        _print_table(result)
    else:
        sys.stdout.write(q.format_result(result, format.value))


def _parse_params(items: list[str]) -> dict[str, str]:
    params = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise YuegangError(f"--param {item!r}: expected NAME=VALUE")
        params[name.strip()] = value
    return params


def _print_table(result) -> None:  # noqa: ANN001 - graph.rdf.query.QueryResult
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if result.kind == "ask":
        console.print("true" if result.boolean else "false")
        return
    table = Table(show_lines=False, header_style="bold")
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*("" if cell is None else cell.short() for cell in row))
    console.print(table)
    noun = "row" if len(result.rows) == 1 else "rows"
    console.print(f"{len(result.rows)} {noun} in {result.seconds:.2f} s", style="dim")


def _print_list(queries: list[dict], format: OutputFormat) -> None:
    if format is OutputFormat.json:
        import json

        sys.stdout.write(json.dumps(queries, ensure_ascii=False, indent=1) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(header_style="bold")
    for column in ("name", "title", "parameters", "description"):
        table.add_column(column, overflow="fold")
    for entry in queries:
        params = ", ".join(
            f"{p['name']}={p['default']}" if p["default"] else f"{p['name']} (optional)"
            for p in entry["params"]
        )
        table.add_row(entry["name"], entry["title"], params, entry["description"])
    Console().print(table)


def validate(
    graph: Annotated[Path | None, typer.Option("--graph", "-g", help=GRAPH_HELP)] = None,
) -> None:
    """Check the graph against the SHACL shapes (ontology/shapes.ttl); exit 1 if it does not conform."""
    import rdflib

    from graph.rdf import query as q
    from graph.rdf.validate import validate as run_validation

    try:
        if graph is None and q.DEFAULT_GRAPH.exists():
            graph = q.DEFAULT_GRAPH
        if graph is None:
            g = q._bundled_graph()
            label = "the bundled notice (built in memory)"
        else:
            if not graph.is_file():
                raise YuegangError(f"{graph}: graph file not found (run `yuegang build` first)")
            g = rdflib.Graph().parse(graph, format=rdflib.util.guess_format(str(graph)) or "turtle")
            label = str(graph)
    except (YuegangError, SyntaxError, ValueError) as exc:
        raise _fail(exc) from exc
    conforms, report = run_validation(g)
    if conforms:
        typer.echo(f"{label}: conforms to the SHACL shapes ({len(g)} triples)")
        return
    typer.echo(report)
    typer.echo(f"{label}: does NOT conform to the SHACL shapes", err=True)
    raise typer.Exit(1)
