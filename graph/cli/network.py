"""CLI of the network stage: ``yuegang network …`` (networks, measures, files) and ``yuegang report``.

Every command reads a built graph (``--graph FILE``; default ``./yuegang-out/graph.ttl`` when
it exists, else the bundled notice extracted and built in memory), applies the filters, and
either writes ``--output FILE`` in ``--format`` or prints a table of the top agencies
``--by`` a measure.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import typer

DEFAULT_GRAPH = Path("yuegang-out") / "graph.ttl"
RDF_FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".xml": "xml",
    ".n3": "n3",
    ".trig": "trig",
    ".nq": "nquads",
}


class NetFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    csv = "csv"
    json = "json"


class TableFormat(StrEnum):
    csv = "csv"
    json = "json"


GraphOpt = Annotated[
    Path | None,
    typer.Option(
        "--graph",
        help="Built graph (Turtle etc.); default ./yuegang-out/graph.ttl, "
        "else the bundled notice built in memory.",
    ),
]
DocumentOpt = Annotated[
    list[str] | None, typer.Option("--document", help="Notice: identifier or slug.")
]
SectionOpt = Annotated[
    list[str] | None, typer.Option("--section", help="Section number, 'n.m' or title.")
]
ThemeOpt = Annotated[
    list[str] | None,
    typer.Option("--theme", help="Theme (zh name, id or English); narrower themes included."),
]
PlaceOpt = Annotated[
    list[str] | None,
    typer.Option("--place", help="Place named in the item (zh name, id or English)."),
]
RoleOpt = Annotated[
    str | None, typer.Option("--role", help="Keep only assignments with this role, e.g. 'lead'.")
]
KindOpt = Annotated[
    list[str] | None, typer.Option("--kind", help="Keep only agencies of this kind.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="File to write; without it a table is printed."),
]
ByOpt = Annotated[
    str, typer.Option("--by", help="Measure to rank agencies by in the printed table.")
]
TopOpt = Annotated[int, typer.Option("--top", min=1, help="Rows of the printed table.")]
WeightOpt = Annotated[
    str,
    typer.Option(
        "--weight", help="Edge weight for the measures: 'weight' (shared items) or 'newman'."
    ),
]
KOpt = Annotated[
    str,
    typer.Option(
        "--betweenness-k",
        help="'auto' (exact up to 500 agencies, else 200 sampled sources), 'exact', or a number of sampled sources.",
    ),
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Seed for Louvain and sampled betweenness.")]


@cache
def _err() -> Any:
    """rich's console on stderr (rich is imported by the commands that print with it)."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    _err().print(f"[bold red]Error:[/] {message}", highlight=False, markup=True)
    return typer.Exit(code)


def load_graph(path: Path | None):
    """The corpus to analyse (read once from the RDF graph, warnings shown): from *path*, else
    ./yuegang-out/graph.ttl, else the bundled notice built in memory."""
    from graph.network.networks import load_corpus

    g = _read_rdf(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = load_corpus(g)
    for w in caught:
        _err().print(f"[yellow]warning:[/] {w.message}", highlight=False)
    return corpus


def _read_rdf(path: Path | None):
    from rdflib import Graph

    if path is None and DEFAULT_GRAPH.is_file():
        path = DEFAULT_GRAPH
    if path is None:
        from graph.extract.notice import extract_file
        from graph.rdf.build import build_graph

        _err().print(
            "[dim]no --graph and no ./yuegang-out/graph.ttl: building the bundled notice in memory[/]"
        )
        return build_graph([extract_file(None)])
    if not path.is_file():
        raise _fail(f"{path}: no such file")
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _fail(
            f"{path}: unknown RDF file type {path.suffix!r} (use one of {', '.join(RDF_FORMATS)})"
        )
    try:
        return Graph().parse(path, format=fmt)
    except Exception as exc:  # rdflib raises many parser-specific types
        raise _fail(f"{path}: cannot parse as {fmt}: {exc}") from exc


def _filters(document, section, theme, place, role, kind) -> dict[str, Any]:
    return {
        "document": document or None,
        "section": section or None,
        "theme": theme or None,
        "place": place or None,
        "role": role,
        "kind": kind or None,
    }


def _k(value: str) -> int | str | None:
    if value == "auto":
        return "auto"
    if value == "exact":
        return None
    try:
        k = int(value)
    except ValueError:
        raise _fail(f"--betweenness-k must be 'auto', 'exact' or a number, not {value!r}") from None
    if k < 1:
        raise _fail("--betweenness-k must be at least 1")
    return k


def _agency_graph(graph_file, filters, weight, k, seed):
    from graph.network.measures import with_measures
    from graph.network.networks import agency_network

    if weight not in ("weight", "newman"):
        raise _fail(f"--weight must be 'weight' or 'newman', not {weight!r}")
    g = load_graph(graph_file)
    try:
        G = agency_network(g, **filters)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    G = with_measures(G, weight=weight, betweenness_k=_k(k), seed=seed)
    if G.graph.get("betweenness_k") != "exact":
        _err().print(
            f"[yellow]note:[/] betweenness estimated from {G.graph['betweenness_k']} sampled source "
            f"agencies (seed {seed}); use --betweenness-k exact for the exact value"
        )
    return G


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.3f}"
    return "" if value is None else str(value)


def _print_top(G, by: str, top: int) -> None:
    from graph.network.measures import MEASURES, measures_table, network_summary

    if by not in MEASURES:
        raise _fail(f"unknown measure {by!r} for --by; choose one of {', '.join(MEASURES)}")
    frame = measures_table(G, by=by).head(top)
    s = network_summary(G)
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"top {len(frame)} agencies by {by}", title_justify="left")
    console = Console()
    cols = ["name", "items", "partners", "weighted_degree", "betweenness", "participation"]
    if console.width >= 120:
        cols[5:5] = ["eigenvector", "constraint", "community"]
    if console.width >= 160:
        cols[1:1] = ["label_en", "kind"]
    if by not in cols:
        cols.append(by)
    for c in cols:
        table.add_column(
            c,
            style="bold" if c == by else None,
            justify="left" if c in ("name", "label_en", "kind") else "right",
            overflow="fold",
            max_width=28 if c == "label_en" else None,
            no_wrap=c == "name",
        )
    for _, row in frame.iterrows():
        table.add_row(*(_cell(row[c]) for c in cols))
    console.print(table)
    console.print(
        f"{s['agencies']} agencies, {s['links']} links, density {s['density']:.3f}, "
        f"{s['components']} components (largest {s['largest_component']}), {s['isolates']} isolates; "
        f"{s['items']} items: {s['items_one_agency']} with one agency, {s['items_several_agencies']} "
        f"with several; Gini of items per agency {_cell(s['gini_items_per_agency'])}; "
        f"modularity {_cell(s.get('modularity'))}; betweenness {s.get('betweenness_k')}",
        highlight=False,
    )


def _written(path: Path) -> None:
    _err().print(f"wrote {path}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``network`` (sub-commands agencies, measures, bipartite, themes, places, matrix,
    summary) and ``report`` to *app*."""
    net = typer.Typer(
        help="Networks of shared responsibility: tables, measures, Gephi files.",
        no_args_is_help=True,
    )
    app.add_typer(net, name="network")

    @net.command("agencies")
    def agencies(
        format: Annotated[NetFormat, typer.Option("--format", "-f")] = NetFormat.graphml,
        output: OutputOpt = None,
        graph_file: GraphOpt = None,
        document: DocumentOpt = None,
        section: SectionOpt = None,
        theme: ThemeOpt = None,
        place: PlaceOpt = None,
        role: RoleOpt = None,
        kind: KindOpt = None,
        by: ByOpt = "weighted_degree",
        top: TopOpt = 20,
        weight: WeightOpt = "weight",
        betweenness_k: KOpt = "auto",
        seed: SeedOpt = 42,
    ) -> None:
        """The agency co-responsibility network with every measure on its nodes.

        Edge `weight` = shared items, `items` = their numbers ("1;4;5" in GraphML/GEXF),
        `newman` = Newman's collaboration weight. Every agency with an item is a node.
        """
        from graph.network.exports import write_network

        G = _agency_graph(
            graph_file,
            _filters(document, section, theme, place, role, kind),
            weight,
            betweenness_k,
            seed,
        )
        if output is None:
            _print_top(G, by, top)
            return
        _written(write_network(G, output, format.value))

    @net.command("measures")
    def measures(
        format: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.csv,
        output: OutputOpt = None,
        graph_file: GraphOpt = None,
        document: DocumentOpt = None,
        section: SectionOpt = None,
        theme: ThemeOpt = None,
        place: PlaceOpt = None,
        role: RoleOpt = None,
        kind: KindOpt = None,
        by: ByOpt = "weighted_degree",
        top: TopOpt = 20,
        weight: WeightOpt = "weight",
        betweenness_k: KOpt = "auto",
        seed: SeedOpt = 42,
    ) -> None:
        """One row per agency: name, full_name, kind, items, partners, weighted_degree,
        betweenness, closeness, eigenvector, effective_size, constraint, core, community,
        sections, participation (then id, label_en)."""
        from graph.network.exports import _json_value
        from graph.network.measures import measures_table

        G = _agency_graph(
            graph_file,
            _filters(document, section, theme, place, role, kind),
            weight,
            betweenness_k,
            seed,
        )
        if output is None:
            _print_top(G, by, top)
            return
        frame = measures_table(G)
        output.parent.mkdir(parents=True, exist_ok=True)
        if format is TableFormat.csv:
            frame.to_csv(output, index=False, encoding="utf-8", lineterminator="\n")
        else:
            records = [_json_value(r) for r in frame.to_dict(orient="records")]
            output.write_text(
                json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
        _written(output)

    def _two_mode(kind_name: str):
        def command(
            format: Annotated[NetFormat, typer.Option("--format", "-f")] = NetFormat.graphml,
            output: OutputOpt = None,
            graph_file: GraphOpt = None,
            document: DocumentOpt = None,
            section: SectionOpt = None,
            theme: ThemeOpt = None,
            place: PlaceOpt = None,
            role: RoleOpt = None,
            kind: KindOpt = None,
            top: TopOpt = 20,
        ) -> None:
            from rich.console import Console
            from rich.table import Table

            from graph.network import networks
            from graph.network.exports import edges_frame, write_network

            build = {
                "bipartite": networks.bipartite_network,
                "themes": networks.theme_network,
                "places": networks.place_network,
            }[kind_name]
            g = load_graph(graph_file)
            try:
                G = build(g, **_filters(document, section, theme, place, role, kind))
            except ValueError as exc:
                raise _fail(str(exc)) from exc
            if output is not None:
                _written(write_network(G, output, format.value))
                return
            if kind_name == "bipartite":
                rows = sorted(
                    (
                        (G.degree(v), v, d.get("text", ""))
                        for v, d in G.nodes(data=True)
                        if d.get("bipartite") == 1
                    ),
                    key=lambda r: (-r[0], r[1]),
                )[:top]
                table = Table(
                    title=f"items with the most agencies (top {len(rows)})", title_justify="left"
                )
                for c in ("item", "agencies", "text"):
                    table.add_column(c, overflow="fold")
                for deg, v, text in rows:
                    table.add_row(v.removeprefix("item:"), str(deg), text[:60])
            else:
                frame = edges_frame(G).sort_values(
                    ["weight", "source", "target"], ascending=[False, True, True], kind="mergesort"
                )
                table = Table(
                    title=f"agency–{kind_name[:-1]} links (top {min(top, len(frame))})",
                    title_justify="left",
                )
                for c in ("agency", kind_name[:-1], "items", "item numbers"):
                    table.add_column(c, overflow="fold")
                for _, r in frame.head(top).iterrows():
                    table.add_row(
                        str(r["source_name"]),
                        str(r["target_name"]),
                        str(r["weight"]),
                        str(r["items"]),
                    )
            Console().print(table)
            Console().print(
                f"{G.number_of_nodes()} nodes, {G.number_of_edges()} links", highlight=False
            )

        command.__doc__ = {
            "bipartite": "The two-mode item–agency network (items keyed item:{number}).",
            "themes": "The two-mode agency–theme network (weight = the agency's items on the theme).",
            "places": "The two-mode agency–place network (weight = the agency's items naming the place).",
        }[kind_name]
        return command

    for name in ("bipartite", "themes", "places"):
        net.command(name)(_two_mode(name))

    @net.command("matrix")
    def matrix(
        output: OutputOpt = None,
        graph_file: GraphOpt = None,
        level: Annotated[
            str, typer.Option("--level", help="'section' or 'subsection'.")
        ] = "section",
        columns: Annotated[str, typer.Option("--columns", help="'id' or 'name' (zh).")] = "name",
        document: DocumentOpt = None,
        section: SectionOpt = None,
        theme: ThemeOpt = None,
        place: PlaceOpt = None,
        role: RoleOpt = None,
        kind: KindOpt = None,
    ) -> None:
        """The section × agency matrix (items per cell) as CSV."""
        from graph.network.networks import section_agency_matrix

        g = load_graph(graph_file)
        try:
            frame = section_agency_matrix(
                g,
                level=level,
                columns=columns,
                **_filters(document, section, theme, place, role, kind),
            )
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        if output is None:
            frame.to_csv(sys.stdout, lineterminator="\n")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(output, encoding="utf-8", lineterminator="\n")
        _written(output)

    @net.command("summary")
    def summary(
        graph_file: GraphOpt = None,
        document: DocumentOpt = None,
        section: SectionOpt = None,
        theme: ThemeOpt = None,
        place: PlaceOpt = None,
        role: RoleOpt = None,
        kind: KindOpt = None,
        weight: WeightOpt = "weight",
        betweenness_k: KOpt = "auto",
        seed: SeedOpt = 42,
    ) -> None:
        """Network-level figures as JSON: density, components, items with one/several agencies,
        Gini of items per agency, communities and modularity."""
        from graph.network.exports import _json_value
        from graph.network.measures import network_summary

        G = _agency_graph(
            graph_file,
            _filters(document, section, theme, place, role, kind),
            weight,
            betweenness_k,
            seed,
        )
        typer.echo(json.dumps(_json_value(network_summary(G)), ensure_ascii=False, indent=1))

    @app.command("report")
    def report(
        out: Annotated[
            Path, typer.Option("--out", help="Directory for report.md, report.html, figures/.")
        ] = Path("yuegang-out") / "report",
        graph_file: GraphOpt = None,
        document: DocumentOpt = None,
        section: SectionOpt = None,
        theme: ThemeOpt = None,
        place: PlaceOpt = None,
        role: RoleOpt = None,
        kind: KindOpt = None,
        top: TopOpt = 10,
        figures: Annotated[bool, typer.Option("--figures/--no-figures")] = True,
        betweenness_k: KOpt = "auto",
        seed: SeedOpt = 42,
    ) -> None:
        """Write a Markdown and a self-contained HTML report of the network findings."""
        from graph.errors import YuegangError, ensure_output_dir
        from graph.network.report import write_report

        try:  # before any work: a folder that is a file fails with nothing written
            ensure_output_dir(out, ("figures",))
        except YuegangError as exc:
            raise _fail(str(exc)) from exc
        g = load_graph(graph_file)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                written = write_report(
                    g,
                    out,
                    top=top,
                    draw=figures,
                    betweenness_k=_k(betweenness_k),
                    seed=seed,
                    **_filters(document, section, theme, place, role, kind),
                )
            except ValueError as exc:
                raise _fail(str(exc)) from exc
        for w in caught:
            _err().print(f"[yellow]warning:[/] {w.message}", highlight=False)
        for path in written.values():
            _written(path)
