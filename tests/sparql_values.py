"""Comparable values of SPARQL results, so answers from the endpoint, a pushed store and
``yuegang query`` can be compared (numbers by value: Oxigraph may change their datatype)."""

from __future__ import annotations

_NUMERIC = ("#integer", "#int", "#long", "#decimal", "#double", "#float")


def binding_value(binding: dict) -> object:
    """A SPARQL JSON results term as a comparable value."""
    if binding.get("datatype", "").endswith(_NUMERIC):
        return round(float(binding["value"]), 9)
    return (
        binding["type"].replace("typed-literal", "literal"),
        binding["value"],
        binding.get("xml:lang"),
    )


def cell_value(cell) -> object:
    """A :class:`graph.rdf.query.Cell` as the same comparable value as :func:`binding_value`."""
    if cell is None:
        return None
    if (cell.datatype or "").endswith(_NUMERIC):
        return round(float(cell.value), 9)
    return (cell.kind, cell.value, cell.lang)
