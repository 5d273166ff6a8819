"""``yuegang extract``: read notices and print what they say, as JSON, JSON lines or CSV."""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from graph.errors import YuegangError, check_output_file


class ExtractFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    corrections = "corrections"


CSV_COLUMNS = [
    "identifier",
    "source",
    "item",
    "key",
    "section",
    "subsection",
    "line",
    "text",
    "responsibility",
    "position",
    "agency",
    "as_written",
    "role",
    "agency_id",
    "known",
    "places",
    "themes",
    "keywords",
    "target_year",
]


def register(app: typer.Typer) -> None:
    """Add ``extract`` to *app*."""
    app.command("extract")(extract)


def extract(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Notice files (UTF-8, GB18030/GBK or UTF-16). None: the bundled 2017 notice."
        ),
    ] = None,
    format: Annotated[
        ExtractFormat,
        typer.Option(
            "--format",
            "-f",
            help="json (one object, or a list for several files), jsonl (one object per file "
            "per line), csv (one row per item and unit) or corrections (a corrections file of "
            "the items that need attention, their current lists filled in, ready to edit).",
        ),
    ] = ExtractFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    keywords: Annotated[
        bool, typer.Option(help="Compute jieba keywords (about 1 s to load).")
    ] = True,
    corrections: Annotated[
        Path | None,
        typer.Option(
            help="Corrections file (CSV: document,item,list,note) to apply: corrected items "
            'get the units of the corrected list and a "correction" record.'
        ),
    ] = None,
    max_size: Annotated[
        float,
        typer.Option(
            "--max-size", help="Refuse files larger than this many MB, before reading them."
        ),
    ] = 20.0,
) -> None:
    """Extract items, units, places and themes from key-work notices."""
    from graph.extract.notice import extract_file, summarise_warnings

    results = []
    try:
        if output is not None:
            check_output_file(output)  # before the work, so a bad -o costs nothing
        for path in files or []:
            if path.exists() and not path.is_file() and not path.is_dir():
                raise YuegangError(f"{path}: not a regular file (a device or a pipe)")
        for path in files or [None]:
            results.append(
                extract_file(path, keywords=keywords, max_size=int(max_size * 1024 * 1024))
            )
        if corrections is not None:
            results = _corrected(results, corrections)
    except YuegangError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    for result in results:
        for line in summarise_warnings(result["warnings"], result["document"]["source"]):
            typer.echo(f"warning: {line}", err=True)
    text = render(results, format.value, several=len(files or []) > 1)
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


def render(results: list[dict], format: str, *, several: bool = False) -> str:
    """Serialise extraction dicts in one of the ``extract`` formats."""
    if format == "json":
        payload = results if several else results[0]
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if format == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results)
    if format == "corrections":
        from graph.extract.corrections import corrections_template

        return corrections_template(results)
    return _csv(results)


def _corrected(results: list[dict], path: Path) -> list[dict]:
    """*results* with the corrections file applied; its warnings printed like the notices'."""
    from graph.extract.corrections import apply_corrections, read_corrections

    corrected, warned = apply_corrections(results, read_corrections(path))
    for w in warned:
        typer.echo(f"warning: {w['source']}:{w['line']}: {w['message']}", err=True)
    return corrected


def _csv(results: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for result in results:
        doc = result["document"]
        for item in result["items"]:
            base = {
                "identifier": doc["identifier"],
                "source": doc["source"],
                "item": item["number"],
                "key": item["key"],
                "section": item["section"],
                "subsection": item["subsection"],
                "line": item["line"],
                "text": item["text"],
                "responsibility": item["responsibility"],
                "places": ";".join(item["places"]),
                "themes": ";".join(item["themes"]),
                "keywords": ";".join(item["keywords"]),
                "target_year": item["target_year"],
            }
            for unit in item["agencies"] or [None]:
                row = dict(base)
                if unit:
                    row.update(
                        position=unit["position"],
                        agency=unit["name"],
                        as_written=unit["as_written"],
                        role=unit["role"],
                        agency_id=unit["id"],
                        known=unit["known"],
                    )
                writer.writerow(row)
    return buffer.getvalue()
