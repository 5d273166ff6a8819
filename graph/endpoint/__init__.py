"""Endpoint: an RDF graph → a read-only SPARQL endpoint, and a push to another store.

In: a Turtle / N-Triples graph file. Out: ``yuegang serve`` (SPARQL 1.1 Protocol, query editor,
resource pages, killable query workers) and ``yuegang push`` (Graph Store Protocol in batches).

Modules: :mod:`.server` (HTTP), :mod:`.pages` (editor and resource pages from ``templates/``),
:mod:`.pool` and :mod:`.worker` (query processes with a time limit), :mod:`.formats`
(content negotiation), :mod:`.push`.
"""

from graph._lazy import lazy_exports

_EXPORTS = {
    "Limits": "server",
    "ServeError": "server",
    "SparqlServer": "server",
    "make_server": "server",
    "prepare_store": "server",
    "serve_in_thread": "server",
    "PushError": "push",
    "PushResult": "push",
    "push_graph": "push",
    "Admission": "pool",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
