"""Show a view inline in Jupyter (classic Notebook, JupyterLab, VS Code), no file needed.

A view is a whole HTML document (its own ``<head>``, CSS, and 470 KB of vis-network). Pasted
straight into a notebook's output it would share the notebook's DOM and CSS, and its scripts run
or not depending on the front end (VS Code and Lab run them in different sandboxes; the page's
global script would run again on every re-render). An ``<iframe>`` pointing to a file fails in VS
Code and Colab, whose output frames cannot read the kernel's disk, and breaks when the notebook
is moved. :func:`show` therefore puts the whole page into the ``srcdoc`` attribute of an iframe:
the page travels inside the notebook output, runs isolated in its own document in every front
end, and still works offline. The iframe is sandboxed: scripts and downloads (PNG export) and
links opened in a new tab are allowed, access to the notebook's origin is not.

Example
-------
>>> from graph.views.render import render_agency_view          # doctest: +SKIP
>>> show(render_agency_view(G))                         # doctest: +SKIP
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

__all__ = ["InlineView", "iframe_html", "inline", "show"]

SANDBOX = "allow-scripts allow-downloads allow-popups allow-popups-to-escape-sandbox"


def iframe_html(page: str, *, height: int = 720) -> str:
    """An ``<iframe srcdoc=…>`` that holds the whole HTML *page*, attribute-escaped."""
    return (
        f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="{SANDBOX}" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #d0d7de;" '
        'title="yuegang-graph view" loading="eager"></iframe>'
    )


class InlineView:
    """A view ready for notebook display (``_repr_html_``); ``.html`` is the page itself."""

    def __init__(self, page: str, height: int = 720) -> None:
        self.html = page
        self.height = height

    def _repr_html_(self) -> str:
        return iframe_html(self.html, height=self.height)

    def __repr__(self) -> str:
        return f"<InlineView: {len(self.html):,} characters of HTML; display it in a notebook>"


def _page_of(html_or_view: Any) -> str:
    if isinstance(html_or_view, InlineView):
        return html_or_view.html
    if callable(getattr(html_or_view, "generate_html", None)):  # a pyvis Network (to_pyvis)
        return html_or_view.generate_html()
    if isinstance(html_or_view, Path):
        return html_or_view.read_text(encoding="utf-8")
    if isinstance(html_or_view, str):
        if html_or_view.lstrip().startswith("<"):
            return html_or_view
        path = Path(html_or_view)
        if path.suffix.lower() in (".html", ".htm") and path.is_file():
            return path.read_text(encoding="utf-8")
        raise ValueError("show() needs an HTML page or the path of an .html view file")
    try:  # a networkx graph: the agency view is the one that renders from a graph alone
        import networkx as nx

        if isinstance(html_or_view, nx.Graph):
            from graph.views.render import render_agency_view

            return render_agency_view(html_or_view)
    except ImportError:  # pragma: no cover - networkx is a dependency
        pass
    raise TypeError(f"show() cannot display {type(html_or_view).__name__}")


def inline(html_or_view: Any, *, height: int = 720) -> InlineView:
    """The :class:`InlineView` of *html_or_view* (see :func:`show`), without displaying it."""
    return InlineView(_page_of(html_or_view), height=height)


def show(html_or_view: Any, *, height: int = 720) -> InlineView | None:
    """Display a view inline in the running notebook.

    *html_or_view*: the HTML string of a view (``render_agency_view(...)`` …), a pyvis
    ``Network`` (``to_pyvis(...)``: its ``generate_html()``), the path of a
    written view file (read and embedded, not linked), or an agency network (rendered with
    :func:`graph.views.render.render_agency_view`). Returns None after displaying (so the view is not
    shown twice); outside IPython it returns the :class:`InlineView` instead.
    """
    view = inline(html_or_view, height=height)
    try:
        from IPython.display import display
    except ImportError:
        return view
    display(view)
    return None
