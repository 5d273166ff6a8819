"""A query worker process of the SPARQL endpoint: run one query at a time on a read-only store.

pyoxigraph cannot stop a running query from another thread, so every query runs in a worker
process that the server kills when the time limit passes (:mod:`graph.endpoint.pool`). The worker
opens the on-disk store read-only, checks each query with :func:`graph.rdf.sparql_safety.assert_safe`
*before* running it (no update, ``SERVICE`` or ``FROM`` reaches the store, so nothing goes on
the network), and serializes the result into a buffer that refuses to grow past the size limit.

Defence in depth: before it reads any request the worker moves into a network namespace of its
own (``unshare(CLONE_NEWNET)``, allowed for root or with user namespaces): it then has no
network interface but a loopback that is down, so even a ``SERVICE`` the check missed cannot
connect anywhere. Where the kernel refuses, the worker falls back to refusing any query whose
text holds the word ``SERVICE`` anywhere, strings included (coarse, but it cannot be fooled by
comments or escapes). Its data memory is capped (``RLIMIT_DATA``): a query that needs more ends
the worker, which the pool replaces and reports (:mod:`graph.endpoint.pool`).

Run as ``python -m graph.endpoint.worker STORE_DIR FD [MEMORY_MB]`` where FD is one end of a
socket pair.
Messages both ways are frames: a 4-byte big-endian length and the payload. A request is one
JSON frame ``{"query", "accept", "format", "max_bytes"}``; the answer is a JSON header frame
``{"status", "media_type" | "error"}`` followed by one body frame.
"""

from __future__ import annotations

import functools
import json
import socket
import struct
import sys
from typing import Any

__all__ = ["read_frame", "run_query", "write_frame"]

_HEADER = struct.Struct(">I")


class ResultTooLarge(Exception):
    """The serialized result passed the size limit."""


class _LimitedBuffer:
    """A binary sink that raises :class:`ResultTooLarge` once *limit* bytes are passed."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the parts are joined at the end."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def write_frame(sock: socket.socket, payload: bytes) -> None:
    """Send one length-prefixed frame."""
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def read_frame(sock: socket.socket) -> bytes:
    """Receive one length-prefixed frame (honours the socket's timeout); EOFError at the end."""
    size = _HEADER.unpack(_read_exact(sock, _HEADER.size))[0]
    return _read_exact(sock, size)


def _read_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError("worker connection closed")
        chunks += chunk
    return bytes(chunks)


@functools.lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    from graph.rdf.iris import PREFIXES

    # doc: local names hold slashes (doc:yuefuhan-2017-38/item/5), which Turtle must escape
    # (doc:yuefuhan-2017-38\/item\/5): those IRIs read better written in full.
    return {name: ns for name, ns in PREFIXES.items() if name != "doc"}


@functools.lru_cache(maxsize=2048)
def _checked(query: str) -> tuple[int, str]:
    """``(200, canonical text)`` or ``(status, refusal)`` for *query* (cached: clients repeat).

    The canonical text is what runs: the check and the engine read the same characters.
    """
    from graph.rdf.sparql_safety import QueryRefused, assert_safe, fallback_refusal, network_mode

    try:
        text = assert_safe(query)
    except QueryRefused as exc:
        return exc.status, str(exc)
    if network_mode() != "none":
        refusal = fallback_refusal(text)
        if refusal is not None:
            return 403, refusal
    return 200, text


def run_query(store: Any, request: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Check and run one request on *store*; return the answer header and body."""
    from pyoxigraph import QueryBoolean, QuerySolutions, serialize

    from graph.endpoint.formats import NotAcceptable, choose_format

    status, text = _checked(request["query"])
    if status != 200:
        return {"status": status, "error": text}, b""
    try:
        result = store.query(text)
    except SyntaxError as exc:
        return {"status": 400, "error": f"SPARQL syntax error: {exc}"}, b""
    kind = "results" if isinstance(result, QuerySolutions | QueryBoolean) else "graph"
    try:
        fmt = choose_format(kind, request.get("accept"), request.get("format"))
    except NotAcceptable as exc:
        return {"status": exc.status, "error": str(exc)}, b""
    sink = _LimitedBuffer(int(request["max_bytes"]))
    try:
        if kind == "results":
            result.serialize(sink, format=fmt.writer)
        else:
            prefixes = _prefixes() if fmt.media_type == "text/turtle" else None
            serialize(result, sink, format=fmt.writer, prefixes=prefixes)
    except ResultTooLarge:
        return {
            "status": 422,
            "error": (
                f"result larger than the limit of {request['max_bytes']} bytes; "
                "add a LIMIT (and ORDER BY with OFFSET to page) or raise --max-result-bytes"
            ),
        }, b""
    except (OSError, ValueError, SyntaxError) as exc:
        return {"status": 500, "error": f"query failed: {exc}"}, b""
    charset = "" if fmt.media_type.endswith(("+json", "/json")) else "; charset=utf-8"
    return {"status": 200, "media_type": fmt.media_type + charset, "kind": kind}, sink.getvalue()


def _exit_with_parent() -> None:
    """Exit when the server process is gone (killed hard, no chance to stop its workers).

    pyoxigraph releases the GIL while it evaluates, so this thread runs even during a query
    that would otherwise keep an orphan busy for hours.
    """
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def main(argv: list[str]) -> int:
    """Serve requests from the socket *argv[1]* on the store at *argv[0]* until it closes."""
    from pyoxigraph import Store

    from graph.rdf.sparql_safety import isolate_network, limit_memory

    _exit_with_parent()
    network = isolate_network()
    try:
        store = Store.read_only(argv[0])
    except OSError as exc:  # the server stopped and removed the store while this one started
        print(f"query worker: cannot open the store {argv[0]}: {exc}", file=sys.stderr)
        return 1
    sock = socket.socket(fileno=int(argv[1]))
    _checked("ASK {}")  # import rdflib's SPARQL parser now, not during the first timed query
    limit_memory(int(argv[2]) if len(argv) > 2 else None)
    write_frame(sock, json.dumps({"ready": True, "network": network}).encode())
    while True:
        try:
            request = json.loads(read_frame(sock))
        except EOFError:
            return 0
        try:
            header, body = run_query(store, request)
        except MemoryError:
            header, body = {"status": 507, "error": "memory"}, b""
            write_frame(sock, json.dumps(header).encode())
            write_frame(sock, body)
            return 3  # a worker that ran out of memory is replaced, not reused
        except Exception as exc:  # noqa: BLE001 - report any failure to the client, keep serving
            header, body = {"status": 500, "error": f"query failed: {exc}"}, b""
        write_frame(sock, json.dumps(header).encode())
        write_frame(sock, body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
