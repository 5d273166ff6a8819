"""Data of the interactive views: JSON records of nodes, edges, items, legends and filters.

Turns networkx graphs (the contract of :mod:`graph.network.networks`) into the plain, sorted data that
the page script of :mod:`graph.views.render` reads. Values are cast to JSON types (numpy scalars,
sets), floats rounded, and every list sorted, so the same graphs give the same bytes.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.views.pyvis_net import build_page

BASE_IRI = "https://w3id.org/yuegang/"
KINDS = {
    "provincial-department": "省直部门 provincial department",
    "provincial-office": "省直办事机构 provincial office",
    "municipal-government": "地级市政府 municipal government",
    "central-branch": "中央驻粤单位 central-government branch",
    "state-owned-enterprise": "国有企业 state-owned enterprise",
    "court": "法院 court",
    "party-or-mass-organisation": "党群组织 party or mass organisation",
    "group": "单位群组 group of units",
    "other": "其他 other",
}
ROLES = {"lead": "牵头 lead", "support": "配合 support", "responsible": "负责 responsible"}
MEASURES = {
    "items": "事项 items",
    "partners": "合作单位 partners",
    "weighted_degree": "加权度 weighted degree",
    "betweenness": "介数 betweenness",
    "closeness": "接近度 closeness",
    "eigenvector": "特征向量 eigenvector",
    "effective_size": "有效规模 effective size",
    "constraint": "约束 constraint",
    "core": "核数 k-core",
    "community": "社区 community",
    "sections": "章节数 sections",
    "participation": "参与系数 participation",
}
TYPES = {"agency": "单位 agency", "item": "事项 item", "theme": "主题 theme", "place": "地点 place"}
# Colour-blind-safe-ish categorical palettes (Tableau 10 and 20), fixed order for stable output.
_KIND_COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]  # fmt: skip
CATEGORICAL = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#a0cbe8", "#ffbe7d", "#ff9d9a", "#8cd17d", "#b6992d", "#f1ce63",
    "#86bcb6", "#d37295", "#fabfd2", "#d4a6c8",
]  # fmt: skip
_FIXED = {
    "agency": "#57606a",
    "item": "#afb8c1",
    "theme": "#6f42c1",
    "place": "#1a7f37",
}  # outside the palettes
_BIG = 600  # nodes above which edges hide while dragging/zooming


# ---- small data helpers ---------------------------------------------------------------------


def plain(value: Any) -> Any:
    """JSON-ready copy of an attribute value (numpy scalars → int/float, sets → sorted lists)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted(plain(v) for v in value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    return value


def label_key(label: str) -> tuple:
    """Sort item labels numerically ("2" < "10"; "slug/2" < "slug/10")."""
    head, _, tail = str(label).rpartition("/")
    return (head, int(tail)) if tail.isdigit() else (head, math.inf, tail)


def _scaled(value: float, top: float, low: float = 10.0, high: float = 40.0) -> float:
    """Node size in pixels, area roughly proportional to *value*."""
    if top <= 0 or value <= 0:
        return low
    return round(low + (high - low) * math.sqrt(value / top), 2)


def _width(weight: float, top: float) -> float:
    return round(1 + 7 * math.sqrt(max(weight - 1, 0) / (top - 1)), 2) if top > 1 else 1.0


def node_type(key: str, data: Mapping[str, Any]) -> str:
    prefix = str(key).split(":", 1)[0]
    if prefix in ("item", "theme", "place"):
        return prefix
    return "item" if data.get("bipartite") == 1 else "agency"


def resource_link(endpoint: str | None, iri: str | None) -> str | None:
    """Link to the resource page of *iri* on a running endpoint (issue 7), or None.

    >>> resource_link("http://127.0.0.1:7878/", "https://w3id.org/yuegang/agency/gd-hmao")
    'http://127.0.0.1:7878/agency/gd-hmao'
    """
    if not endpoint or not iri or not str(iri).startswith(BASE_IRI):
        return None
    return endpoint.rstrip("/") + "/" + str(iri)[len(BASE_IRI) :]


def item_label(data: Mapping[str, Any], key: str) -> str:
    return str(data.get("label") or str(key).removeprefix("item:"))


def item_table(B: nx.Graph | None) -> tuple[dict[str, dict], dict[str, list[list[str]]]]:
    """Item details by label and each agency's ``[item label, role]`` pairs, from *B*."""
    items: dict[str, dict] = {}
    held: dict[str, list[list[str]]] = {}
    if B is None:
        return items, held
    for key, d in B.nodes(data=True):
        if node_type(key, d) != "item":
            continue
        label = item_label(d, key)
        items[label] = {
            "n": plain(d.get("number")),
            "s": plain(d.get("section")),
            "st": d.get("section_title"),
            "ss": plain(d.get("subsection")),
            "text": d.get("text") or "",
            "th": sorted(d.get("themes") or []),
            "pl": sorted(d.get("places") or []),
            "doc": plain(d.get("document")),
        }
        for agency in B.neighbors(key):
            role = B.edges[key, agency].get("role")
            held.setdefault(str(agency), []).append([label, role])
    for pairs in held.values():
        pairs.sort(key=lambda p: (label_key(p[0]), str(p[1])))
    return items, held


def theme_tree(source: Any) -> dict[str, dict[str, Any]]:
    """``{name: {"id", "en", "broader": [names]}}`` for the themes of *source*: a
    :class:`graph.network.networks.Corpus` (every theme of the graph) or a theme network (its
    ``theme:{id}`` nodes, whose ``broader`` holds ids). A broader theme that *source* does not
    name is left out of ``broader``.
    """
    rows: list[tuple[str, str, str, list[str]]] = []  # id, name, en, broader ids
    themes = getattr(source, "themes", None)
    if isinstance(themes, Mapping):
        by_iri = {iri: t.id for iri, t in themes.items()}
        rows = [(t.id, t.name, t.label_en, [by_iri.get(b, b) for b in t.broader]) for t in themes.values()]  # fmt: skip
    elif isinstance(source, nx.Graph):
        rows = [
            (
                str(k).split(":", 1)[1],
                d.get("name") or str(k),
                d.get("label_en") or "",
                list(d.get("broader") or []),
            )  # fmt: skip
            for k, d in source.nodes(data=True)
            if node_type(str(k), d) == "theme"
        ]
    names = {tid: name for tid, name, _, _ in rows}
    return {
        name: {"id": tid, "en": en, "broader": sorted(names[b] for b in broader if b in names)}
        for tid, name, en, broader in sorted(rows, key=lambda r: r[1])
    }


@functools.cache
def bundled_theme_tree() -> dict[str, dict[str, Any]]:
    """:func:`theme_tree` of the bundled theme list (``graph/extract/data/themes.csv``): the
    hierarchy a view uses when its caller passes none (a notebook showing one view). The graph's
    own themes, which :func:`graph.views.render.write_all_views` passes, come first."""
    from graph.extract.gazetteer import load_themes

    themes = load_themes()
    names = {t.id: t.name for t in themes}
    return {
        t.name: {
            "id": t.id,
            "en": t.name_en,
            "broader": [names[t.broader]] if t.broader in names else [],
        }  # fmt: skip
        for t in sorted(themes, key=lambda t: t.name)
    }


def theme_closure(tree: Mapping[str, Mapping[str, Any]], name: str) -> list[str]:
    """*name* and every theme narrower than it (transitively), *name* first, then sorted."""
    below: dict[str, set[str]] = {}
    for n, t in tree.items():
        for b in t.get("broader", []):
            below.setdefault(b, set()).add(n)
    out, todo = {name}, [name]
    while todo:
        for c in below.get(todo.pop(), set()) - out:
            out.add(c)
            todo.append(c)
    return [name, *sorted(out - {name})]


def _kind_order(kind: str) -> tuple:
    return (list(KINDS).index(kind), "") if kind in KINDS else (len(KINDS), kind)


def _item_title(label: str) -> str:
    return f"第{label}项" if label.isdigit() else label


# ---- node and edge records ------------------------------------------------------------------


def _agency_record(key: str, d: Mapping[str, Any], held: list[list[str]] | None) -> dict:
    name = d.get("name") or key
    pairs = held if held is not None else [[lab, None] for lab in d.get("item_labels") or []]
    keys = [key, name, d.get("full_name"), d.get("label_en")]
    measures = [[MEASURES[m], plain(d[m])] for m in MEASURES if m in d and m != "items"]
    kind = d.get("kind") or "other"
    return {
        "t": "agency",
        "label": name,
        "kind": kind,
        "a": pairs,
        "c": {"kind": kind, "community": str(plain(d["community"])) if "community" in d else None},
        "info": {
            "name": name,
            "full_name": d.get("full_name"),
            "label_en": d.get("label_en"),
            "known": plain(d.get("known")),
            "measures": [["事项 items", plain(d.get("items", len(pairs)))], *measures],
        },
        "keys": keys,
        "sub": d.get("label_en") or d.get("full_name") or "",
        "tip": "\n".join(
            x for x in (name, d.get("full_name"), d.get("label_en"), KINDS.get(kind, kind)) if x
        ),
    }


def _item_record(key: str, d: Mapping[str, Any], B: nx.Graph | None) -> dict:
    label = item_label(d, key)
    pairs = []
    if B is not None and key in B:
        pairs = sorted(([str(a), B.edges[key, a].get("role")] for a in B.neighbors(key)), key=str)
    text = d.get("text") or ""
    return {
        "t": "item",
        "label": _item_title(label),
        "ref": label,
        "a": pairs,
        "c": {"section": str(plain(d.get("section")))},
        "info": {},
        "keys": [label, _item_title(label), "#" + label, key],
        "extra": text,
        "sub": text[:40],
        "tip": f"{_item_title(label)} · {d.get('section_title') or ''}\n{text[:160]}",
    }


def _other_record(key: str, d: Mapping[str, Any], t: str) -> dict:
    name = d.get("name") or key.split(":", 1)[-1]
    return {
        "t": t,
        "label": name,
        "facet": name,
        "c": {},
        "info": {
            "name": name,
            "label_en": d.get("label_en"),
            "lat": plain(d.get("lat")),
            "long": plain(d.get("long")),
        },  # fmt: skip
        "keys": [key, name, d.get("label_en")],
        "sub": d.get("label_en") or "",
        "tip": "\n".join(x for x in (name, d.get("label_en")) if x),
    }


def records(
    G: nx.Graph,
    B: nx.Graph | None,
    held: Mapping[str, list[list[str]]],
    positions: Mapping[str, tuple[int, int]],
    endpoint: str | None,
    agency_attrs: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[list[dict], list[dict]]:
    """Node and edge records of *G* for the page, sorted by id (deterministic)."""
    return _node_records(G, B, held, positions, endpoint, agency_attrs), _edge_records(G)


def _node_records(
    G: nx.Graph,
    B: nx.Graph | None,
    held: Mapping[str, list[list[str]]],
    positions: Mapping[str, tuple[int, int]],
    endpoint: str | None,
    agency_attrs: Mapping[str, Mapping[str, Any]] | None,
) -> list[dict]:
    """Node records of *G*, sorted by id. Degrees are read once for all nodes (a networkx
    ``G.degree(node)`` per node builds a view each time)."""
    nodes = []
    degree = {str(n): d for n, d in G.degree()}
    wdeg = {str(n): float(d) for n, d in G.degree(weight="weight")}
    for key, d in sorted(G.nodes(data=True), key=lambda kd: str(kd[0])):
        skey = str(key)
        t = node_type(skey, d)
        if t == "agency":
            if agency_attrs and skey in agency_attrs:
                d = {**agency_attrs[skey], **d}
            rec = _agency_record(skey, d, held.get(skey) if B is not None else None)
            rec["wd"] = plain(d.get("weighted_degree", wdeg[skey]))
        elif t == "item":
            rec = _item_record(skey, d, B)
        else:
            rec = _other_record(skey, d, t)
        rec["id"] = skey
        rec["x"], rec["y"] = positions[skey]
        rec["deg"] = degree[skey]
        link = resource_link(endpoint, d.get("iri"))
        if link and t in ("agency", "item", "theme"):
            rec["link"] = link
        keys = [str(k).lower() for k in rec.pop("keys") if k]
        rec["k"] = sorted(set(keys))
        rec["q"] = "\u0001".join([*keys, str(rec.pop("extra", "")).lower()])
        nodes.append(rec)
    return nodes


class _LabelKeys(dict):
    """:func:`label_key` of each label, computed once (an edge list repeats item labels)."""

    def __missing__(self, label: str) -> tuple:
        key = self[label] = label_key(label)
        return key


def _edge_records(G: nx.Graph) -> list[dict]:
    """Edge records of *G*, sorted by their (smaller, larger) end ids; ids ``e0``, ``e1``, ….

    Plain dict work per edge: widths are computed once per weight and item labels sorted with
    their sort keys computed once per label (20,000 edges in a few tens of milliseconds)."""
    pairs = []
    for u, v, d in G.edges(data=True):
        a, b = str(u), str(v)
        pairs.append((a, b, d) if a <= b else (b, a, d))
    pairs.sort(key=lambda p: (p[0], p[1]))
    top = max((float(d.get("weight", 1)) for _, _, d in pairs), default=1.0)
    widths: dict[float, float] = {}
    keys = _LabelKeys()
    edges = []
    for i, (u, v, d) in enumerate(pairs):
        rec: dict[str, Any] = {"id": f"e{i}", "from": u, "to": v}
        weight = d.get("weight")
        if "weight" in d:
            rec["weight"] = weight if type(weight) is int else plain(weight)
        w = float(d.get("weight", 1))
        rec["w"] = widths[w] if w in widths else widths.setdefault(w, _width(w, top))
        items = d.get("items")
        if items is not None:
            rec["items"] = sorted(
                (x if type(x) is str else str(x) for x in items), key=keys.__getitem__
            )
        if d.get("role"):
            rec["role"] = d["role"]
        broader = d.get("broader")
        if broader is not None and broader in (u, v):  # narrower theme → broader theme
            rec["rel"] = "broader"
            rec["from"], rec["to"] = (v, u) if broader == u else (u, v)
        edges.append(rec)
    return edges


def legend(keys: Iterable[str | None], labels: Mapping[str, str], colours: list[str]) -> list:
    """Legend entries for the *keys* present; a key of *labels* keeps its colour in every view."""
    present = {k for k in keys if k is not None}
    known = [k for k in labels if k in present]
    extra = sorted(present - set(labels), key=label_key)
    slots = {k: list(labels).index(k) for k in known} | {
        k: len(labels) + i for i, k in enumerate(extra)
    }
    return [
        {"key": k, "label": labels.get(k, k), "color": colours[slots[k] % len(colours)]}
        for k in known + extra
    ]


def node_sizes(
    nodes: list[dict],
    size_modes: list[tuple[str, str, str]],
    ranges: Mapping[str, tuple[float, float]] | None = None,
) -> list[dict[str, float]]:
    """Radius of each of *nodes* per size mode, scaled against the largest value of the mode;
    *ranges* gives (smallest, largest) radius per node type (items 10–28, others 14–56 by
    default)."""
    tops = {
        mode: max((float(n.get(attr) or 0) for n in nodes), default=0.0)
        for mode, _label, attr in size_modes
    }
    out = []
    for n in nodes:
        low_high = (ranges or {}).get(n["t"]) or ((10, 28) if n["t"] == "item" else (14, 56))
        out.append(
            {m: _scaled(float(n.get(attr) or 0), tops[m], *low_high) for m, _, attr in size_modes}
        )
    return out


def page(
    view: str,
    title: str,
    subtitle: str,
    nodes: list[dict],
    edges: list[dict],
    items: Mapping[str, dict],
    colour_modes: list[dict],
    size_modes: list[tuple[str, str, str]],
    notes: list[str],
    index_href: str | None,
    *,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Assemble the data block and render the page template.

    Each node gets its sizes per size mode (``n["s"]``) unless it has them already; *extra*
    adds keys to the data block (the places view's ``map``).
    """
    for n, sizes in zip(nodes, node_sizes(nodes, size_modes), strict=True):
        n.setdefault("s", sizes)
    data_extra = dict(extra or {})
    types = [t for t in TYPES if any(n["t"] == t for n in nodes)]
    sections = {
        str(it["s"]): it.get("st") or "" for it in items.values() if it.get("s") is not None
    }
    themes = sorted({th for it in items.values() for th in it["th"]})
    kinds = sorted({n["kind"] for n in nodes if n["t"] == "agency"}, key=_kind_order)
    roles = sorted({p[1] for n in nodes for p in n.get("a", []) if p[1]} | {e["role"] for e in edges if e.get("role")})  # fmt: skip
    data = {
        "view": view,
        "nodes": nodes,
        "edges": edges,
        "items": dict(items),
        "modes": {
            "colour": colour_modes,
            "size": [{"id": m, "label": lab} for m, lab, _ in size_modes],
        },
        "filters": {
            "section": [
                [s, f"{s} {t}".strip()]
                for s, t in sorted(sections.items(), key=lambda kv: label_key(kv[0]))
            ],  # fmt: skip
            "theme": [[t, t] for t in themes],
            "kind": [[k, KINDS.get(k, k)] for k in kinds],
            "role": [[r, ROLES.get(r, r)] for r in sorted(roles)],
        },
        "types": [[t, TYPES[t]] for t in types],
        "fixed_colours": _FIXED,
        "labels": {"role": ROLES, "kind": KINDS},
        "notes": notes,
        "big": len(nodes) > _BIG,
        **data_extra,
    }
    return build_page(title, subtitle, data, index_href)


def kind_mode(nodes: list[dict]) -> dict:
    keys = [n["c"].get("kind") for n in nodes if n["t"] == "agency"]
    return {
        "id": "kind",
        "label": "单位类型 agency kind",
        "legend": legend(keys, KINDS, _KIND_COLOURS),
    }


def section_mode(nodes: list[dict], items: Mapping[str, dict]) -> dict:
    titles = {str(it["s"]): f"{it['s']} {it.get('st') or ''}".strip() for it in items.values()}
    keys = [n["c"].get("section") for n in nodes if n["t"] == "item"]
    entries = legend(keys, {}, CATEGORICAL)
    for entry in entries:
        entry["label"] = (
            "第" + titles.get(entry["key"], entry["key"])
            if entry["key"] in titles
            else entry["label"]
        )
    return {"id": "section", "label": "章节 section", "legend": entries}
