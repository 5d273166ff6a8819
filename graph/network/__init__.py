"""Networks: an RDF graph → networkx graphs, their measures, exports, figures and a report.

In: an rdflib ``Graph`` (from :mod:`graph.rdf` or a Turtle file). Out: the co-responsibility
network of agencies and the bipartite, theme and place networks (networkx), a measures table
(pandas), GraphML / GEXF / CSV / JSON files, PNG / SVG figures and the HTML / Markdown report.

Modules: :mod:`.networks` (read the graph, build the networks, filters), :mod:`.measures`
(centralities, brokerage, communities), :mod:`.exports` (files for Gephi, pandas, R),
:mod:`.figures` (matplotlib, CJK fonts in ``data/fonts``), :mod:`.report`.
"""

from graph._lazy import lazy_exports

_EXPORTS = {
    "Corpus": "networks",
    "NetworkDataWarning": "networks",
    "agency_network": "networks",
    "bipartite_network": "networks",
    "broader_closure": "networks",
    "load_corpus": "networks",
    "place_network": "networks",
    "section_agency_matrix": "networks",
    "select_items": "networks",
    "theme_network": "networks",
    "measures_table": "measures",
    "network_summary": "measures",
    "with_measures": "measures",
    "write_network": "exports",
    "write_networks": "exports",
    "network_figure": "figures",
    "bar_chart": "figures",
    "build_report": "report",
    "write_report": "report",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
