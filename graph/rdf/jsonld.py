"""``graph.jsonld`` straight from N-Triples, without building an rdflib graph.

rdflib's JSON-LD serializer needs the triples in an rdflib ``Graph`` (0.15 s to parse the
bundled notice's graph, 1.5 s per 100,000 triples) and then takes 0.3 s (6 s per 100,000
triples) to write them. :func:`jsonld_from_nt` builds the same document from the triples that
Oxigraph parses, following rdflib's rules (compact IRIs by the longest ``#``, ``/`` or ``:``
split, ``@type`` for ``rdf:type``, native JSON for ``xsd:integer`` and ``xsd:boolean``, one value
bare and several in a list) for the graphs the pipeline writes: named nodes, plain, tagged and
typed literals in canonical form. Anything else — blank nodes, RDF lists, other datatypes,
lexical forms rdflib would rewrite, an IRI that is itself a namespace of the context, a second
value beside one rdflib treats as empty — raises :class:`NeedsRdflib`, and
:func:`graph.rdf.build.serialize_jsonld` hands those triples to rdflib; so the bytes are always
rdflib's (tested on the bundled notice and on random graphs).

>>> nt = (b'<https://w3id.org/yuegang/agency/a> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .\\n'
...       b'<https://w3id.org/yuegang/agency/a> <https://w3id.org/yuegang/ontology#known> "true"'
...       b'^^<http://www.w3.org/2001/XMLSchema#boolean> .\\n')
>>> node = json.loads(jsonld_from_nt(nt))["@graph"][0]
>>> node["@id"], node["rdfs:label"], node["yg:known"]
('agency:a', {'@language': 'en', '@value': 'A'}, True)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox

from graph.rdf.iris import PREFIXES

__all__ = ["NeedsRdflib", "jsonld_from_nt", "sorted_document"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XSD = "http://www.w3.org/2001/XMLSchema#"
_LIST_TERMS = {_RDF + "first", _RDF + "rest", _RDF + "nil"}
#: datatypes written as ``{"@type": …, "@value": lexical}``, with the lexical forms rdflib
#: keeps as they are (it rewrites e.g. ``007`` or ``.5``)
_KEPT_LEXICAL = {
    _XSD + "decimal": re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+|-?(?:0|[1-9][0-9]*)"),
    _XSD + "nonNegativeInteger": re.compile(r"0|[1-9][0-9]*"),
    _XSD + "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    _XSD + "gYear": re.compile(r"[0-9]{4}"),
}
_INTEGER = re.compile(r"0|-?[1-9][0-9]*")
_BOOLEANS = {"true": True, "false": False}


class NeedsRdflib(ValueError):
    """The triples use something the direct writer does not follow rdflib on: write them with
    rdflib (:func:`graph.rdf.build.serialize_jsonld` does)."""


def jsonld_from_nt(nt: bytes, prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Sorted compact JSON-LD of the N-Triples *nt* with *prefixes* as ``@context``: the bytes
    rdflib's serializer gives, sorted as :func:`graph.rdf.build.serialize_jsonld` sorts them.
    Raises :class:`NeedsRdflib` for triples it does not follow rdflib on."""
    context = dict(sorted(prefixes.items()))
    nodes = _nodes(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES), context)
    if len(nodes) == 1:  # rdflib puts a lone node at the top, beside the context
        nodes[0]["@context"] = context
    return sorted_document(nodes, context)


def sorted_document(nodes: list[dict[str, Any]], context: dict[str, str]) -> bytes:
    """The JSON-LD file: *nodes* by ``@id``, each node's values sorted, keys sorted."""
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(
                    value, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)
                )
    nodes = sorted(nodes, key=lambda n: str(n.get("@id", "")))
    out = {"@context": context, "@graph": nodes}
    return (json.dumps(out, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _nodes(triples: Iterable[ox.Triple], context: dict[str, str]) -> list[dict[str, Any]]:
    """One JSON-LD node object per subject, as rdflib's ``Converter`` makes them."""
    namespaces = {iri: name for name, iri in context.items()}  # the last prefix wins, as in rdflib
    shrink = _Shrinker(namespaces)
    nodes: dict[str, dict[str, Any]] = {}
    subjects: dict[str, str] = {}
    for triple in dict.fromkeys(triples):  # a graph holds each triple once
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if not isinstance(s, ox.NamedNode) or p in _LIST_TERMS or p in namespaces:
            raise NeedsRdflib
        node_id = shrink.iri(s.value)
        if subjects.setdefault(node_id, s.value) != s.value:
            raise NeedsRdflib  # two IRIs with one compact form: rdflib keeps one of them
        node = nodes.get(node_id)
        if node is None:
            node = nodes[node_id] = {"@id": node_id}
        if p == _RDF + "type":
            if not isinstance(o, ox.NamedNode) or o.value in namespaces:
                raise NeedsRdflib
            key, value = "@type", shrink.symbol(o.value)
        else:
            key, value = shrink.symbol(p), _value(o, shrink, namespaces)
        _add(node, key, value)
    return list(nodes.values())


def _value(o: Any, shrink: _Shrinker, namespaces: dict[str, str]) -> Any:
    """The JSON-LD value of object *o* (rdflib's ``to_raw_value`` with an active context)."""
    if isinstance(o, ox.NamedNode):
        if o.value in _LIST_TERMS:
            raise NeedsRdflib
        return {"@id": shrink.iri(o.value)}
    if not isinstance(o, ox.Literal):
        raise NeedsRdflib  # blank nodes (and anything newer)
    if o.language:
        return {"@language": o.language, "@value": o.value}
    datatype = o.datatype.value
    if datatype == _XSD + "string":
        return o.value
    if datatype == _XSD + "integer" and _INTEGER.fullmatch(o.value):
        return int(o.value)
    if datatype == _XSD + "boolean" and o.value in _BOOLEANS:
        return _BOOLEANS[o.value]
    pattern = _KEPT_LEXICAL.get(datatype)
    if pattern is None or not pattern.fullmatch(o.value) or datatype in namespaces:
        raise NeedsRdflib
    return {"@type": shrink.symbol(datatype), "@value": o.value}


def _add(node: dict[str, Any], key: str, value: Any) -> None:
    """Add *value* under *key*: bare when alone, a list when there are several."""
    present = node.get(key)
    if present is None:
        node[key] = value
        return
    if present in (0, "", False):
        # rdflib tests the stored value for truth: an empty first value (in its set order)
        # would be overwritten by the next one instead of kept beside it
        raise NeedsRdflib
    if isinstance(present, list):
        present.append(value)
    else:
        node[key] = [present, value]


class _Shrinker:
    """rdflib's ``Context.shrink_iri`` / ``to_symbol`` for a context of prefixes only."""

    def __init__(self, namespaces: dict[str, str]) -> None:
        self._namespaces = namespaces
        self._done: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        found = self._done.get(iri)
        if found is None:
            namespace, name = _split_iri(iri)
            prefix = self._namespaces.get(namespace)
            found = self._done[iri] = f"{prefix}:{name}" if prefix else iri
        return found

    symbol = iri  # the same for IRIs that are not themselves a namespace (checked by callers)


def _split_iri(iri: str) -> tuple[str, str | None]:
    """rdflib's ``jsonld.util.split_iri``: at the last ``#``, else ``/``, else ``:``."""
    for delimiter in ("#", "/", ":"):
        at = iri.rfind(delimiter)
        if at > -1:
            return iri[: at + 1], iri[at + 1 :]
    return iri, None
