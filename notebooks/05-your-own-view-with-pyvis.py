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
# # 05 · Your own view with pyvis
#
# The project's views are also **pyvis** networks: `to_pyvis(G, view)` returns a
# `pyvis.network.Network` with the project's positions, colours, sizes, tooltips and page
# (search, legend, filters, side panel). Change it with pyvis's own API, then show it here or
# save it: the file opens offline (vis-network is inlined, nothing is fetched) and every text
# from the notice is shown as text, never run as HTML. The graph you pass in is not changed.
#
# Here: the co-responsibility network of **one section** of the notice (第一章 跨界基础设施),
# coloured by its own communities.

# %%
import copy
import tempfile
from pathlib import Path

import networkx as nx

from graph.extract.notice import extract_file
from graph.network.networks import agency_network, bipartite_network, load_corpus
from graph.rdf.build import build_graph
from graph.views import show, to_pyvis

# %%
corpus = load_corpus(build_graph([extract_file(None)]))
A = agency_network(corpus, section=1)  # agencies linked by the items of section 1 only
B = bipartite_network(corpus, section=1)  # those items, for the side panel and filters
before = copy.deepcopy((list(A.nodes(data=True)), list(A.edges(data=True))))
print(A.number_of_nodes(), "agencies,", A.number_of_edges(), "links in section 1")

# %% [markdown]
# ## Communities of this section, as pyvis node colours
#
# Louvain communities (networkx, fixed seed) of the section's network. A pyvis user sets
# `node["color"]` and `node["group"]`; the page turns them into its first colour choice, with
# the group names as its legend (the project's own colourings stay in the menu).

# %%
parts = nx.community.louvain_communities(A, weight="weight", seed=1)
parts = sorted((sorted(p) for p in parts), key=lambda p: (-len(p), p[0]))
community = {agency: i for i, part in enumerate(parts) for agency in part}
palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"]

net = to_pyvis(A, "agencies", bipartite=B, title="第一章 跨界基础设施 · 社区 communities")
for node in net.nodes:
    c = community[node["id"]]
    node["group"] = f"社区 {c + 1} community {c + 1}"
    node["color"] = palette[c % len(palette)] if len(parts[c]) > 1 else "#bab0ac"
net.set_edge_smooth("continuous")  # any pyvis option: curved edges
net.toggle_physics(False)  # keep the project's layout (True lets vis-network move the nodes)
print(repr(net))  # pyvis: the class, |N| nodes and |E| edges

# %% [markdown]
# Shown inline (the whole page inside the notebook, it needs no file), then saved with pyvis.

# %%
show(net, height=560)

# %%
OUT = Path(tempfile.mkdtemp(prefix="yuegang-notebook-"))  # a scratch folder, not the clone
out = OUT / "section-1-communities.html"
net.write_html(str(out))
print(f"files written to {OUT} ({out.name}, {out.stat().st_size / 1024:.0f} KB)")

# %%
page = out.read_text(encoding="utf-8")
assert "://" not in page and "bootstrap" not in page.lower()  # offline: nothing to fetch
assert {n["id"] for n in net.nodes} == set(A)  # every agency of the section is drawn
assert '"id":"pyvis"' in page and "社区 1 community 1" in page  # the community legend
assert (list(A.nodes(data=True)), list(A.edges(data=True))) == before  # A is unchanged
print(f"{len(parts)} communities among {len(A)} agencies; saved {out.name}")
