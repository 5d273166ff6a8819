"""A read-only SPARQL 1.1 Protocol endpoint over the built graph: ``yuegang serve``.

The HTTP layer is the standard library's :class:`~http.server.ThreadingHTTPServer`; queries run
on a pyoxigraph store in a pool of killable worker processes (:mod:`graph.endpoint.pool`), which
is what makes the time limit real. The guarantees:

- read-only: the store is opened read-only, and every query passes
  :func:`graph.rdf.sparql_safety.assert_safe` before it runs — SPARQL Update, ``LOAD``, ``SERVICE``
  and ``FROM``/``FROM NAMED`` are refused with 403 and a message, so nothing goes on the network;
- binds 127.0.0.1 unless told otherwise, and then only answers requests whose ``Host`` is a
  loopback name (no DNS rebinding);
- a per-query time limit (503 after it, the worker is killed and replaced), a memory limit per
  worker (503, the worker replaced), a result-size limit (422), a request-body limit (413);
- fair admission (:class:`graph.endpoint.pool.Admission`): a client runs at most
  ``client_queries`` queries at once (429 when too many wait), the queue has a deadline (503);
- against trickling clients: every request must arrive whole within ``request_deadline``
  seconds (a watchdog closes the connection otherwise), and open connections are capped in
  total and per client address (over the cap: 503 and close);
- CORS off unless ``cors=True``.

Why the standard library's HTTP server and not an ASGI server: see ``docs/serve-limits.md``
(measured with ``scripts/bench_serve.py --adversarial``).

Routes: ``/`` the query editor (YASGUI, offline); ``/sparql`` the endpoint (GET, POST form or
``application/sparql-query``; no query → service description); any other path is read as an
IRI under ``https://w3id.org/yuegang/`` and answered with its description (HTML for browsers,
Turtle or another RDF format for RDF clients).

>>> with serve_in_thread("yuegang-out/graph.ttl", port=0) as server:   # doctest: +SKIP
...     print(server.endpoint_url)
http://127.0.0.1:41235/sparql
"""

from __future__ import annotations

import ipaddress
import json
import re
import resource
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from graph.endpoint.formats import NotAcceptable, choose_format, parse_accept
from graph.endpoint.pages import (
    editor_page,
    example_queries,
    resource_iri,
    resource_page,
    resource_queries,
    service_description,
    static_files,
)
from graph.endpoint.pool import Admission, Answer, WorkerPool
from graph.errors import YuegangError

__all__ = [
    "Limits",
    "ServeError",
    "SparqlServer",
    "make_server",
    "prepare_store",
    "serve_in_thread",
]

ENDPOINT_PATH = "/sparql"
_EDITOR_CSP = (
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


class ServeError(YuegangError):
    """The endpoint cannot start (no graph, unreadable file, port in use …)."""


@dataclass(frozen=True)
class Limits:
    """Limits that keep one client from taking the server down.

    ``timeout``: seconds a query may run; ``max_result_bytes``: size of a serialized result;
    ``max_body_bytes``: size of a request body; ``workers``: queries run at the same time;
    ``queue_timeout``: seconds a request waits for a free worker; ``memory_mb``: data memory
    of one worker (MB); ``client_queries``: queries one client address runs at once (None =
    one less than ``workers``, at least 1); ``request_deadline``: seconds a request (line,
    headers, body) may take to arrive; ``max_connections`` / ``client_connections``: open
    connections in total / from one address.
    """

    timeout: float = 5.0
    max_result_bytes: int = 50_000_000
    max_body_bytes: int = 1_000_000
    workers: int = 2
    queue_timeout: float = 30.0
    memory_mb: int = 1024
    client_queries: int | None = None
    request_deadline: float = 10.0
    max_connections: int = 2000
    client_connections: int = 256

    def __post_init__(self) -> None:
        for name in (
            "timeout",
            "max_result_bytes",
            "max_body_bytes",
            "workers",
            "queue_timeout",
            "memory_mb",
            "request_deadline",
            "max_connections",
            "client_connections",
        ):
            if getattr(self, name) <= 0:
                raise ServeError(f"limit {name} must be positive, got {getattr(self, name)}")
        if self.client_queries is not None and self.client_queries <= 0:
            raise ServeError(f"limit client_queries must be positive, got {self.client_queries}")

    @property
    def per_client(self) -> int:
        """Queries one client may run at once."""
        return self.client_queries or max(1, self.workers - 1)


@dataclass
class PreparedStore:
    """An on-disk pyoxigraph store (``path``) inside a temporary ``directory``."""

    directory: Path
    triples: int
    source: str

    @property
    def path(self) -> Path:
        return self.directory / "store"

    def cleanup(self) -> None:
        """Remove the temporary directory (after the workers are gone)."""
        shutil.rmtree(self.directory, ignore_errors=True)


def _default_source() -> Any:
    local = Path("yuegang-out") / "graph.ttl"
    if local.is_file():
        return local
    try:
        from graph.extract.notice import extract_file
        from graph.rdf.build import build_graph
    except ImportError as exc:  # the pipeline stages are missing: say what to pass instead
        raise ServeError(
            "no ./yuegang-out/graph.ttl and the build stage is not available; pass --graph FILE"
        ) from exc
    return build_graph([extract_file(None)])


LOAD_MEMORY_MB = 4096
LOAD_TIMEOUT = 900.0


def prepare_store(
    source: Any = None,
    *,
    memory_mb: int | None = LOAD_MEMORY_MB,
    timeout: float | None = LOAD_TIMEOUT,
) -> PreparedStore:
    """Load *source* into a fresh on-disk store that the workers open read-only.

    *source*: a graph file (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD by extension), a
    ``yuegang build`` output directory (its ``graph.ttl``), an rdflib ``Graph``, or None (the
    ``./yuegang-out`` build if there is one, else the bundled notice built in memory).

    A file is untrusted input: it is loaded in a child process without network, with at most
    *memory_mb* of data memory and *timeout* seconds (a billion-laughs RDF/XML or an endless
    file gives a :class:`ServeError`, not a machine out of memory).
    """
    if source is None:
        source = _default_source()
    label = "<in-memory graph>"
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            path = path / "graph.ttl"
        if not path.is_file():
            raise ServeError(f"{path}: no such graph file (run `yuegang build` first)")
        source, label = path, str(path)
    directory = Path(tempfile.mkdtemp(prefix="yuegang-serve-"))
    try:
        triples = _load_isolated(source, directory / "store", memory_mb, timeout, label)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    return PreparedStore(directory, triples, label)


def _load_isolated(
    source: Any, store_dir: Path, memory_mb: int | None, timeout: float | None, label: str
) -> int:
    """Bulk-load *source* into *store_dir* in a forked child; return the triple count."""
    from graph.rdf.isolated import ChildEnded, ChildTimeout, run_in_child

    args = (source, str(store_dir), memory_mb)
    try:  # settle: the child closes the store it wrote after answering
        status, payload = run_in_child(
            _load_child, args, timeout=timeout, memory_mb=memory_mb, settle=10
        )
    except ChildTimeout:
        raise ServeError(f"{label}: loading took longer than {timeout:g} s; stopped") from None
    except ChildEnded as exc:
        if exc.out_of_memory:
            raise ServeError(
                f"{label}: loading needed more than {memory_mb} MB of memory; stopped "
                "(an RDF/XML file that expands entities, or a file far too large)"
            ) from None
        raise ServeError(
            f"{label}: the loader ended without an answer (exit code {exc.exitcode})"
        ) from None
    if status != "ok":
        raise ServeError(payload)
    return int(payload)


def _load_child(source: Any, store_dir: str, memory_mb: int | None) -> tuple[str, Any]:
    """In the isolated child: bulk-load *source* into the store at *store_dir*, answer its size."""
    from pyoxigraph import RdfFormat, Store

    try:
        store = Store(store_dir)
        if isinstance(source, Path):
            fmt = RdfFormat.from_extension(source.suffix.lstrip(".")) or RdfFormat.TURTLE
            try:  # bulk_load: 3x faster than load into an on-disk store (18 s vs 59 s at 1M)
                store.bulk_load(path=str(source), format=fmt, base_iri=source.resolve().as_uri())
            except SyntaxError as exc:
                return "error", f"{source}: not valid {fmt.name}: {exc}"
        else:
            data = source.serialize(format="nt", encoding="utf-8")
            store.bulk_load(data, format=RdfFormat.N_TRIPLES)
        store.flush()
        triples = len(store)
        del store  # close the read-write handle before the workers open the store read-only
        return "ok", triples
    except MemoryError:
        return "error", f"loading needed more than {memory_mb} MB of memory"
    except OSError as exc:
        return "error", f"cannot load the graph: {exc}"


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: one thread per connection, queries on the worker pool."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        store: PreparedStore,
        limits: Limits,
        *,
        cors: bool = False,
        log: Callable[[str], None] | None = None,
    ):
        import socket

        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.store = store
        self.limits = limits
        self.cors = cors
        self.log = log
        _raise_open_file_limit(limits.max_connections + 64)
        self.pool = WorkerPool(store.path, size=limits.workers, memory_mb=limits.memory_mb)
        self.admission = Admission(limits.workers, limits.per_client)
        self._connections: dict[str, int] = {}
        self._reading: dict[socket.socket, float] = {}
        self._owners: dict[socket.socket, str] = {}
        self._expired: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self._stopping = threading.Event()
        self.refused_connections = 0
        self.expired_requests = 0
        self.queries_asked = 0
        try:
            super().__init__(address, _Handler)
        except OSError as exc:
            self.pool.close()
            raise ServeError(f"cannot listen on {address[0]}:{address[1]}: {exc}") from exc
        self.loopback_only = _is_loopback(address[0])
        try:
            self.examples = example_queries()
        except Exception as exc:  # noqa: BLE001 - an editor without examples still works
            print(f"yuegang serve: no example queries ({exc})", file=sys.stderr)
            self.examples = []
        self.static = static_files()
        self._thread: threading.Thread | None = None
        self._watchdog = threading.Thread(target=self._watch, name="yuegang-watchdog", daemon=True)
        self._watchdog.start()

    # -- connections: caps and the whole-request deadline ----------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        """Start a handler thread, unless the connection caps are reached (503, closed)."""
        client = str(client_address[0])
        with self._conn_lock:
            total = sum(self._connections.values())
            mine = self._connections.get(client, 0)
            over = total >= self.limits.max_connections or mine >= self.limits.client_connections
            if not over:
                self._connections[client] = mine + 1
                self._owners[request] = client
        if over:
            self.refused_connections += 1
            _refuse_connection(request)
            return
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close the connection and give its place back."""
        super().shutdown_request(request)
        with self._conn_lock:
            self._reading.pop(request, None)
            self._expired.discard(request)
            client = self._owners.pop(request, None)
            if client is None:
                return
            left = self._connections.get(client, 0) - 1
            if left > 0:
                self._connections[client] = left
            else:
                self._connections.pop(client, None)

    def reading(self, conn: socket.socket, active: bool) -> None:
        """Start (or stop) the whole-request deadline of *conn*."""
        with self._conn_lock:
            if active:
                self._expired.discard(conn)
                self._reading[conn] = time.monotonic() + self.limits.request_deadline
            else:
                self._reading.pop(conn, None)

    def cut_off(self, conn: socket.socket) -> bool:
        """True when the watchdog closed *conn*: what arrived is a partial request, not answered
        (the stdlib parses whatever arrived before the close, which would run it)."""
        with self._conn_lock:
            return conn in self._expired

    def _watch(self) -> None:
        """Close connections whose request did not arrive whole in time (slow or idle)."""
        while not self._stopping.wait(0.25):
            now = time.monotonic()
            with self._conn_lock:
                late = [c for c, deadline in self._reading.items() if deadline < now]
                for conn in late:
                    del self._reading[conn]
                    self._expired.add(conn)
            for conn in late:
                self.expired_requests += 1
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. ``http://127.0.0.1:7878/``."""
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}/"

    @property
    def endpoint_url(self) -> str:
        """URL of the SPARQL endpoint."""
        return self.url.rstrip("/") + ENDPOINT_PATH

    def run_query(
        self,
        query: str,
        accept: str | None = None,
        fmt: str | None = None,
        client: str = "local",
    ) -> Answer:
        """Run *query* on the pool under this server's limits, admitted fairly for *client*."""
        request = {
            "query": query,
            "accept": accept,
            "format": fmt,
            "max_bytes": self.limits.max_result_bytes,
        }
        self.queries_asked += 1
        start = time.monotonic()
        refused = self.admission.acquire(client, self.limits.queue_timeout)
        if refused is not None:
            return Answer(refused[0], error=refused[1])
        try:
            left = max(0.1, self.limits.queue_timeout - (time.monotonic() - start))
            return self.pool.run(request, self.limits.timeout, left)
        finally:
            self.admission.release(client)

    def stop(self) -> None:
        """Stop serving, kill the workers and remove the temporary store."""
        self._stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join(timeout=10)
            self._thread = None
        self.server_close()
        self.pool.close()
        self.store.cleanup()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser closing an idle keep-alive connection (reset, broken pipe, timeout) is how
        # connections end, not an error: no traceback for it.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    protocol_version = "HTTP/1.1"
    server_version = "yuegang-serve"
    timeout = 30  # seconds an idle keep-alive connection may hold its thread
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms delayed-ACK stall

    def handle_one_request(self) -> None:
        """Read and answer one request; the watchdog closes it if it does not arrive in time."""
        self.server.reading(self.connection, True)
        try:
            super().handle_one_request()
        finally:
            self.server.reading(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if self.server.log is not None:
            self.server.log(f"{self.address_string()} {format % args}")

    def log_error(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        if format.startswith("Request timed out"):  # an idle keep-alive connection closing
            return
        self.log_message(format, *args)

    # -- responses ---------------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.server.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, (message + "\n").encode(), "text/plain; charset=utf-8", headers)

    def _answer(self, answer: Answer, vary: bool = True) -> None:
        headers = {"Vary": "Accept"} if vary else {}
        if answer.status != 200:
            if answer.status == 503:
                headers["Retry-After"] = "5"
            self._error(answer.status, answer.error or "query failed", headers)
            return
        headers["Cache-Control"] = "no-store"
        self._send(200, answer.body, answer.media_type, headers)

    # -- request plumbing --------------------------------------------------------------------

    def _host_allowed(self) -> bool:
        if not self.server.loopback_only:
            return True
        host = self.headers.get("Host", "")
        if not host:
            return True
        match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", host)
        if match is None:
            return False
        if match[2] is not None and not 0 < int(match[2]) < 65536:
            return False  # a port must be a port: "localhost:evil.com" is refused above
        return _is_loopback(match[1])

    def _read_body(self) -> bytes | None:
        """The request body, or None after answering 411/413/400 (connection then closed)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.close_connection = True
            self._error(411, "chunked request bodies are not accepted; send a Content-Length")
            return None
        raw = self.headers.get("Content-Length", "0") or "0"
        try:
            length = int(raw)
        except ValueError:
            self.close_connection = True
            self._error(400, f"bad Content-Length {raw!r}")
            return None
        if length < 0:
            self.close_connection = True
            self._error(400, f"bad Content-Length {raw!r}")
            return None
        if length > self.server.limits.max_body_bytes:
            self.close_connection = True  # the body is never read
            self._error(
                413,
                f"request body of {length} bytes is over the limit of "
                f"{self.server.limits.max_body_bytes} bytes",
            )
            return None
        return self.rfile.read(length) if length else b""

    def _dispatch(self) -> None:
        try:
            self._route()
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:  # noqa: BLE001 - a bug must cost one request, not the connection silently
            import traceback

            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            try:
                self._error(500, "internal error while answering this request (see server log)")
            except OSError:
                pass

    def _route(self) -> None:
        if self.server.cut_off(self.connection):
            self.close_connection = True
            return
        if not self._host_allowed():
            self.close_connection = True
            self._error(421, "this server only answers requests addressed to a loopback name")
            return
        body = self._read_body()
        self.server.reading(self.connection, False)  # arrived whole: the deadline is met
        if self.server.cut_off(self.connection):
            self.close_connection = True
            return
        if body is None:
            return
        parts = urlsplit(self.path)
        path = parts.path
        if self.command == "OPTIONS":
            self._options(path)
            return
        if path == ENDPOINT_PATH:
            self._sparql(parts.query, body)
            return
        if self.command == "POST":
            self._error(405, f"POST is only accepted at {ENDPOINT_PATH}", {"Allow": "GET, HEAD"})
            return
        if path in ("/", "/index.html"):
            page = editor_page(
                self.server.examples, ENDPOINT_PATH.lstrip("/"), self.server.store.triples
            )
            self._send(
                200,
                page.encode(),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": _EDITOR_CSP, "Cache-Control": "no-cache"},
            )
            return
        static = self.server.static.get(path)
        if static is not None:
            kind = {".js": "text/javascript", ".css": "text/css"}.get(static.suffix, "text/plain")
            self._send(
                200,
                static.read_bytes(),
                kind + "; charset=utf-8",
                {"Cache-Control": "max-age=3600"},
            )
            return
        self._resource(path, parts.query)

    do_GET = do_HEAD = do_POST = do_OPTIONS = _dispatch

    def _method_not_allowed(self) -> None:
        self._error(405, "this endpoint is read-only", {"Allow": "GET, HEAD, POST, OPTIONS"})

    do_PUT = do_DELETE = do_PATCH = _method_not_allowed

    def _options(self, path: str) -> None:
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
        if self.server.cors:
            headers.update(
                {
                    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Content-Type, Accept",
                    "Access-Control-Max-Age": "600",
                }
            )
        self._send(204, b"", None, headers)

    # -- SPARQL protocol ---------------------------------------------------------------------

    def _sparql(self, url_query: str, body: bytes) -> None:
        try:
            params = parse_qs(url_query, keep_blank_values=True, strict_parsing=False)
            query: str | None = None
            if self.command == "POST":
                ctype = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
                text = body.decode("utf-8")
                if ctype == "application/x-www-form-urlencoded":
                    for key, values in parse_qs(text, keep_blank_values=True).items():
                        params.setdefault(key, []).extend(values)
                elif ctype == "application/sparql-query":
                    query = text
                elif ctype == "application/sparql-update":
                    self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
                    return
                else:
                    self._error(
                        415,
                        "POST a query as application/sparql-query or as the form field 'query' "
                        f"(application/x-www-form-urlencoded), not {ctype or 'no Content-Type'}",
                    )
                    return
        except UnicodeDecodeError:
            self._error(400, "the request body is not UTF-8")
            return
        if "update" in params:
            self._error(403, "SPARQL Update is not allowed: this endpoint is read-only")
            return
        for name in (
            "default-graph-uri",
            "named-graph-uri",
            "using-graph-uri",
            "using-named-graph-uri",
        ):
            if name in params:
                self._error(
                    400,
                    f"{name} is not supported: queries run on the built graph only "
                    "(remove the parameter)",
                )
                return
        queries = params.get("query", [])
        if query is not None:
            queries = [query, *queries]
        if len(queries) > 1:
            self._error(400, "send exactly one query")
            return
        fmt = next(iter(params.get("format", []) or params.get("output", [])), None)
        if not queries:
            if self.command == "POST":
                self._error(
                    400, "no query: send the form field 'query' or an application/sparql-query body"
                )
                return
            self._service_description(fmt)
            return
        if not queries[0].strip():
            self._error(400, "the query is empty")
            return
        self._answer(self._run(queries[0], self.headers.get("Accept"), fmt))

    def _run(self, query: str, accept: str | None, fmt: str | None) -> Answer:
        return self.server.run_query(query, accept, fmt, client=str(self.client_address[0]))

    def _service_description(self, fmt: str | None) -> None:
        accept = self.headers.get("Accept")
        best = parse_accept(accept)[0][0]
        if fmt is None and best in ("text/html", "application/xhtml+xml"):
            self._send(303, b"", None, {"Location": "/"})
            return
        try:
            chosen = choose_format("graph", accept, fmt)
        except NotAcceptable as exc:
            self._error(exc.status, str(exc))
            return
        host = self.headers.get("Host")
        base = f"http://{host}" if host and _safe_host(host) else self.server.url.rstrip("/")
        data = service_description(base + ENDPOINT_PATH, self.server.store.triples, chosen.writer)
        self._send(200, data, chosen.media_type, {"Vary": "Accept"})

    # -- resource pages ----------------------------------------------------------------------

    def _resource(self, path: str, url_query: str) -> None:
        iri = resource_iri(path)
        if iri is None:
            self._error(404, f"not found: {path}")
            return
        params = parse_qs(url_query)
        fmt = next(iter(params.get("format", [])), None)
        accept = self.headers.get("Accept")
        ranges = parse_accept(accept)
        wants_html = fmt in ("html",) or (
            fmt is None and ranges[0][0] in ("text/html", "application/xhtml+xml")
        )
        outgoing, incoming, construct = resource_queries(iri)
        if not wants_html:
            answer = self._run(construct, accept, fmt)
            if answer.status == 200 and _empty_graph(answer):
                self._error(404, f"the graph says nothing about <{iri}>")
                return
            self._answer(answer)
            return
        out_answer = self._run(outgoing, None, "json")
        in_answer = self._run(incoming, None, "json") if out_answer.status == 200 else out_answer
        if in_answer.status != 200:
            self._answer(in_answer)
            return
        page = resource_page(iri, json.loads(out_answer.body), json.loads(in_answer.body))
        if page is None:
            self._send(
                404,
                f"<!DOCTYPE html><title>not found</title><p>The graph says nothing about "
                f'{_html(iri)}. <a href="/">Query editor</a></p>'.encode(),
                "text/html; charset=utf-8",
                {"Content-Security-Policy": _PAGE_CSP, "Vary": "Accept"},
            )
            return
        self._send(
            200,
            page.encode(),
            "text/html; charset=utf-8",
            {"Content-Security-Policy": _PAGE_CSP, "Vary": "Accept"},
        )


def _raise_open_file_limit(wanted: int) -> None:
    """Raise the soft open-file limit towards *wanted* (never past the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def _refuse_connection(conn: socket.socket) -> None:
    """Answer 503 without reading the request and close (connection cap reached)."""
    body = b"too many open connections; try again in a few seconds\n"
    head = (
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n"
    )
    try:
        conn.setblocking(False)
        conn.send(head.encode() + body)
    except OSError:
        pass
    try:
        conn.close()
    except OSError:
        pass


def _html(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def _safe_host(host: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z0-9.\-]+(:\d+)?|\[[0-9A-Fa-f:.]+\](:\d+)?", host) is not None


def _empty_graph(answer: Answer) -> bool:
    """True when a CONSTRUCT answer holds no triple (whatever its format)."""
    body = answer.body.strip()
    media = answer.media_type or ""
    if "json" in media:
        return body in (b"[]", b"{}", b"")
    if "turtle" in media:
        return all(not line.strip() or line.startswith(b"@prefix") for line in body.splitlines())
    if "rdf+xml" in media:
        return b"<rdf:Description" not in body and b"rdf:about" not in body
    return not body


def make_server(
    graph: Any = None,
    host: str = "127.0.0.1",
    port: int = 7878,
    *,
    cors: bool = False,
    log: Callable[[str], None] | None = None,
    **limits: Any,
) -> SparqlServer:
    """Load *graph* (see :func:`prepare_store`) and bind the endpoint to *host*:*port*.

    Keyword *limits* are the fields of :class:`Limits`. Call ``serve_forever()`` on the result,
    or use :func:`serve_in_thread`.
    """
    store = prepare_store(graph)
    try:
        return SparqlServer((host, port), store, Limits(**limits), cors=cors, log=log)
    except BaseException:
        store.cleanup()
        raise


def serve_in_thread(
    graph: Any = None, host: str = "127.0.0.1", port: int = 0, **options: Any
) -> SparqlServer:
    """Start the endpoint in a daemon thread (port 0 = a free port); stop it with ``.stop()``.

    For tests and notebooks::

        server = serve_in_thread("yuegang-out/graph.ttl", timeout=10)
        SPARQLWrapper(server.endpoint_url)
        server.stop()
    """
    server = make_server(graph, host, port, **options)
    thread = threading.Thread(target=server.serve_forever, name="yuegang-serve", daemon=True)
    server._thread = thread
    thread.start()
    return server
