"""Refuse SPARQL requests that could change data or reach the network.

rdflib and pyoxigraph both execute ``SERVICE`` (and rdflib ``FROM <url>``) with their own
HTTP clients, without a timeout and, for pyoxigraph, ignoring audit hooks and proxies. The only
robust defence is to look at the parsed query before any store sees it. :func:`assert_safe`
parses the text with rdflib's SPARQL 1.1 grammar and walks the whole parse tree and algebra, so a
``SERVICE`` hidden inside ``OPTIONAL``, ``MINUS``, ``EXISTS``, a sub-query or written with
``SILENT`` or ``\\u`` escapes is still found. Text the grammar cannot read is refused as well:
what cannot be inspected cannot be trusted.

Example
-------
>>> assert_safe("SELECT ?s WHERE { ?s ?p ?o }")
>>> assert_safe("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.rdf.sparql_safety.QueryRefused: query refused: SERVICE <http://example.org/sparql> would fetch data from another endpoint; federated queries are not allowed
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import YuegangError

__all__ = ["QueryRefused", "assert_safe", "is_safe"]


class QueryRefused(YuegangError, ValueError):
    """A SPARQL request that will not be run (update, network access or unreadable text)."""


def assert_safe(query: str) -> None:
    """Raise :class:`QueryRefused` unless *query* is a read-only, local SPARQL 1.1 query.

    Refused: any SPARQL Update request (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
    ``CREATE``, ``ADD``, ``MOVE``, ``COPY``), ``SERVICE`` anywhere in the query, ``FROM`` and
    ``FROM NAMED`` of any IRI, and text that is not a SPARQL 1.1 query at all.
    """
    if not isinstance(query, str):
        raise QueryRefused(f"query refused: expected SPARQL text, got {type(query).__name__}")
    try:
        tree = parseQuery(query)
    except ParseException as exc:
        _refuse_unparsable(query, exc)
    for node in _walk(tree):
        _check_node(node)
    # The algebra is what the engines evaluate; check it too in case translation adds nodes.
    try:
        algebra = translateQuery(tree)
    except Exception as exc:  # noqa: BLE001 - rdflib raises many types on semantic errors
        raise QueryRefused(f"query refused: not a valid SPARQL 1.1 query ({exc})") from exc
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
        raise QueryRefused(
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
        where = target.n3() if hasattr(target, "n3") else str(target or "")
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
