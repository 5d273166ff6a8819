"""Views: networkx graphs → self-contained, offline interactive HTML pages.

In: the networks of :mod:`graph.network` (with measures). Out: ``agencies.html``,
``bipartite.html``, ``themes.html``, ``places.html`` and ``index.html`` (vis-network inlined,
every document text escaped), and inline display in Jupyter.

Modules: :mod:`.data` (nodes, edges, legends and panels as JSON-ready records), :mod:`.page`
(layout and page assembly from ``templates/``), :mod:`.render` (one function per view, and
all views at once), :mod:`.pyvis_net` (a view as a pyvis ``Network`` and the one renderer
of the pages), :mod:`.proof` (the proofreading page of a notice), :mod:`.placemap` (the places
view's map: panels, projection, positions), :mod:`.notebook` (display in a notebook).
"""

from graph._lazy import lazy_exports

_EXPORTS = {
    "VIEW_FILES": "render",
    "render_agency_view": "render",
    "render_bipartite_view": "render",
    "render_index": "render",
    "render_place_view": "render",
    "render_theme_view": "render",
    "theme_view_graph": "render",
    "write_all_views": "render",
    "ProofPage": "proof",
    "proof_model": "proof",
    "render_proof": "proof",
    "write_proof_pages": "proof",
    "theme_tree": "data",
    "place_map": "placemap",
    "layout_positions": "page",
    "render_page": "page",
    "to_pyvis": "pyvis_net",
    "inline": "notebook",
    "show": "notebook",
}
__all__ = list(_EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
