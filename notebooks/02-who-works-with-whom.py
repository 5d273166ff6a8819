# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 02 · Who works with whom: the co-responsibility network
#
# When a work item names several units (e.g. （省港澳办、商务厅）), those agencies share
# responsibility for it (共同承担). Linking every pair of agencies that share an item gives the
# **co-responsibility network**: edge weight = number of shared items. The questions: **which
# agencies hold the network together, which groups work together, and who brokers between
# policy areas** (the notice's sections: 跨界基础设施, 现代服务业, 创新及科技 …)?
#
# The networks are built from the RDF graph (not from the text), so the same code works on any
# graph `yuegang build` writes, with one notice or many.

# %%
import tempfile
from collections import Counter
from itertools import combinations
from pathlib import Path

import pandas as pd
from IPython.display import Image, display

from graph.extract.notice import extract_file
from graph.network.figures import network_figure
from graph.network.measures import measures_table, network_summary, with_measures
from graph.network.networks import agency_network, bipartite_network, load_corpus
from graph.rdf.build import build_graph
from graph.views.notebook import show
from graph.views.render import render_agency_view

pd.set_option("display.max_colwidth", 60)

# %%
g = build_graph([extract_file(None)])
corpus = load_corpus(g)  # read the RDF graph once; every network below is built from it
A = with_measures(agency_network(corpus))  # agencies, linked by shared items, with measures
B = bipartite_network(corpus)  # the two-mode item–agency network
summary = network_summary(A)
pd.Series(summary, name="value").to_frame()

# %% [markdown]
# `items_one_agency` vs `items_several_agencies` says how much of the work is shared at all;
# the Gini coefficient of items per agency says how concentrated it is.
#
# ## 1. Who is central?
#
# Per agency: `items` (items it is responsible for), `partners` (distinct co-responsible
# agencies), `weighted_degree` (shared items summed over partners), `betweenness` (on distances
# 1/weight: how often it lies on the shortest paths between other agencies), `eigenvector`, and
# Burt's structural holes (`effective_size`, `constraint`).

# %%
columns = ["name", "label_en", "items", "partners", "weighted_degree", "betweenness",
           "eigenvector", "constraint"]  # fmt: skip
by_degree = measures_table(A, by="weighted_degree")
by_degree[columns].head(10)

# %% [markdown]
# ## 2. Which groups work together?
#
# Louvain communities (fixed seed, so the same every run) group agencies that share many items
# with each other. The modularity says how clear the grouping is (0 = none).

# %%
table = measures_table(A)
groups = (
    table.groupby("community")
    .agg(agencies=("name", "size"), members=("name", lambda s: "、".join(sorted(s))))
    .sort_values("agencies", ascending=False)
)
print(f"{A.graph['communities']} communities, modularity {A.graph['modularity']:.3f}")
groups.head(6)

# %% [markdown]
# ## 3. Brokers between policy areas
#
# An agency whose items spread over several sections of the notice connects policy areas.
# `sections` counts the sections its items fall in; `participation` (Guimerà–Amaral, with the
# sections as modules) is 0 when all its items are in one section and approaches 1 when they
# spread evenly. Brokers combine a high participation with a high betweenness.

# %%
brokers = table[table["sections"] >= 3].sort_values(
    ["betweenness", "participation"], ascending=False
)
brokers[["name", "items", "sections", "participation", "betweenness", "community"]].head(8)

# %% [markdown]
# ## 4. Explore it: the interactive view, inline
#
# The same view `yuegang build` writes to `agencies.html`: search (Chinese or English names),
# filters, colour by kind or community, click an agency to see its items. It runs offline
# inside the notebook (`graph.views.notebook.show` embeds the whole page, no file needed).

# %%
view = render_agency_view(A, bipartite=B)
show(view, height=640)

# %% [markdown]
# ## 5. A static figure for a paper
#
# `network_figure` draws the network with a deterministic layout (node size = items, colour =
# community, with a legend) to PNG and SVG, with a CJK font so the Chinese labels render; each
# label sits beside its node, never across another node or label.

# %%
OUT = Path(
    tempfile.mkdtemp(prefix="yuegang-notebook-")
)  # scratch folder: nothing lands in the clone
figure_files = network_figure(A, OUT / "figures" / "co-responsibility", title="责任单位合作网络")
print(f"files written to {OUT}")
display(Image(filename=str(figure_files[0]), width=640))

# %% [markdown]
# ## What this notebook showed (checked)
#
# The network's weights are recomputed here straight from the two-mode network (count the
# agency pairs on each item) and must equal the module's; the tables' leaders must be the maxima.

# %%
agencies_on = {v: sorted(B.neighbors(v)) for v, d in B.nodes(data=True) if d.get("bipartite") == 1}
pairs = Counter(pair for agencies in agencies_on.values() for pair in combinations(agencies, 2))
assert {frozenset(p): w for p, w in pairs.items()} == {
    frozenset((u, v)): w for u, v, w in A.edges(data="weight")
}
weighted = Counter()
for (u, v), w in pairs.items():
    weighted[u] += w
    weighted[v] += w
assert all(A.nodes[v]["weighted_degree"] == weighted[v] for v in A)
top_agency = by_degree["id"].iloc[0]
assert weighted[top_agency] == max(weighted.values())

# Every agency of the item–agency network is a node; every item counted once.
assert set(A) == {v for v, d in B.nodes(data=True) if d.get("bipartite") == 0}
assert summary["items"] == len(agencies_on)
assert summary["items_one_agency"] == sum(len(a) == 1 for a in agencies_on.values())

# Communities partition the agencies; the grouping is better than none.
assert groups["agencies"].sum() == A.number_of_nodes()
assert A.graph["modularity"] > 0

# The top broker's sections and participation, recomputed from its items' sections.
broker = brokers["id"].iloc[0]
per_section = Counter(B.nodes[item]["section"] for item in B.neighbors(broker))
k = sum(per_section.values())
assert len(per_section) == brokers["sections"].iloc[0] >= 3
assert (
    abs(1 - sum((n / k) ** 2 for n in per_section.values()) - A.nodes[broker]["participation"])
    < 1e-9
)

# The view shows every agency; the figure was written.
assert all(A.nodes[v]["name"] in view for v in A)
assert all(p.stat().st_size > 10_000 for p in figure_files)
print(
    f"top by weighted degree: {A.nodes[top_agency]['name']} ({weighted[top_agency]}); "
    f"top broker: {brokers['name'].iloc[0]}"
)
