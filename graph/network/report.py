"""A short report of the network findings: Markdown and a self-contained HTML page.

:func:`build_report` computes the content (plain data); :func:`render_markdown` and
:func:`render_html` turn it into text; :func:`write_report` writes ``report.md``,
``report.html``, the figures (``figures/*.png|svg``) and ``measures.csv`` into a directory.

The HTML page loads nothing: figures are inline ``data:`` PNGs, the style is inline, and it
holds no ``http(s)`` address at all (IRIs are left to the Turtle). Every text from the notice
goes through Jinja2's autoescaping. The same graph gives byte-identical files.
"""

from __future__ import annotations

import base64
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import networkx as nx

from graph.network import figure_cache
from graph.network.measures import SEED, measures_table, network_summary, with_measures
from graph.network.networks import (
    Corpus,
    agency_network,
    load_corpus,
    section_agency_matrix,
    theme_network,
)

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["build_report", "render_html", "render_markdown", "write_report"]

TOP = 10
THEME_COLUMNS = [
    "主题 theme",
    "English",
    "items (narrower included)",
    "tagged directly",
    "agencies",
]


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "–" if math.isnan(value) else f"{value:.{digits}f}"
    return str(value)


def _rows(frame, columns: list[str], top: int) -> list[list[str]]:
    return [[_fmt(row[c]) for c in columns] for _, row in frame.head(top).iterrows()]


def build_report(
    g: Graph | Corpus,
    *,
    top: int = TOP,
    betweenness_k: int | str | None = "auto",
    seed: int = SEED,
    agencies: nx.Graph | None = None,
    **filters: Any,
) -> dict[str, Any]:
    """Everything the report shows, as plain data (tables are lists of string rows).

    *agencies* is the agency network with its measures when the caller has already computed
    it (``with_measures(agency_network(g))``); it is used as is, so *filters*,
    *betweenness_k* and *seed* must be the ones it was made with.
    """
    corpus = load_corpus(g)
    G = agencies
    if G is None:
        G = with_measures(agency_network(corpus, **filters), betweenness_k=betweenness_k, seed=seed)
    summary = network_summary(G)
    k = summary.get("betweenness_k")
    betweenness_note = (
        "exact (all agencies as sources)"
        if k == "exact"
        else f"estimated from {k} sampled source agencies (seed {seed})"
    )
    head = ["name", "label_en", "kind", "items", "partners"]
    tables = {
        "weighted_degree": {
            "title": "按加权度排名 / Top agencies by weighted degree (shared items)",
            "columns": ["单位 name", "English", "kind", "items", "partners", "weighted degree"],
            "rows": _rows(measures_table(G, by="weighted_degree"), [*head, "weighted_degree"], top),
        },
        "betweenness": {
            "title": "按中介中心度排名 / Top agencies by betweenness (distance = 1/shared items)",
            "columns": [
                "单位 name",
                "English",
                "kind",
                "items",
                "partners",
                "betweenness",
                "sections",
                "participation",
            ],
            "rows": _rows(
                measures_table(G, by="betweenness"),
                [*head, "betweenness", "sections", "participation"],
                top,
            ),
        },
        "participation": {
            "title": "跨领域单位 / Agencies spanning sections (participation coefficient)",
            "columns": [
                "单位 name",
                "English",
                "kind",
                "items",
                "partners",
                "sections",
                "participation",
                "constraint",
            ],
            "rows": _rows(
                measures_table(G, by="participation"),
                [*head, "sections", "participation", "constraint"],
                top,
            ),
        },
    }
    communities, communities_note = _communities(G)
    matrix = section_agency_matrix(corpus, **filters)
    titles = G.graph.get("section_titles", {})
    sections = []
    for label in matrix.index:
        row = matrix.loc[label]
        items = [i for i, s in G.graph["item_sections"].items() if s == label]
        several = sum(1 for i in items if G.graph["item_agency_counts"].get(i, 0) > 1)
        busiest = row[row == row.max()].index[:3] if row.max() > 0 else []
        sections.append(
            [
                label,
                titles.get(label, ""),
                str(len(items)),
                str(int((row > 0).sum())),
                str(several),
                "、".join(G.nodes[a]["name"] for a in busiest),
            ]
        )
    overview = [
        ["单位 agencies", _fmt(summary["agencies"])],
        ["合作关系 co-responsibility links", _fmt(summary["links"])],
        ["密度 density", _fmt(summary["density"])],
        [
            "连通分量 components (largest)",
            f"{summary['components']} ({summary['largest_component']})",
        ],
        ["孤立单位 agencies without partner", _fmt(summary["isolates"])],
        ["事项 items", _fmt(summary["items"])],
        [
            "单一单位事项 items with one agency",
            f"{summary['items_one_agency']} ({_fmt(summary['share_one_agency'] * 100, 1)}%)"
            if summary["items"]
            else "0",
        ],
        [
            "多单位事项 items with several agencies",
            f"{summary['items_several_agencies']} ({_fmt(summary['share_several_agencies'] * 100, 1)}%)"
            if summary["items"]
            else "0",
        ],
        ["无单位事项 items without agency", _fmt(summary["items_without_agency"])],
        ["基尼系数 Gini of items per agency", _fmt(summary["gini_items_per_agency"])],
        [
            "社区 Louvain communities (modularity)",
            f"{summary.get('communities', 0)} ({_fmt(summary.get('modularity', math.nan))})",
        ],
        ["中介中心度 betweenness", betweenness_note],
    ]
    return {
        "title": "责任单位合作网络 / Agency co-responsibility network",
        "communities_note": communities_note,
        "themes": _themes(corpus, filters),
        "documents": G.graph.get("documents", []),
        "filters": {k: str(v) for k, v in G.graph.get("filters", {}).items()},
        "overview": overview,
        "tables": tables,
        "communities": communities,
        "sections": sections,
        "graph": G,
        "seed": seed,
    }


def _communities(G: nx.Graph) -> tuple[list[list[Any]], str]:
    """Table rows of the Louvain communities and a sentence saying what the table shows.

    Every community of several agencies has its own row; the one-agency communities (the
    agencies without a partner) are folded into one last row, and the sentence says so, so that
    the overview's community count and the table agree.
    """
    rows: list[list[Any]] = []
    alone: list[str] = []
    total = G.graph.get("communities", 0)
    for c in range(total):
        members = sorted(
            (v for v, d in G.nodes(data=True) if d.get("community") == c),
            key=lambda v: (-G.nodes[v]["items"], v),
        )
        if len(members) > 1:
            rows.append([c, len(members), "、".join(G.nodes[v]["name"] for v in members)])
        else:
            alone += members
    note = f"{total} 个社区 communities: {total - len(alone)} of several agencies (one row each)"
    if alone:
        names = "、".join(G.nodes[v]["name"] for v in alone)
        rows.append(["–", f"{len(alone)} × 1", f"一个单位的社区 one-agency communities: {names}"])
        why = " (agencies without a partner)" if all(G.degree(v) == 0 for v in alone) else ""
        note += f" and {len(alone)} of one agency each{why}, folded into the last row."
    else:
        note += "."
    return rows, note


def _themes(corpus: Corpus, filters: dict[str, Any]) -> list[list[str]]:
    """Rows of the theme table: items under each theme (narrower themes' items included, the
    rule of :func:`~graph.network.networks.broader_closure`), items tagged with it directly, and
    the agencies of those items."""
    try:
        T = theme_network(corpus, **filters)
    except ValueError:  # a filter that names no theme-bearing item leaves the table empty
        return []
    rows = [
        (d["name"], d.get("label_en") or "", d["items"], d["direct_items"], T.degree(v))
        for v, d in T.nodes(data=True)
        if d.get("bipartite") == 1
    ]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return [[a, b, str(n), str(direct), str(k)] for a, b, n, direct, k in rows]


_METHOD = [
    "Two agencies are linked when they share a work item; the link weight is the number of shared items.",
    "Betweenness and closeness use distance = 1 / weight (more shared items = closer); closeness "
    "uses the Wasserman–Faust correction for disconnected networks.",
    "Eigenvector centrality is the leading eigenvector of the weighted network; agencies outside the "
    "component(s) with the largest leading eigenvalue get 0.",
    "Participation = 1 − Σ_s (k_is / k_i)², with k_is the agency's items in section s and k_i its "
    "items: 0 when all its items are in one section.",
    "Communities: Louvain (networkx) with a fixed seed; numbered by decreasing size.",
]


def _md_cell(text: Any) -> str:
    """A table cell: backslash-escape what Markdown would read as syntax or raw HTML."""
    out = str(text).replace("\\", "\\\\").replace("\n", " ")
    for ch in "|<>*_`[]":
        out = out.replace(ch, "\\" + ch)
    return out


def _md_table(columns: list[str], rows: list[list[str]]) -> str:
    lines = [
        "| " + " | ".join(_md_cell(c) for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def render_markdown(report: dict[str, Any], figure_files: dict[str, str] | None = None) -> str:
    """The report as Markdown; *figure_files* maps figure keys to relative image paths."""
    out = [f"# {report['title']}", ""]
    if report["documents"]:
        out += ["Documents: " + "; ".join(_md_cell(d) for d in report["documents"]), ""]
    if report["filters"]:
        out += [
            "Filters: " + ", ".join(f"{k} = {_md_cell(v)}" for k, v in report["filters"].items()),
            "",
        ]
    out += ["## 概况 / Overview", "", _md_table(["measure", "value"], report["overview"]), ""]
    for key, fig in (figure_files or {}).items():
        out += [f"![{key}]({fig})", ""]
    for table in report["tables"].values():
        out += [f"## {table['title']}", "", _md_table(table["columns"], table["rows"]), ""]
    out += [
        "## 主题 / Themes",
        "",
        "Items under a theme include the items of its narrower themes (21世纪海上丝绸之路 → 一带一路).",
        "",
        _md_table(THEME_COLUMNS, report["themes"]),
        "",
    ]
    out += [
        "## 社区 / Communities",
        "",
        report["communities_note"],
        "",
        _md_table(
            ["#", "size", "members"], [[str(c), str(n), m] for c, n, m in report["communities"]]
        ),
        "",
    ]
    out += [
        "## 章节 / Sections",
        "",
        _md_table(
            [
                "section",
                "title",
                "items",
                "agencies",
                "items with several agencies",
                "busiest agencies",
            ],
            report["sections"],
        ),
        "",
    ]
    out += ["## 方法 / Method", ""] + [f"- {line}" for line in _METHOD] + [""]
    return "\n".join(out)


_HTML = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(
    """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ r.title }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
       max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f3f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
img { max-width: 100%; height: auto; border: 1px solid #eee; }
figure { margin: 1rem 0; }
</style>
</head>
<body>
<h1>{{ r.title }}</h1>
{% if r.documents %}<p>Documents: {{ r.documents | join("; ") }}</p>{% endif %}
{% if r.filters %}<p>Filters: {% for k, v in r.filters.items() %}{{ k }} = {{ v }}{% if not loop.last %}, {% endif %}{% endfor %}</p>{% endif %}
<h2>概况 / Overview</h2>
<table><tbody>
{% for name, value in r.overview %}<tr><th>{{ name }}</th><td>{{ value }}</td></tr>
{% endfor %}</tbody></table>
{% for key, data in images.items() %}<figure><img alt="{{ key }}" src="data:image/png;base64,{{ data }}"></figure>
{% endfor %}
{% for table in r.tables.values() %}<h2>{{ table.title }}</h2>
<table><thead><tr>{% for c in table.columns %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for row in table.rows %}<tr>{% for cell in row %}<td{% if loop.index > 3 %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
{% endfor %}
<h2>主题 / Themes</h2>
<p>Items under a theme include the items of its narrower themes (21世纪海上丝绸之路 → 一带一路).</p>
<table><thead><tr>{% for c in theme_columns %}<th>{{ c }}</th>{% endfor %}</tr></thead><tbody>
{% for row in r.themes %}<tr>{% for cell in row %}<td{% if loop.index > 2 %} class="num"{% endif %}>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>社区 / Communities</h2>
<p>{{ r.communities_note }}</p>
<table><thead><tr><th>#</th><th>size</th><th>members</th></tr></thead><tbody>
{% for c, n, members in r.communities %}<tr><td class="num">{{ c }}</td><td class="num">{{ n }}</td><td>{{ members }}</td></tr>
{% endfor %}</tbody></table>
<h2>章节 / Sections</h2>
<table><thead><tr><th>section</th><th>title</th><th>items</th><th>agencies</th><th>items with several agencies</th><th>busiest agencies</th></tr></thead><tbody>
{% for row in r.sections %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>方法 / Method</h2>
<ul>{% for line in method %}<li>{{ line }}</li>{% endfor %}</ul>
</body>
</html>
"""
)


def render_html(report: dict[str, Any], images: dict[str, bytes] | None = None) -> str:
    """The report as one self-contained HTML page; *images* are PNG bytes shown inline."""
    encoded = {k: base64.b64encode(v).decode("ascii") for k, v in (images or {}).items()}
    return _HTML.render(r=report, images=encoded, method=_METHOD, theme_columns=THEME_COLUMNS)


#: The report's figures: file stem → (kind, parameters).
FIGURES = {
    "network": ("network", {"title": "责任单位合作网络 / co-responsibility network"}),
    "top-weighted-degree": ("bar", {"by": "weighted_degree"}),
    "top-betweenness": ("bar", {"by": "betweenness"}),
}
FIGURE_FORMATS = ("png", "svg")


def _figures(G: nx.Graph, out: Path, seed: int) -> dict[str, Path]:
    """Draw the figures (or copy them from :mod:`~graph.network.figure_cache`); a missing CJK
    font gives a warning and no figures, not a failure."""
    drawn: dict[str, Path] = {}
    for stem, (kind, params) in FIGURES.items():
        key = figure_cache.figure_key(kind, G, {**params, "seed": seed, "formats": FIGURE_FORMATS})
        cached = figure_cache.load(key, FIGURE_FORMATS) if figure_cache.enabled() else None
        if cached is not None:
            out.mkdir(parents=True, exist_ok=True)
            for fmt, data in cached.items():
                (out / f"{stem}.{fmt}").write_bytes(data)
            drawn[stem] = out / f"{stem}.{FIGURE_FORMATS[0]}"
            continue
        from graph.network import figures  # matplotlib: only when something is drawn

        try:
            if kind == "network":
                paths = figures.network_figure(
                    G, out / stem, seed=seed, formats=FIGURE_FORMATS, **params
                )
            else:
                paths = figures.bar_chart(G, out / stem, formats=FIGURE_FORMATS, **params)
        except figures.CJKFontMissing as exc:
            warnings.warn(f"report written without figures: {exc}", stacklevel=3)
            return {}
        if figure_cache.enabled():
            figure_cache.save(key, paths)
        drawn[stem] = paths[0]
    return drawn


def write_report(
    g: Graph | Corpus,
    out_dir: str | Path,
    *,
    top: int = TOP,
    draw: bool = True,
    betweenness_k: int | str | None = "auto",
    seed: int = SEED,
    agencies: nx.Graph | None = None,
    **filters: Any,
) -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``measures.csv`` and ``figures/`` into *out_dir*
    (*agencies*: see :func:`build_report`)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = build_report(
        g, top=top, betweenness_k=betweenness_k, seed=seed, agencies=agencies, **filters
    )
    pngs = _figures(report["graph"], out / "figures", seed) if draw else {}
    written = {f"figure:{k}": p for k, p in pngs.items()}
    md = render_markdown(report, {k: p.relative_to(out).as_posix() for k, p in pngs.items()})
    html = render_html(report, {k: p.read_bytes() for k, p in pngs.items()})
    (out / "report.md").write_text(md, encoding="utf-8")
    (out / "report.html").write_text(html, encoding="utf-8")
    _write_measures_csv(report["graph"], out / "measures.csv")
    written.update(
        markdown=out / "report.md", html=out / "report.html", measures=out / "measures.csv"
    )
    return written


def _write_measures_csv(G: nx.Graph, path: Path) -> None:
    """``measures.csv``: :func:`measures_table` as pandas writes it (without importing pandas
    when :func:`graph.network.csv_table.csv_text` can write it)."""
    from graph.network.csv_table import write_csv
    from graph.network.measures import MEASURE_COLUMNS, measure_rows

    write_csv(path, list(MEASURE_COLUMNS), measure_rows(G), frame=lambda: measures_table(G))
