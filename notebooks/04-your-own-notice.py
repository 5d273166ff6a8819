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
# # 04 · Your own notice: add a second notice, compare, proofread and correct
#
# The extractor reads any notice of the same genre (重点工作通知): a plain-text file (UTF-8,
# GB18030/GBK or UTF-16; a copy from a web page or a PDF is fine) with sections `一、…`,
# optional sub-sections `（一）…`, numbered items `1.` / `1．`, and a bracketed list of units at
# the end of each item, with or without role markers (`牵头`, `配合`, `参与`).
#
# `data/yueao-2018-sample.txt` is a **short hand-written sample of the genre** (a
# Guangdong–Macao list in the style of the 粤澳 notices; it is *not* a real government document):
# 9 items that name several units also responsible in 2017 and mark a lead (牵头) and supporting
# (配合) units. The questions: **which agencies appear in both notices, and how are the items
# spread over each notice's sections?**
#
# From the shell, the same in one command (the first file is the bundled 2017 notice):
#
# ```bash
# yuegang build graph/extract/data/yuegang-2017-key-work.txt notebooks/data/yueao-2018-sample.txt --out /tmp/both-out
# ```

# %%
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

from graph.extract.corrections import attention, corrections_template
from graph.extract.notice import extract_file
from graph.network.networks import agency_network, load_corpus
from graph.pipeline import build_all
from graph.rdf.build import build_graph, write_graph
from graph.rdf.query import open_store, run_query
from graph.rdf.validate import validate

pd.set_option("display.max_colwidth", 60)
SAMPLE = Path("data") / "yueao-2018-sample.txt"  # relative to this notebook's folder
print("\n".join(SAMPLE.read_text(encoding="utf-8").splitlines()[10:15]))

# %% [markdown]
# ## 1. Extract the new notice
#
# Check the warnings first: they name the line of anything the extractor could not read
# (an unclosed bracket, a unit the agency register does not know, a jump in the numbering).

# %%
old = extract_file(None)  # the bundled 2017 notice
new = extract_file(SAMPLE)
print(new["document"]["identifier"], "·", new["document"]["title"])
print("warnings:", new["warnings"] or "none")
units = pd.DataFrame(
    [
        {"item": it["number"], "section": it["section"], "agency": a["name"], "as written": a["as_written"],
         "role": a["role"], "known to the register": a["known"]}
        for it in new["items"]
        for a in it["agencies"]
    ]
)  # fmt: skip
units.head(12)

# %% [markdown]
# A unit the register does not know is kept with `known = False` and an id `unknown-…`; to
# add it, append a row to `graph/extract/data/agencies.csv` (id, short and full name, English name,
# kind, parent) and rebuild.
#
# ## 2. One graph from both notices
#
# `build_graph` takes a list of extractions. Agencies are shared across notices (same register
# id → same IRI), so a query can follow one agency through both.

# %%
g = build_graph([old, new])
conforms, _ = validate(g)
OUT = Path(
    tempfile.mkdtemp(prefix="yuegang-notebook-")
)  # scratch folder: nothing lands in the clone
paths = write_graph(g, OUT / "both-out")
print(f"files written to {OUT}")
store = open_store(paths["ttl"])
print(f"{len(g)} triples, conforms: {conforms}")

# %% [markdown]
# ## 3. Agencies in both notices
#
# The ready-made query `agencies-in-several-notices` answers it directly:

# %%
both = run_query("agencies-in-several-notices", store).to_dataframe()
both[["name", "notices", "items"]]

# %% [markdown]
# ## 4. Items per section, per notice

# %%
PER_SECTION = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?document ?section ?title (COUNT(?item) AS ?items) WHERE {
  ?item a yg:WorkItem ; yg:inSection ?s .
  ?s yg:number ?section ; dcterms:title ?title ; yg:inDocument/rdfs:label ?document .
} GROUP BY ?document ?section ?title ORDER BY ?document ?section
"""
per_section = run_query(PER_SECTION, store).to_dataframe()
per_section.pivot_table(index="section", columns="document", values="items", fill_value=0)

# %% [markdown]
# The roles differ: the 2017 notice marks no lead unit, the sample marks one per item.

# %%
ROLES = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?document ?role (COUNT(*) AS ?assignments) WHERE {
  ?item yg:assignment ?a ; yg:inDocument/rdfs:label ?document .
  ?a yg:role/skos:notation ?role .
} GROUP BY ?document ?role ORDER BY ?document ?role
"""
roles = run_query(ROLES, store).to_dataframe()
roles.pivot_table(index="role", columns="document", values="assignments", fill_value=0)

# %% [markdown]
# ## 5. The network of both notices, and of each
#
# The network builders take a `document` filter (identifier or slug). Item labels become
# `{notice}/{number}` when the graph holds several notices.

# %%
corpus = load_corpus(g)
networks = {
    "both": agency_network(corpus),
    old["document"]["identifier"]: agency_network(corpus, document=old["document"]["identifier"]),
    new["document"]["identifier"]: agency_network(corpus, document=new["document"]["identifier"]),
}
pd.DataFrame(
    {
        name: {"agencies": G.number_of_nodes(), "links": G.number_of_edges()}
        for name, G in networks.items()
    }
).T

# %% [markdown]
# ## 6. Proofread, correct one item, rebuild, see what changed
#
# Even a good extractor misreads a list now and then. `yuegang build` writes a proofreading page
# per notice, `proof/<document slug>.html`, linked from `index.html`: the notice's text with each
# item's number, text and list marked, the units as read and as expanded beside each item, and the
# items that need attention flagged (no list, an unknown unit, a number that jumps or repeats, a
# list cut off, a tail or deadline read from the list), with a filter to show only those.
#
# `data/proof-sample.txt` is another short hand-written sample (not a real notice) with two such
# problems: item 2's list is cut off at a page break, and item 4 names a unit the register does
# not know. From the shell:
#
# ```bash
# yuegang build notebooks/data/proof-sample.txt --out proof-out     # then open proof-out/proof/…html
# yuegang extract notebooks/data/proof-sample.txt --format corrections -o corrections.csv
# # edit corrections.csv: keep the rows to correct, write each list as it should read
# yuegang build notebooks/data/proof-sample.txt --corrections corrections.csv --out proof-out
# ```

# %%
PROOF = Path("data") / "proof-sample.txt"
before = build_all([PROOF], OUT / "proof-out" / "before", report=False, networks=False)
page = next(path for key, path in before.files.items() if key.startswith("proof:"))
print("proofreading page:", page)
draft = extract_file(PROOF, keywords=False)
print("items needing attention:", attention(draft))
print(corrections_template([draft]))  # what `yuegang extract --format corrections` writes

# %% [markdown]
# Item 2's list breaks off after `港澳办`, which alone reads as the State Council's office: the
# original shows `（省商务厅牵头，省港澳办配合）`. The corrections file keeps that fix apart from
# the notice, with a note; it uses the notice's identifier (or its file name) and the item key.

# %%
fix = OUT / "proof-out" / "corrections.csv"
fix.write_text(
    "document,item,list,note\n"
    "粤办函〔2019〕901号,2,（省商务厅牵头，省港澳办配合）,列表在换页处断开，按原件补全\n",
    encoding="utf-8",
)
after = build_all(
    [PROOF], OUT / "proof-out" / "after", report=False, networks=False, corrections=fix
)
print("conforms:", after.conforms)

# %% [markdown]
# The graph records each corrected assignment as `prov:wasGeneratedBy` a `yg:Correction` that
# keeps the corrected list, the note, the units first read and the CSV line, so a query tells
# corrected from extracted facts:

# %%
CHANGED = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?position ?agency ?role ?note ?was WHERE {
  ?i yg:correctedBy ?c ; yg:key ?item ; yg:assignment ?a .
  ?a prov:wasGeneratedBy ?c ; yg:position ?position ; yg:role/skos:notation ?role ;
     yg:agency/skos:prefLabel ?agency FILTER(lang(?agency) = "zh")
  ?c yg:correctionNote ?note ; yg:extractedUnits ?was .
} ORDER BY ?item ?position
"""
after_store = open_store(after.files["turtle"])
changed = run_query(CHANGED, after_store).to_dataframe()
changed

# %% [markdown]
# Every other item reads as before: compare the units of each item in the two builds.

# %%
UNITS = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?item ?agency ?role WHERE {
  ?i yg:key ?item ; yg:assignment ?a .
  ?a yg:role/skos:notation ?role ; yg:agency/skos:prefLabel ?agency FILTER(lang(?agency) = "zh")
}
"""


def units_by_item(store) -> dict:
    table = run_query(UNITS, store).to_dataframe()
    return {k: sorted(zip(g["agency"], g["role"], strict=True)) for k, g in table.groupby("item")}


was, now = units_by_item(open_store(before.files["turtle"])), units_by_item(after_store)
diff = {
    k: {"before": was.get(k), "after": now.get(k)}
    for k in sorted(was | now)
    if was.get(k) != now.get(k)
}
pd.DataFrame(diff).T

# %% [markdown]
# ## What this notebook showed (checked)

# %%
# Agencies in both notices: the query equals the intersection of the two extractions.
ids_old = {a["id"] for it in old["items"] for a in it["agencies"]}
ids_new = {a["id"] for it in new["items"] for a in it["agencies"]}
shared = ids_old & ids_new
assert {iri.rsplit("/", 1)[1] for iri in both["agency"]} == shared
assert len(shared) > 0 and (both["notices"] == 2).all()
items_of = Counter(
    a["id"]
    for e in (old, new)
    for it in e["items"]
    for a in {x["id"]: x for x in it["agencies"]}.values()
)
assert all(
    items_of[iri.rsplit("/", 1)[1]] == n
    for iri, n in zip(both["agency"], both["items"], strict=True)
)

# Items per section per notice: the graph's counts are the extractions'.
expected = Counter(
    (e["document"]["identifier"], it["section"]) for e in (old, new) for it in e["items"]
)
got = {(r.document, r.section): r.items for r in per_section.itertuples()}
assert got == dict(expected)
assert per_section["items"].sum() == len(old["items"]) + len(new["items"])

# Roles: lead assignments of the sample equal its lead units; the 2017 notice has none.
leads = Counter(a["role"] for it in new["items"] for a in it["agencies"])["lead"]
role_table = roles.set_index(["document", "role"])["assignments"]
assert role_table.get((new["document"]["identifier"], "lead"), 0) == leads > 0
assert role_table.get((old["document"]["identifier"], "lead"), 0) == 0

# The combined network holds the agencies of both notices; each filter holds its own.
assert set(networks["both"]) == ids_old | ids_new
assert set(networks[new["document"]["identifier"]]) == ids_new
assert conforms

# Proofreading: the sample flags exactly its cut list and its unknown unit; the correction
# changes item 2 alone, to the two units written, and the graph marks them as corrected.
assert attention(draft) == {"2": ["list-cut"], "4": ["unknown-unit"]}
assert list(diff) == ["2"] and after.conforms
assert not any("corrections.csv" in w for w in after.warnings)  # the fix changes something
assert diff["2"]["after"] == [("省商务厅", "lead"), ("省港澳办", "support")]
assert list(zip(changed["agency"], changed["role"], strict=True)) == [
    ("省商务厅", "lead"),
    ("省港澳办", "support"),
]
assert set(changed["item"]) == {"2"} and changed["was"][0] == "省商务厅、港澳办"
assert page.name == "yuebanhan-2019-901.html" and page.is_file()
print(f"{len(shared)} agencies in both notices; {len(new['items'])} new items, {leads} lead units")
