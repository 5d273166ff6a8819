"""``yuegang build``: notices → the knowledge graph files (Turtle, JSON-LD, N-Triples, ontology)."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from graph.errors import YuegangError

DEFAULT_OUT = Path("yuegang-out")


def register(app: typer.Typer) -> None:
    """Add ``build`` to *app*."""
    app.command("build")(build)


def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="Notice files. None: the bundled 2017 notice (粤府函〔2017〕38号)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")] = DEFAULT_OUT,
) -> None:
    """Extract the notices and write the graph (graph.ttl, graph.jsonld, graph.nt), the ontology
    and the SHACL shapes into OUT, then validate the graph."""
    try:
        written = build_outputs(files or [None], out, echo=lambda m: typer.echo(m, err=True))
    except YuegangError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for label, path in written["files"].items():
        typer.echo(f"wrote {path}  ({label})")
    if not written["conforms"]:
        typer.echo(written["report"], err=True)
        typer.echo("error: the graph does not conform to the SHACL shapes", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"{written['triples']} triples, {written['items']} items from {written['notices']} "
        "notice(s); conforms to the SHACL shapes"
    )


def build_outputs(files: list[Path | None], out: Path, *, echo: Any = print) -> dict[str, Any]:
    """Extract *files*, build, write and validate the graph; return what was written.

    Returns a dict with ``files`` (label → path), ``triples``, ``items``, ``notices``,
    ``conforms`` and ``report``. Warnings of the extractor and the graph builder go to *echo*.
    """
    from graph.extract import extract_file
    from graph.rdf import GraphWarning, build_graph, ontology_path, write_graph
    from graph.validate import shapes_path, validate

    extractions = []
    for path in files:
        extraction = extract_file(path)
        source = extraction["document"]["source"]
        for warning in extraction.get("warnings", []):
            where = f"{source}:{warning['line']}" if warning.get("line") else source
            echo(f"warning: {where}: {warning['message']}")
        extractions.append(extraction)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GraphWarning)
        g = build_graph(extractions)
    for warning in caught:
        echo(f"warning: {warning.message}")
    out.mkdir(parents=True, exist_ok=True)
    paths = write_graph(g, out)
    files_written: dict[str, Path] = {
        "Turtle": paths["ttl"],
        "JSON-LD": paths["jsonld"],
        "N-Triples": paths["nt"],
    }
    for label, source_path in (("ontology", ontology_path()), ("SHACL shapes", shapes_path())):
        target = out / source_path.name
        shutil.copyfile(source_path, target)
        files_written[label] = target
    conforms, report = validate(g)
    # The views stage adds its pages here: files_written.update(write_views(g, out)).
    files_written.update(_write_views(g, out, echo))
    items = sum(len(e["items"]) for e in extractions)
    return {
        "files": files_written,
        "triples": len(g),
        "items": items,
        "notices": len(extractions),
        "conforms": conforms,
        "report": report,
    }


def _write_views(g: Any, out: Path, echo: Any) -> dict[str, Path]:
    """The single spot where ``build`` writes the HTML views (graph.views.write_all_views)."""
    return {}
