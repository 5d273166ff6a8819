"""Tables written as CSV without pandas: the same text as pandas' ``to_csv``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.network.csv_table import csv_text


def by_pandas(columns, rows) -> str:
    return pd.DataFrame(rows, columns=columns).to_csv(index=False, lineterminator="\n")


VALUES = st.one_of(
    st.none(),
    st.just(float("nan")),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.floats(min_value=-1e-3, max_value=1e-3),
    st.text(alphabet=st.sampled_from('a,"\n\r 省单位0.1-'), max_size=6),
    st.builds(np.float64, st.floats(allow_nan=False, width=64)),
    st.builds(np.int64, st.integers(-(2**40), 2**40)),
)
#: columns of one kind each, as the measures and edge tables have them
KINDS = [
    st.one_of(st.none(), st.floats(allow_nan=False)),
    st.one_of(st.none(), st.integers(-9, 9)),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), st.text(max_size=5)),
    st.integers(0, 10**6),
]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(st.lists(VALUES, min_size=n, max_size=n), max_size=6)
    )
)
def test_any_table_as_pandas_writes_it(rows):
    width = len(rows[0]) if rows else 2
    columns = [f"c{j}" for j in range(width)]
    text = csv_text(columns, rows)
    if text is not None:  # None: left to pandas
        assert text == by_pandas(columns, rows)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(*KINDS), max_size=8))
def test_typed_columns_written_without_pandas(rows):
    columns = ["float", "int", "bool", "text", "count"]
    text = csv_text(columns, [list(r) for r in rows])
    assert text is not None
    assert text == by_pandas(columns, [list(r) for r in rows])


def test_missing_values_and_integers_with_gaps():
    rows = [["a", 1, True, 0.5], ["b", None, None, math.nan]]
    assert csv_text(["id", "n", "flag", "x"], rows) == "id,n,flag,x\na,1.0,True,0.5\nb,,,\n"


def test_other_values_left_to_pandas():
    assert csv_text(["when"], [[pd.Timestamp("2017-01-01")]]) is None
    assert csv_text(["flag"], [[np.bool_(True)]]) is None


@pytest.mark.parametrize("kind", ["agencies", "measures"])
def test_bundled_notice_tables_as_pandas_writes_them(notice, kind):
    from graph.network.exports import edges_frame
    from graph.network.measures import measures_table, with_measures
    from graph.network.networks import agency_network, load_corpus
    from graph.rdf.build import build_graph

    G = with_measures(agency_network(load_corpus(build_graph([notice]))))
    frame = edges_frame(G) if kind == "agencies" else measures_table(G)
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    assert csv_text(list(frame.columns), rows) == frame.to_csv(index=False, lineterminator="\n")
