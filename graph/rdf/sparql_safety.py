"""Refuse SPARQL requests that could change data or reach the network.

rdflib and pyoxigraph both execute ``SERVICE`` (and rdflib ``FROM <url>``) with their own
HTTP clients, without a timeout and, for pyoxigraph, ignoring audit hooks and proxies. The only
robust defence is to look at the parsed query before any store sees it. :func:`assert_safe`
parses the text with rdflib's SPARQL 1.1 grammar and walks the whole parse tree and algebra, so a
``SERVICE`` hidden inside ``OPTIONAL``, ``MINUS``, ``EXISTS``, a sub-query or written with
``SILENT`` or ``\\u`` escapes is still found. Text the grammar cannot read is refused as well:
what cannot be inspected cannot be trusted.

One reading
-----------
Two parsers may read the same text differently: rdflib ends a ``#`` comment only at ``\\n``,
Oxigraph also at a bare ``\\r``, so ``# \\r SERVICE <…>`` is a comment for the check and a live
``SERVICE`` for the engine. :func:`assert_safe` therefore checks, and *returns*, a canonical
text — codepoint escapes (``\\uXXXX``) expanded, every ``\\r\\n`` and bare ``\\r`` turned into
``\\n`` (:func:`canonical_query`) — and callers run exactly that returned text. Both parsers
then read the same characters the same way (``tests/test_attacks.py`` checks it with random
comments, line ends, escapes and Unicode spaces against a canary listener). The endpoint's
workers also run without network access (:mod:`graph.endpoint.worker`), so a case this check
misses still reaches nothing.

Example
-------
>>> assert_safe("SELECT ?s WHERE {\\r ?s ?p ?o }")
'SELECT ?s WHERE {\\n ?s ?p ?o }'
>>> assert_safe("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.rdf.sparql_safety.QueryRefused: query refused: SERVICE <http://example.org/sparql> would fetch data from another endpoint; federated queries are not allowed
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from graph.errors import YuegangError

__all__ = [
    "QueryRefused",
    "QuerySyntaxError",
    "assert_safe",
    "canonical_query",
    "fallback_refusal",
    "is_safe",
    "isolate_network",
    "limit_memory",
    "network_mode",
]

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


_CLONE_NEWNET = 0x40000000
_SERVICE_WORD = re.compile(r"(?<![\w:?$])service(?![\w:-])", re.IGNORECASE)
NETNS_ENV = "YUEGANG_NETNS"  # "0" turns the network namespace off (tests of the fallback)
_NETWORK = {"mode": "shared"}


def isolate_network() -> str:
    """Move this process into an empty network namespace; return ``"none"`` or ``"fallback"``.

    ``"none"``: no route anywhere, not even to the host's loopback. ``"fallback"``: the kernel
    refused (no privilege, seccomp) or ``YUEGANG_NETNS=0``; callers must then refuse anything
    that could use the network by its text alone.
    """
    if os.environ.get(NETNS_ENV) == "0" or not sys.platform.startswith("linux"):
        _NETWORK["mode"] = "fallback"
        return "fallback"
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        ok = libc.unshare(_CLONE_NEWNET) == 0
    except (OSError, AttributeError):
        ok = False
    _NETWORK["mode"] = "none" if ok else "fallback"
    return _NETWORK["mode"]


def limit_memory(megabytes: int | None) -> None:
    """Cap this process's data memory (heap and private mappings) at *megabytes*."""
    if not megabytes:
        return
    import resource

    limit = int(megabytes) * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def network_mode() -> str:
    """``"none"`` after :func:`isolate_network` succeeded, ``"fallback"`` or ``"shared"``."""
    return _NETWORK["mode"]


def fallback_refusal(query: str) -> str | None:
    """Without a network namespace: refuse any text holding the word SERVICE (after escapes)."""
    if _SERVICE_WORD.search(query):
        return (
            "query refused: the word SERVICE may not appear in a query on this server "
            "(its query workers could not be cut off from the network)"
        )
    return None


class QueryRefused(YuegangError, ValueError):
    """A SPARQL request that will not be run (update, network access or unreadable text)."""

    status = 403  # HTTP status of the SPARQL 1.1 Protocol for a refused operation


class QuerySyntaxError(QueryRefused):
    """Text that is not a SPARQL 1.1 query (syntax error, nesting too deep): HTTP 400."""

    status = 400


def canonical_query(query: str) -> str:
    """The one text both the check and the engine read: escapes expanded, line ends ``\\n``.

    SPARQL processes ``\\uXXXX``/``\\UXXXXXXXX`` before parsing, so expanding them keeps the
    meaning; an escape that yields a surrogate or another escape is refused (two readings).

    >>> canonical_query("ASK {}\\r\\n# x\\rSERVICE")
    'ASK {}\\n# x\\nSERVICE'
    >>> canonical_query("\\\\u0041SK {}")
    'ASK {}'
    """

    def expand(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise QuerySyntaxError(
                f"query refused: {match[0]} is not a character (surrogate or out of range)"
            )
        return chr(code)

    text = _ESCAPE.sub(expand, query)
    if _ESCAPE.search(text):
        raise QuerySyntaxError(
            "query refused: an escape sequence produces another escape sequence "
            "(write the character itself)"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def assert_safe(query: str) -> str:
    """Return the canonical text of *query*; raise :class:`QueryRefused` unless it is safe.

    Safe means a read-only, local SPARQL 1.1 query. Refused: any SPARQL Update request
    (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``ADD``, ``MOVE``,
    ``COPY``), ``SERVICE`` anywhere in the query, ``FROM`` and ``FROM NAMED`` of any IRI;
    text that is not a SPARQL 1.1 query raises :class:`QuerySyntaxError`. Run the returned
    text, not *query*: it is the text that was checked (see "One reading" above).
    """
    if not isinstance(query, str):
        raise QueryRefused(f"query refused: expected SPARQL text, got {type(query).__name__}")
    query = canonical_query(query)
    try:
        _check_text(query)
    except RecursionError as exc:
        raise QuerySyntaxError(
            "query refused: nested too deeply to be checked (fewer nested groups, please)"
        ) from exc
    return query


def _check_text(query: str) -> None:
    try:
        tree = parseQuery(query)
    except ParseException as exc:
        _refuse_unparsable(query, exc)
    for node in _walk(tree):
        _check_node(node)
    # The algebra is what the engines evaluate; check it too in case translation adds nodes.
    try:
        algebra = translateQuery(tree)
    except RecursionError:
        raise
    except Exception as exc:  # noqa: BLE001 - rdflib raises many types on semantic errors
        raise QuerySyntaxError(f"query refused: not a valid SPARQL 1.1 query ({exc})") from exc
    for node in _walk(algebra.algebra):
        _check_node(node)


def is_safe(query: str) -> bool:
    """Return True when :func:`assert_safe` accepts *query*."""
    try:
        assert_safe(query)
    except QueryRefused:
        return False
    return True


def _refuse_unparsable(query: str, exc: ParseException) -> None:
    try:
        update = parseUpdate(query)
    except ParseException:
        raise QuerySyntaxError(
            f"query refused: not a valid SPARQL 1.1 query (line {exc.lineno}, column {exc.col}: "
            f"{exc.msg})"
        ) from exc
    names = sorted({_update_name(op) for op in update.get("request", [])}) or ["update"]
    raise QueryRefused(
        f"query refused: SPARQL Update ({', '.join(names)}) is not allowed; "
        "only read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) are run"
    ) from exc


def _update_name(op: Any) -> str:
    name = getattr(op, "name", "update")
    return {
        "InsertData": "INSERT DATA",
        "DeleteData": "DELETE DATA",
        "DeleteWhere": "DELETE WHERE",
        "Modify": "DELETE/INSERT",
    }.get(name, name.upper())


def _check_node(node: CompValue) -> None:
    if node.name == "ServiceGraphPattern":
        target = dict.get(node, "term")
        where = _describe(target)
        raise QueryRefused(
            f"query refused: SERVICE {where} would fetch data from another endpoint; "
            "federated queries are not allowed"
        )
    if node.name == "DatasetClause":
        named = dict.get(node, "named")
        kind = "FROM NAMED" if named is not None else "FROM"
        iri = named if named is not None else dict.get(node, "default")
        raise QueryRefused(
            f"query refused: {kind} <{iri}> would load a graph from outside the store; "
            "queries run on the built graph only (drop the FROM clause)"
        )


def _describe(term: Any) -> str:
    """A SERVICE target as written: ``<iri>``, ``prefix:local`` or ``?var``."""
    if isinstance(term, Node):
        return term.n3()
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{dict.get(term, 'prefix') or ''}:{dict.get(term, 'localname') or ''}"
    return str(term or "")


def _walk(value: Any) -> Iterator[CompValue]:
    """Yield every CompValue nested anywhere in *value* (parse results, lists, dicts)."""
    stack = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            yield item
            stack.extend(dict.values(item))
        elif isinstance(item, ParseResults):
            stack.extend(list(item))
            stack.extend(item.as_dict().values() if hasattr(item, "as_dict") else ())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
