"""CLI commands of the serve stage: ``yuegang serve`` (read-only SPARQL endpoint) and
``yuegang push`` (upload to a Graph Store Protocol endpoint)."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from graph.errors import YuegangError


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``push`` to *app*."""
    app.command("serve")(serve)
    app.command("push")(push)


def serve(
    graph: Annotated[
        Path | None,
        typer.Option(
            "--graph",
            help="Graph file (Turtle, N-Triples …) or a `yuegang build` output directory. "
            "Default: ./yuegang-out, else the bundled notice built in memory.",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to bind; 0.0.0.0 exposes the endpoint to the network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 7878,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run.")] = 5.0,
    max_result_bytes: Annotated[
        int, typer.Option("--max-result-bytes", help="Largest serialized result sent.")
    ] = 50_000_000,
    max_body_bytes: Annotated[
        int, typer.Option("--max-body-bytes", help="Largest request body accepted.")
    ] = 1_000_000,
    workers: Annotated[int, typer.Option("--workers", help="Queries run at the same time.")] = 2,
    memory_limit: Annotated[
        int, typer.Option("--memory-limit", help="Memory (MB) of one query worker.")
    ] = 1024,
    client_queries: Annotated[
        int | None,
        typer.Option(
            "--client-queries", help="Queries one client address runs at once (default workers-1)."
        ),
    ] = None,
    request_deadline: Annotated[
        float,
        typer.Option("--request-deadline", help="Seconds a request may take to arrive whole."),
    ] = 10.0,
    max_connections: Annotated[
        int, typer.Option("--max-connections", help="Open connections in total.")
    ] = 2000,
    client_connections: Annotated[
        int, typer.Option("--client-connections", help="Open connections from one address.")
    ] = 256,
    cors: Annotated[
        bool, typer.Option("--cors", help="Allow cross-origin requests (CORS).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Do not log each request.")] = False,
) -> None:
    """Serve the built graph as a read-only SPARQL endpoint with a query editor.

    GET or POST queries to /sparql (SPARQL 1.1 Protocol); open / in a browser for the editor;
    GET /agency/…, /doc/…/item/N … for a resource's description (HTML or Turtle).
    """
    from rich.console import Console

    from graph.endpoint.server import make_server

    console = Console(stderr=True)
    log = None if quiet else (lambda line: console.print(line, markup=False, highlight=False))
    try:
        with console.status("loading the graph and starting query workers …"):
            server = make_server(
                graph,
                host,
                port,
                cors=cors,
                log=log,
                timeout=timeout,
                max_result_bytes=max_result_bytes,
                max_body_bytes=max_body_bytes,
                workers=workers,
                memory_mb=memory_limit,
                client_queries=client_queries,
                request_deadline=request_deadline,
                max_connections=max_connections,
                client_connections=client_connections,
            )
    except YuegangError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc
    if not server.loopback_only:
        console.print(
            f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach this machine "
            "can query the graph",
            highlight=False,
        )
    if server.pool.network != "none":
        console.print(
            "[yellow]warning:[/yellow] the query workers could not get a network namespace of "
            "their own; queries holding the word SERVICE anywhere are refused instead",
            highlight=False,
        )
    console.print(
        f"{server.store.triples} triples from {server.store.source}\n"
        f"query editor  {server.url}\nSPARQL        {server.endpoint_url}\n"
        f"limits: {timeout:g} s and {memory_limit} MB per query, {max_result_bytes} bytes per "
        f"result, {workers} workers ({server.limits.per_client} per client), "
        f"network of the workers: {server.pool.network}, CORS {'on' if cors else 'off'}"
        " — Ctrl-C to stop",
        highlight=False,
    )

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)  # a plain `kill` also removes the temporary store
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        console.print("stopping")
    finally:
        server.stop()


def push(
    url: Annotated[
        str, typer.Argument(help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store.")
    ],
    graph: Annotated[
        str | None,
        typer.Option("--graph", help="Named graph IRI to add to (default: the default graph)."),
    ] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Triples per request.")] = 10_000,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="Graph file or build directory. Default: ./yuegang-out, else the bundled notice.",
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace the graph's content (first batch is a PUT).")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for each request.")
    ] = 120.0,
    resume_from: Annotated[
        int,
        typer.Option(
            "--resume-from",
            metavar="N",
            help="Start at batch N (after a failed push that names it; same file, batch size).",
        ),
    ] = 1,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="Read the graph back at the end and fail unless every triple arrived.",
        ),
    ] = True,
) -> None:
    """Upload the built graph to a SPARQL 1.1 Graph Store Protocol endpoint, in batches.

    Exit 0 only when the store holds every triple sent; exit 1 with the batches that landed
    and the --resume-from N to use otherwise.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from graph.endpoint.push import push_graph

    console = Console(stderr=True)
    columns = (
        TextColumn("[bold]push[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("triples"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("push", total=None, rate="")
            started: list[float] = []

            def progress(sent: int, total: int) -> None:
                import time

                if not started:
                    started.append(time.perf_counter())
                elapsed = time.perf_counter() - started[0]
                rate = f"{sent / elapsed:,.0f}/s" if elapsed > 0 and sent else ""
                bar.update(task, completed=sent, total=total, rate=rate)

            result = push_graph(
                url,
                source,
                graph_iri=graph,
                batch_size=batch_size,
                replace=replace,
                timeout=timeout,
                progress=progress,
                resume_from=resume_from,
                verify=verify,
            )
    except YuegangError as exc:
        from rich.markup import escape

        console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from exc
    checked = ", checked: the store holds them all" if verify else " (not checked: --no-verify)"
    console.print(
        f"sent {result.triples} triples in {result.batches} batches to {result.url} "
        f"in {result.seconds:.2f} s{checked}",
        highlight=False,
    )
