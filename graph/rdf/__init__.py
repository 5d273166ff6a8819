"""RDF: extracted notices → an RDF graph, validated, written and queried.

In: the ``dict`` records of :mod:`graph.extract`. Out: an rdflib ``Graph`` in the vocabulary of
``ontology/yuegang.ttl``; Turtle / N-Triples / JSON-LD files; SHACL reports; SPARQL answers.

Modules: :mod:`.iris` (stable IRIs, prefixes), :mod:`.build` (records → graph, writers),
:mod:`.validate` (pyshacl with ``ontology/shapes.ttl``), :mod:`.sparql_safety` (refuses
updates and anything that reaches the network), :mod:`.isolated` (untrusted parsing and queries
in a child with no network, memory and time limits), :mod:`.query` (engines, ready-made queries in
``queries/*.rq``), :mod:`.ontology_docs` (the ontology's HTML page).
:mod:`.corrections` adds the provenance of lists corrected from a corrections file.
"""

from graph._lazy import lazy_exports

_EXPORTS = {
    "GraphInputError": "build",
    "GraphWarning": "build",
    "build_graph": "build",
    "build_nt": "build",
    "build_store": "build",
    "graph_from_nt": "build",
    "load_ontology": "build",
    "ontology_path": "build",
    "serialize_jsonld": "build",
    "serialize_nt": "build",
    "serialize_turtle": "build",
    "write_graph": "build",
    "correction_iri": "corrections",
    "correction_triples": "corrections",
    "shapes_path": "validate",
    "validate": "validate",
    "QueryRefused": "sparql_safety",
    "assert_safe": "sparql_safety",
    "is_safe": "sparql_safety",
    "QuerySyntaxError": "sparql_safety",
    "canonical_query": "sparql_safety",
    "QueryError": "query",
    "QueryResult": "query",
    "QueryTimeout": "query",
    "ReadyQuery": "query",
    "open_store": "query",
    "ready_made": "query",
    "ready_query": "query",
    "resolve_query": "query",
    "run_query": "query",
    "run_isolated": "query",
    "ontology_terms": "ontology_docs",
    "render_ontology_html": "ontology_docs",
    "write_ontology_docs": "ontology_docs",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
