"""Measures of the agency co-responsibility network, per agency and for the whole network.

Per agency (:func:`agency_measures`, :func:`with_measures`, :func:`measures_table`):

- ``items``: items the agency is responsible for; ``partners``: distinct co-responsible agencies
  (degree); ``weighted_degree``: sum of edge weights (shared items, counted once per partner).
- ``betweenness`` and ``closeness``: on distances ``1 / weight`` (sharing more items makes two
  agencies closer). Betweenness is networkx's normalised Brandes betweenness, computed exactly
  by networkx up to ``NETWORKX_BETWEENNESS_MAX`` agencies and above that with igraph's C code (``2 / ((n-1)(n-2))`` times igraph's pair count; a 2,000-agency network
  takes seconds, networkx minutes); above ``EXACT_BETWEENNESS_MAX`` agencies, or when asked for
  ``k`` sources, it is networkx's estimate from ``k`` sampled sources with a fixed seed (the
  graph attribute ``betweenness_k`` says which). Checked against networkx
  (``tests/test_measures.py``): equal when path lengths are exact floats (the bundled notice);
  when a floating-point sum of ``1/w`` hides a tie (``1/3 + 1/3 + 1/3`` against ``1``), igraph
  compares lengths with a small tolerance and counts both shortest paths while networkx's
  exact comparison keeps one, so networkx is off there (≤ 0.002 on random graphs) and igraph
  equals networkx run on exact fractions. Closeness is networkx's ``closeness_centrality`` with
  the Wasserman–Faust correction for disconnected graphs (``(r/(n-1)) * (r / sum of
  distances)``, ``r`` = agencies reachable), computed with scipy's Dijkstra up to
  ``NETWORKX_BETWEENNESS_MAX`` agencies and igraph's above (same numbers, much faster).
- ``eigenvector``: leading eigenvector of the weighted adjacency matrix, unit length. On a
  disconnected graph the leading eigenvector lives on the component(s) with the largest leading
  eigenvalue: those agencies get the (per-component) Perron vector, every other agency 0. So an
  isolated pair does not outrank the hub of the main component, and the result does not depend
  on the solver's start vector (networkx's power iteration may fail to converge there).
- ``effective_size`` and ``constraint``: Burt's structural holes on the weighted graph, computed
  with sparse matrices; the same numbers as networkx's per-node definition
  (``nx.effective_size(G, nodes=list(G), weight=...)``). Beware: networkx 3.6.1's vectorised
  path for ``nodes=None`` gives other (wrong) weighted effective sizes. An agency without
  partners has effective size 0 and constraint NaN (undefined, as in networkx).
- ``core``: k-core number (unweighted); ``community``: Louvain community (networkx
  ``louvain_communities``, fixed seed; above ``NETWORKX_LOUVAIN_MAX`` agencies igraph's
  ``community_multilevel``, its random order seeded the same way: seconds faster, another
  but equally valid partition), numbered 0, 1, … by decreasing size; the partition's
  modularity is the graph attribute ``modularity``.

Above ``NETWORKX_BETWEENNESS_MAX`` agencies every measure is computed from one scipy matrix and
one igraph graph of the network. The exact betweenness's sources are cut into
``BETWEENNESS_CHUNKS`` fixed runs. Two forked children import igraph (without matplotlib, which
igraph would load for drawing: most of its import time): one starts on the runs at once, the
other computes closeness, core numbers and communities and then takes runs from the other
end, while this process computes the scipy measures (both cores busy to the end); the runs
are summed in order, so the figures do not depend on who computed which (Linux;
``YUEGANG_WORKERS=0`` computes everything in-process, with the same figures). Up to that size
(a notice's few dozen agencies) everything goes through networkx as the reference.
- ``sections``: number of sections the agency's items fall in; ``participation``:
  ``1 - sum_s (k_is / k_i)^2`` where ``k_is`` is the number of the agency's items in section ``s``
  and ``k_i`` its items (0 when all its items are in one section, towards 1 when they spread
  evenly over many). This is Guimerà–Amaral's participation coefficient with the notice's
  sections as the modules and the agency's items as its links.

Network level (:func:`network_summary`): agencies, links, density, components, largest
component, isolates, items with 0 / 1 / several agencies, Gini of items per agency, Louvain
communities and modularity.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from graph._gc import no_gc
from graph._workers import Worker, WorkerEnded, may_fork

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

__all__ = [
    "EXACT_BETWEENNESS_MAX",
    "NETWORKX_BETWEENNESS_MAX",
    "NETWORKX_LOUVAIN_MAX",
    "MEASURE_COLUMNS",
    "MEASURES",
    "agency_measures",
    "betweenness",
    "closeness",
    "eigenvector",
    "gini",
    "measure_rows",
    "measures_table",
    "network_summary",
    "participation",
    "structural_holes",
    "with_measures",
]

MEASURES = (
    "items",
    "partners",
    "weighted_degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "effective_size",
    "constraint",
    "core",
    "community",
    "sections",
    "participation",
)
MEASURE_COLUMNS = ("name", "full_name", "kind", *MEASURES, "id", "label_en")
EXACT_BETWEENNESS_MAX = 5_000
NETWORKX_BETWEENNESS_MAX = 100
NETWORKX_LOUVAIN_MAX = 500
SAMPLED_BETWEENNESS_K = 200
#: runs of sources an exact igraph betweenness is cut into (shared by two processes)
BETWEENNESS_CHUNKS = 32
SEED = 42


def _matrix(G: nx.Graph, nodes: list, weight: str) -> sparse.csr_matrix:
    """The weighted adjacency matrix of *G* on *nodes* (as ``nx.to_scipy_sparse_array``)."""
    if G.is_directed() or G.is_multigraph():
        A = nx.to_scipy_sparse_array(G, nodelist=nodes, weight=weight, format="csr")
        return A.astype(float)
    return _Arrays(G, nodes, weight).matrix()


class _Arrays:
    """The edges of an undirected simple graph among *nodes* as index and weight arrays, read
    once and shared by the measures (scipy's matrix, igraph's graph)."""

    def __init__(self, G: nx.Graph, nodes: list, weight: str) -> None:
        index = {v: i for i, v in enumerate(nodes)}
        rows, cols, weights = [], [], []
        for u, v, w in G.edges(data=weight, default=1):
            i, j = index.get(u), index.get(v)
            if i is not None and j is not None:
                rows.append(i)
                cols.append(j)
                weights.append(w)
        self.n = len(nodes)
        self.rows = np.asarray(rows, dtype=np.int64)
        self.cols = np.asarray(cols, dtype=np.int64)
        self.weights = np.asarray(weights, dtype=float)
        self.loops = bool((self.rows == self.cols).any())

    def matrix(self) -> sparse.csr_array:
        """Symmetric CSR matrix, a self-loop's weight once on the diagonal."""
        off = self.rows != self.cols
        r = np.concatenate([self.rows, self.cols[off]])
        c = np.concatenate([self.cols, self.rows[off]])
        w = np.concatenate([self.weights, self.weights[off]])
        from scipy import sparse  # imported by what needs it (0.2 s)

        A = sparse.coo_array((w, (r, c)), shape=(self.n, self.n)).tocsr()
        A.sum_duplicates()
        A.sort_indices()
        return A

    def igraph(self, *, own_process: bool = False):
        """Undirected igraph graph (edges in *G*'s order), edge attributes ``weight`` and
        ``distance`` = ``1 / weight``; self-loops left out. *own_process*: see
        :func:`_import_igraph`."""
        igraph = _import_igraph(own_process=own_process)

        off = self.rows != self.cols
        edges = np.column_stack([self.rows[off], self.cols[off]]).tolist()
        h = igraph.Graph(n=self.n, edges=edges, directed=False)
        h.es["weight"] = self.weights[off].tolist()
        h.es["distance"] = (1.0 / self.weights[off]).tolist()
        return h


def _import_igraph(*, own_process: bool = False) -> Any:
    """The ``igraph`` module. *own_process*: this is a forked child that only computes
    measures and then ends, so igraph is imported without matplotlib (not yet imported here),
    which igraph would load for its drawing functions: 0.5-0.6 s of its 0.55-0.7 s import,
    and igraph falls back to a stand-in, as where matplotlib is not installed."""
    import sys

    if own_process and "igraph" not in sys.modules and "matplotlib" not in sys.modules:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # import fails: stand-in
    import igraph

    return igraph


def _igraph(G: nx.Graph, nodes: list, weight: str):
    """*G* as an undirected igraph graph on *nodes* (same order), edge attribute ``distance`` =
    ``1 / weight``."""
    return _Arrays(G, nodes, weight).igraph()


def closeness(
    G: nx.Graph, nodes: list | None = None, weight: str = "weight", *, engine: str = "auto"
) -> dict[Any, float]:
    """Closeness on distances ``1/weight``, equal to ``nx.closeness_centrality(G, distance=1/w)``.

    *engine* ``"scipy"`` (Dijkstra from every agency) or ``"igraph"``; ``"auto"`` takes scipy
    up to :data:`NETWORKX_BETWEENNESS_MAX` agencies (no igraph import) and igraph above, on
    undirected graphs without self-loops (equal to scipy's to the last bits or so:
    ``tests/test_measures.py``).

    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    if engine not in ("auto", "igraph", "scipy"):
        raise ValueError(f"engine must be 'auto', 'igraph' or 'scipy', not {engine!r}")
    nodes = list(G) if nodes is None else nodes
    if not nodes:
        return {}
    arrays = None
    if engine != "scipy" and not (G.is_directed() or G.is_multigraph()):
        if engine == "igraph" or len(nodes) > NETWORKX_BETWEENNESS_MAX:
            arrays = _Arrays(G, nodes, weight)
    if arrays is not None and not arrays.loops:
        out = _igraph_closeness(arrays.igraph())
    else:
        out = _closeness(_matrix(G, nodes, weight))
    return {v: float(c) for v, c in zip(nodes, out, strict=True)}


def _closeness(A: sparse.csr_matrix) -> np.ndarray:
    """Closeness of every row of the weighted adjacency matrix *A* (distances ``1/weight``)."""
    from scipy.sparse import csgraph

    n = A.shape[0]
    D = A.copy()
    D.data = 1.0 / D.data
    out = np.zeros(n)
    step = max(1, 4_000_000 // max(n, 1))  # bound the dense distance block to ~32 MB
    for start in range(0, n, step):
        idx = np.arange(start, min(n, start + step))
        dist = csgraph.dijkstra(D, directed=False, indices=idx)
        finite = np.isfinite(dist)
        reach = finite.sum(axis=1) - 1
        total = np.where(finite, dist, 0.0).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            c = np.where(total > 0, reach / total, 0.0)
        if n > 1:
            c = c * reach / (n - 1)
        out[idx] = c
    return out


def betweenness(
    G: nx.Graph,
    nodes: list | None = None,
    weight: str = "weight",
    *,
    k: int | None = None,
    seed: int = SEED,
    engine: str = "auto",
) -> dict[Any, float]:
    """Normalised betweenness on distances ``1/weight``, as ``nx.betweenness_centrality(G,
    normalized=True, weight=distance)``: exact, or networkx's estimate from *k* sampled sources
    (seeded) when *k* is given.

    *engine* ``"igraph"`` or ``"networkx"`` for the exact figures; ``"auto"`` takes networkx up
    to :data:`NETWORKX_BETWEENNESS_MAX` agencies (a notice's few dozen: milliseconds, and no
    igraph import, which pulls in matplotlib) and igraph above.

    >>> betweenness(nx.path_graph(3))
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    nodes = list(G) if nodes is None else nodes
    n = len(nodes)
    if engine not in ("auto", "igraph", "networkx"):
        raise ValueError(f"engine must be 'auto', 'igraph' or 'networkx', not {engine!r}")
    if (
        k is not None
        or engine == "networkx"
        or (engine == "auto" and n <= NETWORKX_BETWEENNESS_MAX)
    ):
        H = nx.Graph()
        H.add_nodes_from(nodes)
        for u, v, w in G.edges(data=weight, default=1):
            H.add_edge(u, v, distance=1.0 / float(w))
        return nx.betweenness_centrality(H, k=k, normalized=True, weight="distance", seed=seed)
    if n <= 2:
        return dict.fromkeys(nodes, 0.0)
    raw, _ = _igraph_betweenness(_igraph(G, nodes, weight))
    return _normalised_betweenness(nodes, raw)


def _normalised_betweenness(nodes: list, raw: Any) -> dict[Any, float]:
    """igraph's undirected betweenness *raw* scaled as networkx's ``normalized=True``."""
    n = len(nodes)
    scale = 2.0 / ((n - 1) * (n - 2))
    return {v: float(b) * scale for v, b in zip(nodes, raw, strict=True)}


def eigenvector(G: nx.Graph, nodes: list | None = None, weight: str = "weight") -> dict[Any, float]:
    """Eigenvector centrality, made well defined on disconnected graphs (see the module doc).

    A star with three leaves (λ = √3): centre 1/√2, leaves 1/√6; an extra separate edge (λ = 1)
    gets 0.
    """
    nodes = list(G) if nodes is None else nodes
    if not nodes:
        return {}
    return _eigenvector(_matrix(G, nodes, weight), nodes)


def _eigenvector(A: sparse.csr_array, nodes: list) -> dict[Any, float]:
    """:func:`eigenvector` from the weighted adjacency matrix *A* of *nodes*."""
    from scipy.sparse import csgraph

    result = dict.fromkeys(nodes, 0.0)
    best: list[tuple[float, list, np.ndarray]] = []
    count, labels = csgraph.connected_components(A, directed=False)
    for label in range(count):
        idx = np.flatnonzero(labels == label)
        if len(idx) < 2:
            continue
        members = [nodes[i] for i in idx]
        A_c = A[idx][:, idx]
        if len(members) <= 300:
            vals, vecs = np.linalg.eigh(A_c.toarray())
            lam, vec = vals[-1], vecs[:, -1]
        else:
            from scipy.sparse.linalg import eigsh

            vals, vecs = eigsh(A_c, k=1, which="LA", v0=np.ones(len(members)))
            lam, vec = vals[0], vecs[:, 0]
        vec = np.abs(vec)  # the Perron vector of a connected non-negative matrix is positive
        best.append((float(lam), members, vec / np.linalg.norm(vec)))
    if not best:
        return result
    top = max(lam for lam, _, _ in best)
    leaders = [(m, v) for lam, m, v in best if math.isclose(lam, top, rel_tol=1e-9)]
    for members, vec in leaders:
        for v, x in zip(members, vec / math.sqrt(len(leaders)), strict=True):
            result[v] = float(x)
    return result


def structural_holes(
    G: nx.Graph, nodes: list | None = None, weight: str = "weight"
) -> tuple[dict[Any, float], dict[Any, float]]:
    """Burt's effective size and constraint, equal to networkx's weighted versions.

    With ``p_ij = w_ij / sum_k w_ik`` and ``m_jq = w_jq / max_k w_jk``:
    effective size ``e_i = sum_j (1 - sum_q p_iq m_jq)`` and constraint
    ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over the neighbours ``j`` of ``i``.
    """
    nodes = list(G) if nodes is None else nodes
    if not nodes:
        return {}, {}
    eff, cons = _structural_holes(_matrix(G, nodes, weight))
    return (
        {v: float(x) for v, x in zip(nodes, eff, strict=True)},
        {v: float(x) for v, x in zip(nodes, cons, strict=True)},
    )


def _structural_holes(A: sparse.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """(effective size, constraint) of every row of the weighted adjacency matrix *A*."""
    from scipy import sparse

    A = A.copy()
    A.setdiag(0)
    A.eliminate_zeros()
    mask = A.copy()
    mask.data[:] = 1.0
    deg = np.asarray(mask.sum(axis=1)).ravel()
    rowsum = np.asarray(A.sum(axis=1)).ravel()
    rowmax = A.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore"):
        P = sparse.diags(np.where(rowsum > 0, 1.0 / rowsum, 0.0)) @ A
        M = sparse.diags(np.where(rowmax > 0, 1.0 / rowmax, 0.0)) @ A
    redundancy = np.asarray((P @ M.T).multiply(mask).sum(axis=1)).ravel()
    eff = deg - redundancy
    C = P + (P @ P).multiply(mask)  # P is zero off the mask already: add on the mask only
    C.sum_duplicates()
    cons = np.asarray(C.multiply(C).sum(axis=1)).ravel()
    cons = np.where(deg > 0, cons, np.nan)
    return eff, cons


def participation(labels: list[str], item_sections: dict[str, str]) -> tuple[int, float]:
    """(sections spanned, participation coefficient) of one agency's items.

    Items whose section is unknown are left out; no item with a known section gives (0, NaN).

    >>> participation(["1", "2", "3", "4"], {"1": "A", "2": "A", "3": "B", "4": "C"})
    (3, 0.625)
    """
    per = Counter(
        item_sections[i] for i in labels if item_sections.get(i, "?").rpartition("/")[2] != "?"
    )
    total = sum(per.values())
    if not total:
        return 0, math.nan
    return len(per), 1.0 - sum((k / total) ** 2 for k in per.values())


def gini(values: list[float]) -> float:
    """Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated).

    >>> round(gini([1, 2, 3]), 4)
    0.2222
    """
    x = np.sort(np.asarray(values, dtype=float))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return math.nan
    return float(2 * np.sum(np.arange(1, n + 1) * x) / (n * total) - (n + 1) / n)


def _communities(G: nx.Graph, weight: str, seed: int) -> list[list]:
    if G.number_of_edges() == 0:
        return [[v] for v in sorted(G, key=str)]
    parts = nx.community.louvain_communities(G, weight=weight, seed=seed)
    return sorted((sorted(p, key=str) for p in parts), key=lambda p: (-len(p), str(p[0])))


def _modularity(G: nx.Graph, parts: list[list], weight: str) -> float:
    if G.number_of_edges() == 0:
        return math.nan
    return float(nx.community.modularity(G, parts, weight=weight))


def _betweenness_k(n: int, k: int | str | None) -> int | None:
    if k == "auto":
        return SAMPLED_BETWEENNESS_K if n > EXACT_BETWEENNESS_MAX else None
    if k is None or int(k) >= n:
        return None
    return int(k)


def agency_measures(
    G: nx.Graph,
    *,
    weight: str = "weight",
    betweenness_k: int | str | None = "auto",
    seed: int = SEED,
) -> dict[Any, dict[str, Any]]:
    """Every measure of :data:`MEASURES` for every agency of the co-responsibility network *G*.

    *weight* is ``"weight"`` (shared items) or ``"newman"`` (Newman's collaboration weight).
    *betweenness_k*: ``"auto"`` (exact up to :data:`EXACT_BETWEENNESS_MAX` agencies, else
    :data:`SAMPLED_BETWEENNESS_K` sampled sources), ``None`` (exact) or a number of sources.
    Use :func:`with_measures` to also get the modularity and the sampling used.
    """
    return _compute(G, weight=weight, betweenness_k=betweenness_k, seed=seed)[0]


def _compute(
    G: nx.Graph,
    *,
    weight: str,
    betweenness_k: int | str | None,
    seed: int,
    meanwhile: Callable[[], Any] | None = None,
):
    """(measures by agency, graph attributes, what *meanwhile* returned): *meanwhile* runs
    while the exact betweenness is being computed in a forked child (the caller's own work,
    overlapped)."""
    nodes = list(G)
    k = _betweenness_k(len(nodes), betweenness_k)
    arrays = None
    if len(nodes) > NETWORKX_BETWEENNESS_MAX and not (G.is_directed() or G.is_multigraph()):
        arrays = _Arrays(G, nodes, weight)
    if arrays is None or arrays.loops:
        values = _networkx_values(G, nodes, weight, k, seed)
        values["meanwhile"] = meanwhile() if meanwhile is not None else None
    else:
        values = _matrix_values(G, nodes, weight, k, seed, arrays, meanwhile)
    parts, modularity = values.pop("parts"), values.pop("modularity")
    extra = values.pop("meanwhile")
    community = {v: i for i, p in enumerate(parts) for v in p}
    item_sections = G.graph.get("item_sections", {})
    partners, strength = values["partners"], values["weighted_degree"]
    betw, close, eig = values["betweenness"], values["closeness"], values["eigenvector"]
    eff, cons, core = values["effective_size"], values["constraint"], values["core"]
    out: dict[Any, dict[str, Any]] = {}
    for v in nodes:
        data = G.nodes[v]
        labels = data.get("item_labels", [])
        n_sections, part = participation(labels, item_sections)
        out[v] = {
            "items": int(data.get("items", len(labels))),
            "partners": partners[v],
            "weighted_degree": float(strength[v]),
            "betweenness": float(betw[v]),
            "closeness": close[v],
            "eigenvector": eig[v],
            "effective_size": eff[v],
            "constraint": cons[v],
            "core": int(core[v]),
            "community": community[v],
            "sections": n_sections,
            "participation": part,
        }
        if weight == "weight":
            out[v]["weighted_degree"] = int(out[v]["weighted_degree"])
    info = {
        "modularity": modularity,
        "communities": len(parts),
        "betweenness_k": k if k is not None else "exact",
        "measure_weight": weight,
        "seed": seed,
    }
    return out, info, extra


def _networkx_values(
    G: nx.Graph, nodes: list, weight: str, k: int | None, seed: int
) -> dict[str, Any]:
    """Every measure through a networkx copy of *G* (the reference; a notice's few dozen
    agencies, and any graph with self-loops)."""
    H = nx.Graph()
    H.add_nodes_from(nodes)
    for u, v, w in G.edges(data=weight, default=1):
        H.add_edge(u, v, weight=float(w), distance=1.0 / float(w))
    eff, cons = structural_holes(H, nodes)
    parts = _communities(H, "weight", seed)
    return {
        "partners": dict(H.degree()),
        "weighted_degree": dict(H.degree(weight="weight")),
        "betweenness": betweenness(H, nodes, k=k, seed=seed),
        "closeness": closeness(H, nodes),
        "eigenvector": eigenvector(H, nodes),
        "effective_size": eff,
        "constraint": cons,
        "core": nx.core_number(H) if nodes else {},
        "parts": parts,
        "modularity": _modularity(H, parts, "weight"),
    }


def _matrix_values(
    G: nx.Graph,
    nodes: list,
    weight: str,
    k: int | None,
    seed: int,
    arrays: _Arrays,
    meanwhile: Callable[[], Any] | None = None,
) -> dict[str, Any]:
    """Every measure from one sparse matrix and one igraph graph of *G* (above
    :data:`NETWORKX_BETWEENNESS_MAX` agencies, no self-loops): the same figures as
    :func:`_networkx_values` (tests/test_measures.py), except the Louvain communities above
    :data:`NETWORKX_LOUVAIN_MAX` agencies, which are igraph's (same method, other heuristic
    path)."""
    if k is None and len(nodes) > 2:
        return _forked_values(G, nodes, weight, seed, arrays, meanwhile)
    values = _scipy_part(G, nodes, weight, arrays)
    values.update(_igraph_part(G, nodes, weight, seed, arrays.igraph()))
    values["meanwhile"] = meanwhile() if meanwhile is not None else None
    if k is not None:
        values["betweenness"] = betweenness(G, nodes, weight, k=k, seed=seed)
    else:
        values["betweenness"] = dict.fromkeys(nodes, 0.0)
    return values


def _scipy_part(G: nx.Graph, nodes: list, weight: str, arrays: _Arrays) -> dict[str, Any]:
    """The measures computed from the sparse matrix (and *G*'s weighted degree)."""
    A = arrays.matrix()
    eff, cons = _structural_holes(A)
    return {
        "weighted_degree": dict(G.degree(weight=weight)),
        "eigenvector": _eigenvector(A, nodes),
        "effective_size": dict(zip(nodes, eff.tolist(), strict=True)),
        "constraint": dict(zip(nodes, cons.tolist(), strict=True)),
    }


def _igraph_part(G: nx.Graph, nodes: list, weight: str, seed: int, h: Any) -> dict[str, Any]:
    """The measures computed on igraph's graph *h*: partners, closeness, core numbers, the
    Louvain communities (networkx's on *G* up to :data:`NETWORKX_LOUVAIN_MAX` agencies) and
    their modularity."""
    if len(nodes) <= NETWORKX_LOUVAIN_MAX:
        H = nx.Graph()
        H.add_nodes_from(nodes)
        for u, v, w in G.edges(data=weight, default=1):
            H.add_edge(u, v, weight=float(w))
        parts = _communities(H, "weight", seed)
    else:
        parts = _igraph_communities(h, nodes, seed)
    return {
        "partners": dict(zip(nodes, h.degree(), strict=True)),
        "closeness": dict(zip(nodes, _igraph_closeness(h).tolist(), strict=True)),
        "core": dict(zip(nodes, h.coreness(), strict=True)),
        "parts": parts,
        "modularity": _igraph_modularity(h, nodes, parts),
    }


def _forked_values(
    G: nx.Graph,
    nodes: list,
    weight: str,
    seed: int,
    arrays: _Arrays,
    meanwhile: Callable[[], Any] | None,
) -> dict[str, Any]:
    """:func:`_matrix_values` with the exact betweenness, on both cores: two forked children
    import igraph (without matplotlib, :func:`_import_igraph`) and make its graph; one starts
    on the betweenness's runs of sources (:class:`_Chunks`) from the front, the other computes
    :func:`_igraph_part` and then takes runs from the back, while this process computes the
    scipy measures and runs *meanwhile*. What a child could not do (killed, or no workers:
    ``YUEGANG_WORKERS=0``, not Linux) is computed here; the figures are the same either way."""
    fork = may_fork()
    chunks = _Chunks(len(nodes), shared=fork)
    front = Worker.started(_front_part, arrays, chunks, fork, fork=fork)
    rest = Worker.started(_rest_part, G, nodes, weight, seed, arrays, chunks, fork, fork=fork)
    try:
        values = _scipy_part(G, nodes, weight, arrays)
        values["meanwhile"] = meanwhile() if meanwhile is not None else None
        try:
            igraph_values, runs = rest.result()
        except WorkerEnded:  # its runs and measures, here
            igraph_values, runs = _rest_part(G, nodes, weight, seed, arrays, chunks, False)
        try:
            runs.update(front.result())
        except WorkerEnded:
            pass
    finally:
        front.close()
        rest.close()
    values.update(igraph_values)
    raw = _summed_runs(chunks, runs, arrays.igraph)
    values["betweenness"] = _normalised_betweenness(nodes, raw)
    return values


def _front_part(arrays: _Arrays, chunks: _Chunks, own_process: bool) -> dict[int, list[float]]:
    """The first child's part: igraph's graph, then betweenness runs from the front."""
    return _front_chunks(arrays.igraph(own_process=own_process), chunks)


def _rest_part(
    G: nx.Graph,
    nodes: list,
    weight: str,
    seed: int,
    arrays: _Arrays,
    chunks: _Chunks,
    own_process: bool,
) -> tuple[dict[str, Any], dict[int, list[float]]]:
    """The second child's part: :func:`_igraph_part`, then betweenness runs from the back."""
    h = arrays.igraph(own_process=own_process)
    return _igraph_part(G, nodes, weight, seed, h), _back_chunks(h, chunks)


def _igraph_betweenness(
    h: Any, meanwhile: Callable[[], Any] | None = None
) -> tuple[np.ndarray, Any]:
    """igraph's exact (unnormalised, undirected, distances ``distance``) betweenness of every
    vertex on two cores, and what *meanwhile* returned: a forked child starts on the runs of
    sources (:class:`_Chunks`) at once, this process runs *meanwhile* and then takes runs from
    the other end. Without workers (``YUEGANG_WORKERS=0``, not Linux) every run is computed
    here; the figures are the same either way."""
    fork = may_fork()
    chunks = _Chunks(h.vcount(), shared=fork)
    child = Worker.started(partial(_front_chunks, h, chunks), fork=fork)
    try:
        extra = meanwhile() if meanwhile is not None else None
    except BaseException:
        child.close()  # end the child before giving up
        raise
    return _chunked_betweenness(h, chunks, child), extra


class _Chunks:
    """The sources of an exact betweenness cut into :data:`BETWEENNESS_CHUNKS` fixed runs, taken
    from the front by the forked child and from the back by this process once its other
    measures are done, so both cores stay busy to the end (shared counters under a lock when
    workers fork). Each run's figures are kept apart and summed in run order: the result does
    not depend on who computed which run."""

    def __init__(self, n: int, *, shared: bool = True) -> None:
        count = max(1, min(BETWEENNESS_CHUNKS, n))
        self.edges = [n * i // count for i in range(count + 1)]
        self.count = count
        if shared:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")
            self._lock: Any = ctx.Lock()
            self._bounds: Any = ctx.RawArray("i", [0, count])
        else:
            import threading

            self._lock, self._bounds = threading.Lock(), [0, count]

    def take(self, front: bool) -> int | None:
        """The next run from the front (the child) or the back (this process); None when all
        are taken."""
        with self._lock:
            lo, hi = self._bounds[0], self._bounds[1]
            if lo >= hi:
                return None
            if front:
                self._bounds[0] = lo + 1
                return lo
            self._bounds[1] = hi - 1
            return hi - 1

    def run(self, h: Any, chunk: int) -> list[float]:
        """igraph's betweenness counting the shortest paths from the sources of *chunk* only
        (summed over all runs: the exact betweenness; undirected pairs halved by igraph)."""
        sources = range(self.edges[chunk], self.edges[chunk + 1])
        return h.betweenness(directed=False, weights="distance", sources=sources)


def _front_chunks(h: Any, chunks: _Chunks) -> dict[int, list[float]]:
    """The forked child's part: runs from the front until none is left."""
    out = {}
    while (chunk := chunks.take(front=True)) is not None:
        out[chunk] = chunks.run(h, chunk)
    return out


def _back_chunks(h: Any, chunks: _Chunks) -> dict[int, list[float]]:
    """This process's (or the second child's) part: runs from the back until none is left."""
    out = {}
    while (chunk := chunks.take(front=False)) is not None:
        out[chunk] = chunks.run(h, chunk)
    return out


def _chunked_betweenness(h: Any, chunks: _Chunks, child: Worker) -> np.ndarray:
    """igraph's exact (unnormalised) betweenness: this process takes runs from the back while
    the child takes them from the front; runs of a child that was killed are computed here."""
    runs = _back_chunks(h, chunks)
    try:
        runs.update(child.result())
    except WorkerEnded:  # the child was killed (memory?): its runs, here
        pass
    return _summed_runs(chunks, runs, lambda: h)


def _summed_runs(chunks: _Chunks, runs: dict[int, Any], graph: Callable[[], Any]) -> np.ndarray:
    """The runs' betweenness summed in run order (the same figures whoever computed which);
    a run missing from *runs* (its process was killed) is computed here on ``graph()``."""
    total = np.zeros(chunks.edges[-1])
    h = None
    for chunk in range(chunks.count):
        if chunk not in runs:
            h = h if h is not None else graph()
            runs[chunk] = chunks.run(h, chunk)
        total += np.asarray(runs[chunk], dtype=float)
    return total


def _igraph_closeness(h: Any) -> np.ndarray:
    """:func:`closeness` by igraph (faster than scipy's Dijkstra on a sparse 2,000-agency
    network): igraph gives ``r / sum of distances`` over the ``r`` agencies reachable, times
    ``r / (n - 1)`` it is networkx's Wasserman–Faust form; an agency alone gets 0."""
    n = h.vcount()
    raw = np.asarray(h.closeness(weights="distance", normalized=True), dtype=float)
    components = h.connected_components()
    reach = np.asarray(components.sizes(), dtype=float)[components.membership] - 1
    with np.errstate(invalid="ignore"):
        out = raw * reach / (n - 1) if n > 1 else np.zeros(n)
    return np.where(reach > 0, np.nan_to_num(out), 0.0)


def _igraph_communities(h: Any, nodes: list, seed: int) -> list[list]:
    """Louvain communities by igraph's ``community_multilevel`` (weights ``weight``), its
    random order drawn from ``random.Random(seed)``; sorted as :func:`_communities` sorts."""
    import random

    import igraph

    if h.ecount() == 0:
        return [[v] for v in sorted(nodes, key=str)]
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = h.community_multilevel(weights="weight").membership
    finally:
        igraph.set_random_number_generator(random)
    groups: dict[int, list] = {}
    for v, m in zip(nodes, membership, strict=True):
        groups.setdefault(m, []).append(v)
    parts = (sorted(p, key=str) for p in groups.values())
    return sorted(parts, key=lambda p: (-len(p), str(p[0])))


def _igraph_modularity(h: Any, nodes: list, parts: list[list]) -> float:
    """Modularity of *parts* on the weights ``weight`` (networkx's definition, resolution 1)."""
    if h.ecount() == 0:
        return math.nan
    index = {v: i for i, v in enumerate(nodes)}
    membership = [0] * len(nodes)
    for c, part in enumerate(parts):
        for v in part:
            membership[index[v]] = c
    return float(h.modularity(membership, weights="weight"))


def _copy(G: nx.Graph) -> nx.Graph:
    """``G.copy()``: the same nodes, edges, attributes and adjacency order, each undirected
    edge added once (networkx's copy adds it from both ends: 0.4 s at 73,685 links)."""
    if G.is_directed() or G.is_multigraph():
        return G.copy()
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((v, data.copy()) for v, data in G.nodes(data=True))
    H.add_edges_from((u, v, data.copy()) for u, v, data in G.edges(data=True))
    return H


@no_gc
def with_measures(
    G: nx.Graph,
    *,
    weight: str = "weight",
    betweenness_k: int | str | None = "auto",
    seed: int = SEED,
) -> nx.Graph:
    """A copy of *G* with the measures as node attributes and, as graph attributes,
    ``modularity``, ``communities``, ``betweenness_k`` (``"exact"`` or the sample size),
    ``measure_weight`` and ``seed``."""
    values, info, H = _compute(
        G, weight=weight, betweenness_k=betweenness_k, seed=seed, meanwhile=partial(_copy, G)
    )
    for v, attrs in values.items():
        H.nodes[v].update(attrs)
    H.graph.update(info)
    return H


def measure_rows(G: nx.Graph) -> list[list[Any]]:
    """:data:`MEASURE_COLUMNS` of each agency, one list per agency by id: the rows of
    :func:`measures_table` (``by=None``) without pandas (``measures.csv`` is written from them)."""
    at = MEASURE_COLUMNS.index("id")
    rows = []
    for v, d in G.nodes(data=True):
        row = [d.get(c) for c in MEASURE_COLUMNS]
        row[at] = v
        rows.append(row)
    return sorted(rows, key=lambda row: row[at])


def measures_table(G: nx.Graph, by: str | None = None) -> pd.DataFrame:
    """One row per agency with :data:`MEASURE_COLUMNS` (G must carry the measures: see
    :func:`with_measures`). Rows by *by* descending, ties by id; by id when *by* is None."""
    import pandas as pd

    frame = pd.DataFrame(measure_rows(G), columns=list(MEASURE_COLUMNS))
    if by is not None:
        if by not in frame.columns:
            raise ValueError(f"unknown measure {by!r}; choose one of {', '.join(MEASURES)}")
        frame = frame.sort_values([by, "id"], ascending=[False, True], kind="mergesort")
    return frame.reset_index(drop=True)


def network_summary(G: nx.Graph) -> dict[str, Any]:
    """Network-level figures of a co-responsibility network (with or without measures)."""
    counts = G.graph.get("item_agency_counts", {})
    n_items = len(counts)
    one = sum(1 for c in counts.values() if c == 1)
    several = sum(1 for c in counts.values() if c >= 2)
    comps = sorted((len(c) for c in nx.connected_components(G)), reverse=True)
    summary: dict[str, Any] = {
        "agencies": G.number_of_nodes(),
        "links": G.number_of_edges(),
        "density": nx.density(G) if G.number_of_nodes() > 1 else 0.0,
        "components": len(comps),
        "largest_component": comps[0] if comps else 0,
        "isolates": nx.number_of_isolates(G),
        "items": n_items,
        "items_without_agency": n_items - one - several,
        "items_one_agency": one,
        "items_several_agencies": several,
        "share_one_agency": one / n_items if n_items else math.nan,
        "share_several_agencies": several / n_items if n_items else math.nan,
        "gini_items_per_agency": gini([d.get("items", 0) for _, d in G.nodes(data=True)]),
    }
    for key in ("communities", "modularity", "betweenness_k", "measure_weight", "seed"):
        if key in G.graph:
            summary[key] = G.graph[key]
    return summary
