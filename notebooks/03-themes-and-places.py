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
# # 03 · Themes and places: Belt and Road, CEPA, the free-trade-zone areas, the Greater Bay Area
#
# Cooperation notices tie their items to national programmes and named places. The questions:
# **which agencies carry the Belt and Road (一带一路), CEPA, the pilot free trade zone
# (自贸试验区, with its areas 前海, 南沙 and 横琴) and the Greater Bay Area (粤港澳大湾区), and
# which cities does the work touch?**
#
# Themes are SKOS concepts in the scheme `yg:Themes`, with `skos:broader` links (21世纪海上丝绸之路
# → 一带一路), so "items under a theme" includes its narrower themes. Places come from the
# project's gazetteer with coordinates and Wikidata links; 前海, 南沙 and 横琴 are zones inside
# 深圳, 广州 and 珠海 (`yg:locatedIn`).

# %%
from collections import Counter

import pandas as pd

from graph.extract.gazetteer import load_themes
from graph.extract.notice import extract_file
from graph.network.exports import edges_frame
from graph.network.networks import agency_network, load_corpus, place_network, theme_network
from graph.rdf.build import build_graph
from graph.rdf.query import QueryError, open_store, run_query

pd.set_option("display.max_colwidth", 60)

notice = extract_file(None)
g = build_graph([notice])
store = open_store(g)  # an Oxigraph store of the in-memory graph, for SPARQL
corpus = load_corpus(g)  # the same graph read once for the networks
T = theme_network(corpus)  # two-mode: agencies — themes (edge weight = the agency's items)
P = place_network(corpus)  # two-mode: agencies — places named in their items

# %% [markdown]
# ## 1. Which themes does the notice name?
#
# A theme's items include its narrower themes' items (one rule in the index page, the views,
# the queries and the report): 一带一路 counts item 20, tagged 21世纪海上丝绸之路.

# %%
theme_links = edges_frame(T)
themes = (
    theme_links.assign(item=theme_links["items"].str.split(";"))
    .explode("item")
    .groupby("target")
    .agg(agencies=("source", "nunique"), items=("item", "nunique"))
)
themes.insert(0, "English", [T.nodes[t]["label_en"] for t in themes.index])
themes.index = pd.Index([T.nodes[t]["name"] for t in themes.index], name="theme")
themes.sort_values(["items", "agencies"], ascending=False)

# %% [markdown]
# ## 2. Items under the four focus themes
#
# The ready-made query `items-by-theme` follows `dcterms:subject/skos:broader*`, so 一带一路 also
# finds the items filed under 21世纪海上丝绸之路.

# %%
FOCUS = ["一带一路", "CEPA", "自贸试验区", "粤港澳大湾区"]
by_theme = {
    theme: run_query("items-by-theme", store, params={"theme": theme}).to_dataframe()
    for theme in FOCUS
}
pd.DataFrame(
    {
        "items": {t: df["number"].nunique() for t, df in by_theme.items()},
        "item numbers": {
            t: ", ".join(map(str, sorted(set(df["number"])))) for t, df in by_theme.items()
        },
    }
)

# %% [markdown]
# Each row of `items-by-theme` also lists the item's units in printed order with their roles. A
# theme name that matches nothing is an error naming the closest matches, not an empty table:

# %%
by_theme["一带一路"][["number", "subject", "units"]].head()

# %%
try:
    run_query("items-by-theme", store, params={"theme": "Belt"})
except QueryError as error:
    print(error)

# %% [markdown]
# ## 3. Which agencies carry which theme?
#
# Rows: agencies; columns: the focus themes (narrower themes folded into their broader one);
# cells: the number of the agency's items under the theme.

# %%
name_to_node = {d["name"]: v for v, d in T.nodes(data=True) if v.startswith("theme:")}
broader = {t.name: t.broader for t in load_themes()}
ids = {t.id: t.name for t in load_themes()}


def focus_of(theme_name: str) -> str | None:
    """The focus theme *theme_name* falls under (itself or an ancestor), or None."""
    while theme_name and theme_name not in FOCUS:
        theme_name = ids.get(broader.get(theme_name, ""))
    return theme_name


carry = theme_links.assign(
    theme=[focus_of(T.nodes[t]["name"]) for t in theme_links["target"]],
    item=theme_links["items"].str.split(";"),
).dropna(subset=["theme"])
matrix = (
    carry.explode("item")
    .groupby(["source_name", "theme"])["item"]
    .nunique()
    .unstack(fill_value=0)
    .reindex(columns=[t for t in FOCUS if t in set(carry["theme"])])
)
matrix.assign(total=matrix.sum(axis=1)).sort_values("total", ascending=False).head(12)

# %% [markdown]
# Who works with whom on the Belt and Road: the co-responsibility network restricted to the
# items under 一带一路 (the `theme` filter includes narrower themes).

# %%
BR = agency_network(corpus, theme="一带一路")
pd.DataFrame(
    sorted(
        ((BR.nodes[u]["name"], BR.nodes[v]["name"], w) for u, v, w in BR.edges(data="weight")),
        key=lambda r: (-r[2], r[0], r[1]),
    ),
    columns=["agency", "partner", "shared items"],
).head(10)

# %% [markdown]
# ## 4. Places: the free-trade-zone areas and the cities
#
# `items-by-place` finds the items that name a place or a place inside it (横琴 is in 珠海), and
# the items assigned to that city's government (`reason` = `mentions` or `assigned`).

# %%
AREAS = ["前海", "南沙", "横琴"]
area_items = {
    area: run_query("items-by-place", store, params={"place": area}).to_dataframe()
    for area in AREAS
}
pd.concat(area_items.values())[["place", "number", "reason", "via", "text"]]

# %%
CITIES = ["深圳", "广州", "珠海"]
city_rows = []
for city in CITIES:
    df = run_query("items-by-place", store, params={"place": city}).to_dataframe()
    city_rows.append(
        {
            "city": city,
            "items naming it (or a place in it)": df.loc[
                df.reason == "mentions", "number"
            ].nunique(),
            "items assigned to its government": df.loc[df.reason == "assigned", "number"].nunique(),
            "items in all": df["number"].nunique(),
        }
    )
cities = pd.DataFrame(city_rows).set_index("city")
cities

# %% [markdown]
# Every place the notice names, with the agencies whose items name it (from the agency–place
# network). Hong Kong (香港) dominates: this is the Guangdong–Hong Kong agreement.

# %%
place_links = edges_frame(P)
places = (
    place_links.assign(item=place_links["items"].str.split(";"))
    .explode("item")
    .groupby("target")
    .agg(items=("item", "nunique"), agencies=("source", "nunique"))
)
places.insert(0, "English", [P.nodes[p]["label_en"] for p in places.index])
places.insert(1, "kind", [P.nodes[p]["kind"] for p in places.index])
places.insert(2, "lat", [P.nodes[p].get("lat") for p in places.index])
places.insert(3, "long", [P.nodes[p].get("long") for p in places.index])
places.index = pd.Index([P.nodes[p]["name"] for p in places.index], name="place")
places = places.sort_values(["items", "place"], ascending=[False, True])
places

# %% [markdown]
# ## What this notebook showed (checked)
#
# Every answer above is recomputed from the extraction (the items' `themes` and `places` lists)
# with the theme hierarchy of the bundled theme list, and must agree with the graph's.

# %%
items = notice["items"]
for theme in FOCUS:
    expected = {it["number"] for it in items if any(focus_of(t) == theme for t in it["themes"])}
    assert set(by_theme[theme]["number"]) == expected, theme
    # the agencies carrying the theme in the matrix are those of its items
    carriers = {a["name"] for it in items if it["number"] in expected for a in it["agencies"]}
    in_matrix = set(matrix.index[matrix[theme] > 0]) if theme in matrix else set()
    assert in_matrix == carriers, theme
# Section 1's table (from the network) and section 2's query count the same items per theme.
for theme in FOCUS:
    assert themes.loc[theme, "items"] == by_theme[theme]["number"].nunique(), theme
assert len(by_theme["一带一路"]) >= len(
    [it for it in items if "一带一路" in it["themes"]]
)  # narrower themes add items

# The Belt and Road network holds exactly the agencies of those items.
assert set(BR) == {
    a["id"]
    for it in items
    if it["number"] in set(by_theme["一带一路"]["number"])
    for a in it["agencies"]
}

# Free-trade-zone areas: the items naming each area are found by the query.
for area in AREAS:
    named = {it["number"] for it in items if area in it["places"]}
    assert named <= set(area_items[area]["number"]), area

# The most-named place is the one most items name in the extraction.
named_counts = Counter(p for it in items for p in it["places"])
assert places.index[0] == max(named_counts, key=named_counts.get)
assert places["items"].iloc[0] == max(named_counts.values())
print(
    "Belt and Road:",
    len(set(by_theme["一带一路"]["number"])),
    "items;",
    "most-named place:",
    places.index[0],
    f"({places['items'].iloc[0]} items)",
)
