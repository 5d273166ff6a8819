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
# # 01 · Quick start: from the notice to a knowledge graph
#
# The Guangdong notice **粤府函〔2017〕38号** (*实施《粤港合作框架协议》2017年重点工作*, the 2017 key
# work under the Guangdong–Hong Kong Cooperation Framework Agreement) lists numbered work items
# (重点工作), each ending with the units responsible for it (责任单位) in brackets. This notebook
# answers a first question: **what is in the notice, and how do I ask the graph about it?**
#
# We extract the items, build the RDF graph, count what it holds, run the ready-made SPARQL
# queries into pandas DataFrames, and trace one item back to the characters of the source text
# it was read from (its provenance).

# %%
import re
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

from graph.extract.notice import bundled_notice_path, extract_file
from graph.extract.text import read_file
from graph.rdf.build import build_graph, write_graph
from graph.rdf.query import open_store, ready_made, run_query
from graph.rdf.validate import validate

pd.set_option("display.max_colwidth", 70)

# %% [markdown]
# ## 1. Extract the items
#
# `extract_file(None)` reads the bundled notice (pass a path for another one). It returns plain
# data: the document's metadata, its sections (一、… and sub-sections （一）…), and the items
# with their units expanded (公安厅 → 省公安厅), roles, places, themes and character spans.

# %%
notice = extract_file(None)
document = notice["document"]
items = notice["items"]
print(document["identifier"], "·", document["title"])
print(f"{len(notice['sections'])} sections, {len(items)} items, {len(notice['warnings'])} warnings")

sections = pd.DataFrame(
    [
        {
            "section": s["number"],
            "title": s["title"],
            "sub-sections": len(s["subsections"]),
            "items": sum(1 for it in items if it["section"] == s["number"]),
        }
        for s in notice["sections"]
    ]
)
sections

# %% [markdown]
# ## 2. Build the graph and check it
#
# `build_graph` turns the extraction into RDF with the project's ontology (`yg:WorkItem`,
# `yg:Agency`, `yg:responsibleAgency` …, see the README's vocabulary table); `write_graph` writes
# Turtle, JSON-LD and N-Triples (byte-identical for the same input); `validate` checks the graph
# against the SHACL shapes. `yuegang build` does all this (and the views, network exports and
# report) from the shell; `graph.pipeline.build_all(files, out_dir)` does the same from Python.

# %%
g = build_graph([notice])
OUT = Path(
    tempfile.mkdtemp(prefix="yuegang-notebook-")
)  # scratch folder: nothing lands in the clone
paths = write_graph(g, OUT / "yuegang-out")
print(f"files written to {OUT}")
conforms, shacl_report = validate(g)
print(f"{len(g)} triples; conforms to the SHACL shapes: {conforms}")
{kind: str(path) for kind, path in paths.items()}

# %% [markdown]
# ## 3. Count what is in it
#
# Queries run on the Turtle file through Oxigraph (`open_store`), read-only and with a time limit.
# `run_query(...).to_dataframe()` gives a pandas DataFrame.

# %%
store = open_store(paths["ttl"])
COUNT = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?class { yg:PolicyDocument yg:Section yg:WorkItem yg:Agency yg:Place skos:Concept }
  ?x a ?class .
} GROUP BY ?class ORDER BY ?class
"""
counts = run_query(COUNT, store).to_dataframe()
counts["class"] = counts["class"].str.replace("https://w3id.org/yuegang/ontology#", "yg:")
counts

# %%
LINKS = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
SELECT (COUNT(*) AS ?links) (COUNT(DISTINCT ?agency) AS ?agencies)
WHERE { ?item yg:responsibleAgency ?agency }
"""
links = run_query(LINKS, store).records()[0]
links

# %% [markdown]
# ## 4. The ready-made queries
#
# The package ships the questions researchers ask most as `.rq` files (`yuegang query --list`
# in the shell). Each runs by name; parameters are bound as values, never pasted into the text.

# %%
catalogue = pd.DataFrame(
    [
        {
            "name": q.name,
            "title": q.title,
            "parameters": ", ".join(f"{p.name}={p.default}" for p in q.params),
        }
        for q in ready_made()
    ]
)
catalogue

# %%
answers = {q.name: run_query(q.name, store).to_dataframe() for q in ready_made()}
per_agency = answers["items-per-agency"]
per_agency[["name", "name_en", "kind", "items"]].head(10)

# %% [markdown]
# Items under the Belt and Road theme (一带一路), narrower themes included:

# %%
answers["items-by-theme"][["number", "subject", "text"]]

# %% [markdown]
# The partners of 珠海市政府 (Zhuhai municipal government): the agencies sharing items with it.

# %%
run_query("agency-partners", store, params={"agency": "珠海市政府"}).to_dataframe()[
    ["name", "shared"]
]

# %% [markdown]
# ## 5. One item and its provenance
#
# Every item records where it comes from: the notice (`yg:inDocument`, with the file name and
# its SHA-256) and the character span of its text (`yg:textSelector`, a W3C Web Annotation
# `oa:TextPositionSelector`). Take item 8, the CEPA item of section 二 (现代服务业):

# %%
PROVENANCE = """
PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?text ?start ?end ?list ?source ?sha256 WHERE {
  ?item a yg:WorkItem ; yg:number 8 ; yg:text ?text ; yg:responsibilityText ?list ;
        yg:textSelector [ oa:start ?start ; oa:end ?end ] ; yg:inDocument ?doc .
  ?doc dcterms:source ?source ; yg:sha256 ?sha256 .
}
"""
item8 = run_query(PROVENANCE, store).records()[0]
item8

# %% [markdown]
# Reading the source file again and cutting out those characters gives the item's text back;
# the checksum proves it is the same file.

# %%
source = read_file(bundled_notice_path())
cut = source.text[item8["start"] : item8["end"]]
print(cut)
print("checksum matches:", source.sha256 == item8["sha256"])

# %% [markdown]
# ## What this notebook showed (checked)
#
# The checks below compare independent routes to the same answer, so a silent change of the
# extractor or the graph fails the notebook (and the test suite, which runs it).

# %%
# The notice numbers its items 1…N: N read straight from the raw text equals the items found,
# and the graph holds exactly those work items.
numbers_in_text = [int(n) for n in re.findall(r"^\s*(\d+)\s*[.．]", source.text, flags=re.M)]
assert len(items) == max(numbers_in_text) == len(set(numbers_in_text))
assert [it["number"] for it in items] == list(range(1, len(items) + 1))
n_items = int(counts.set_index("class").loc["yg:WorkItem", "n"])
assert n_items == len(items), (n_items, len(items))
assert sum(sections["items"]) == len(items)
assert conforms, shacl_report

# Every unit of every list became one yg:responsibleAgency link.
units = Counter(a["id"] for it in items for a in it["agencies"])
assert links["links"] == sum(units.values())
assert links["agencies"] == len(units) == len(per_agency)

# The busiest agencies of the ready-made query are the busiest in the extraction.
names = Counter(a["name"] for it in items for a in it["agencies"])
top = max(names.values())
assert set(per_agency.loc[per_agency["items"] == top, "name"]) == {
    n for n, c in names.items() if c == top
}
assert per_agency["items"].iloc[0] == top

# Provenance: the span cuts the item's text out of the checksummed source.
assert source.sha256 == item8["sha256"] == document["sha256"]
assert cut == item8["text"] == items[7]["text"]
print(
    f"{len(items)} items, {sum(units.values())} links to {len(units)} agencies; "
    f"busiest: {', '.join(sorted(n for n, c in names.items() if c == top))} ({top} items)"
)
