"""Content negotiation for the SPARQL endpoint: Accept header or ``format`` → a serializer.

SPARQL results (SELECT, ASK) and RDF graphs (CONSTRUCT, DESCRIBE) have different formats, so
the choice depends on the kind of result. The functions here are pure: they take the request's
``Accept`` header and optional ``format`` parameter and return the pyoxigraph format to use.

>>> choose_format("results", "text/csv, */*;q=0.1").media_type
'text/csv'
>>> choose_format("graph", "application/sparql-results+json, text/turtle;q=0.9").media_type
'text/turtle'
>>> choose_format("graph", None, "json").media_type
'application/ld+json'
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat

__all__ = ["NotAcceptable", "choose_format", "parse_accept", "RESULT_FORMATS", "GRAPH_FORMATS"]


class NotAcceptable(ValueError):
    """No supported format matches the request (HTTP 406, or 400 for a bad ``format``)."""

    def __init__(self, message: str, status: int = 406):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Format:
    """One serialization: the media type to send and the pyoxigraph format that writes it."""

    media_type: str
    writer: QueryResultsFormat | RdfFormat
    aliases: tuple[str, ...] = ()


RESULT_FORMATS: tuple[Format, ...] = (
    Format(
        "application/sparql-results+json", QueryResultsFormat.JSON, ("application/json", "json")
    ),
    Format(
        "application/sparql-results+xml",
        QueryResultsFormat.XML,
        ("application/xml", "text/xml", "xml"),
    ),
    Format("text/csv", QueryResultsFormat.CSV, ("csv",)),
    Format("text/tab-separated-values", QueryResultsFormat.TSV, ("tsv",)),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("text/turtle", RdfFormat.TURTLE, ("application/x-turtle", "turtle", "ttl")),
    Format(
        "application/ld+json", RdfFormat.JSON_LD, ("application/json", "json", "jsonld", "json-ld")
    ),
    Format(
        "application/n-triples",
        RdfFormat.N_TRIPLES,
        ("text/plain", "nt", "ntriples", "n-triples"),
    ),
    Format(
        "application/rdf+xml",
        RdfFormat.RDF_XML,
        ("application/xml", "text/xml", "xml", "rdf", "rdfxml", "rdf/xml"),
    ),
)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (by q, then by specificity, then order).

    >>> parse_accept("text/*;q=0.5, text/csv, */*;q=0.1")
    [('text/csv', 1.0), ('text/*', 0.5), ('*/*', 0.1)]
    """
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges: list[tuple[float, int, int, str]] = []
    for position, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((q, specificity, -position, media))
    ranges.sort(reverse=True)
    return [(media, q) for q, _, _, media in ranges if q > 0]


def choose_format(kind: str, accept: str | None, format_param: str | None = None) -> Format:
    """The format for a result of *kind* (``"results"`` or ``"graph"``).

    *format_param* (a short name such as ``json``/``csv``/``ttl`` or a media type, as sent by
    SPARQLWrapper and many R clients) wins over *accept*. Raises :class:`NotAcceptable`.
    """
    formats = RESULT_FORMATS if kind == "results" else GRAPH_FORMATS
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in formats:
            if wanted == fmt.media_type or wanted in fmt.aliases:
                return fmt
        names = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(
            f"unknown format {format_param!r} for this query; supported: {names}", status=400
        )
    for media, _q in parse_accept(accept):
        if media == "*/*":
            return formats[0]
        for fmt in formats:
            if media == fmt.media_type or media in fmt.aliases:
                return fmt
        if media.endswith("/*"):
            major = media[:-1]
            for fmt in formats:
                if fmt.media_type.startswith(major):
                    return fmt
    names = ", ".join(f.media_type for f in formats)
    raise NotAcceptable(f"none of the accepted media types is available; supported: {names}")
