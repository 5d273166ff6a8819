"""N-Triples terms written as text: the vocabulary of the RDF build's triple-producing parts.

``YG.WorkItem`` → ``"<https://w3id.org/yuegang/ontology#WorkItem>"``; ``zh("省商务厅")`` →
``'"省商务厅"@zh'``. Parts of :mod:`graph.rdf.build` (and :mod:`graph.rdf.corrections`) yield
``(subject, predicate, object)`` tuples of such strings, which Oxigraph parses in bulk.
"""

from __future__ import annotations

from decimal import Decimal

from graph.rdf.iris import PREFIXES

__all__ = [
    "DCTERMS",
    "GEO",
    "OA",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "TYPE",
    "WD",
    "XSD_NS",
    "YG",
    "Triple",
    "Vocabulary",
    "boolean",
    "decimal",
    "en",
    "integer",
    "iri",
    "literal",
    "typed",
    "zh",
]

Triple = tuple[str, str, str]  # subject, predicate, object as N-Triples terms


class Vocabulary:
    """``V.name`` → ``<namespace + name>`` (N-Triples IRI term), or the bare IRI with
    ``bracketed=False`` (what the network readers look up); made once per name.

    >>> Vocabulary("http://purl.org/dc/terms/", bracketed=False).title
    'http://purl.org/dc/terms/title'
    """

    def __init__(self, namespace: str, *, bracketed: bool = True) -> None:
        self._namespace = namespace
        self._bracketed = bracketed

    def __getattr__(self, name: str) -> str:
        if name.startswith("__"):
            raise AttributeError(name)
        iri = self._namespace + name
        term = f"<{iri}>" if self._bracketed else iri
        setattr(self, name, term)
        return term


YG = Vocabulary(PREFIXES["yg"])
RDF = Vocabulary(PREFIXES["rdf"])
RDFS = Vocabulary(PREFIXES["rdfs"])
OWL = Vocabulary(PREFIXES["owl"])
XSD_NS = PREFIXES["xsd"]
SKOS = Vocabulary(PREFIXES["skos"])
DCTERMS = Vocabulary(PREFIXES["dcterms"])
PROV = Vocabulary(PREFIXES["prov"])
ORG = Vocabulary(PREFIXES["org"])
OA = Vocabulary(PREFIXES["oa"])
GEO = Vocabulary(PREFIXES["geo"])
WD = Vocabulary(PREFIXES["wd"])
TYPE = RDF.type

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def _quoted(text: str) -> str:
    return '"' + str(text).translate(_ESCAPES) + '"'


def literal(text: str) -> str:
    """A plain (xsd:string) literal."""
    return _quoted(text)


def zh(text: str) -> str:
    """A literal tagged ``@zh``."""
    return _quoted(text) + "@zh"


def en(text: str) -> str:
    """A literal tagged ``@en``."""
    return _quoted(text) + "@en"


def typed(lexical: str, datatype: str) -> str:
    """A literal of XSD *datatype* (``"integer"``, ``"date"`` …)."""
    return f"{_quoted(lexical)}^^<{XSD_NS}{datatype}>"


def integer(value: int) -> str:
    return typed(str(int(value)), "integer")


def boolean(value: bool) -> str:
    return typed("true" if value else "false", "boolean")


def decimal(value: float) -> str:
    """An xsd:decimal written as rdflib writes ``Decimal(repr(value))`` (no exponent)."""
    return typed(format(Decimal(repr(float(value))), "f"), "decimal")
