"""``yuegang build``: notices → the knowledge graph, the views, network exports and the report.

The work is done by :func:`graph.pipeline.build_all`; this module only reports it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graph.errors import YuegangError
from graph.pipeline import DEFAULT_OUT, build_all

_LABELS = {
    "turtle": "graph, Turtle",
    "jsonld": "graph, JSON-LD",
    "ntriples": "graph, N-Triples",
    "ontology": "ontology",
    "shapes": "SHACL shapes",
    "ontology_docs": "ontology documentation",
}


def register(app: typer.Typer) -> None:
    """Add ``build`` to *app*."""
    app.command("build")(build)


def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Notice files. None: the bundled 2017 notice (粤府函〔2017〕38号)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = DEFAULT_OUT,
    views: Annotated[bool, typer.Option(help="Write the interactive HTML views.")] = True,
    report: Annotated[
        bool, typer.Option(help="Write the network report, measures and figures.")
    ] = True,
    endpoint: Annotated[
        str | None,
        typer.Option(help="Base URL of a running `yuegang serve`, for links from the views."),
    ] = None,
    corrections: Annotated[
        Path | None,
        typer.Option(
            help="Corrections file (CSV: document,item,list,note): responsibility lists as they "
            "should read; the graph records each correction and its note."
        ),
    ] = None,
) -> None:
    """Extract the notices, build and validate the graph, and write the graph (graph.ttl,
    graph.jsonld, graph.nt), the ontology, network exports, the report and the interactive
    views into OUT; print where index.html is."""
    try:
        result = build_all(
            files or [None],
            out,
            views=views,
            report=report,
            endpoint=endpoint,
            echo=lambda m: typer.echo(m, err=True),
            corrections=corrections,
        )
    except YuegangError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for key, path in result.files.items():
        if key in _LABELS:
            typer.echo(f"wrote {path}  ({_LABELS[key]})")
    folders: dict[Path, list[str]] = {}
    for key, path in result.files.items():
        if key not in _LABELS:
            folders.setdefault(path.parent, []).append(path.name)
    for folder, names in sorted(folders.items()):
        typer.echo(f"wrote in {folder}: {', '.join(sorted(names))}")
    if not result.conforms:
        typer.echo(result.report, err=True)
        typer.echo("error: the graph does not conform to the SHACL shapes", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{result.triples} triples, {result.items} items from {result.notices} notice(s); "
        "conforms to the SHACL shapes"
    )
    from graph.rdf.validate import warned_nodes

    unlisted = len(warned_nodes(result.report))
    if unlisted:
        typer.echo(
            f"warning: {unlisted} item(s) have no responsible unit (no list was read); they are "
            "in the graph and flagged on the proofreading page",
            err=True,
        )
    if result.index is not None:
        typer.echo(f"open {result.index.resolve()}")
