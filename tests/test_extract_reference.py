"""The extractor on the bundled 2017 notice agrees with the hand-made reference annotation.

The reference (tests/data/reference/yuegang-2017-annotations.json, provenance in
tests/data/README.md) was made by two annotators; these tests load it and compare, item by
item, with what the extractor reads from the text.
"""

from __future__ import annotations

import pytest


def _by_number(items: list[dict]) -> dict[int, dict]:
    return {item["number"]: item for item in items}


def test_every_item_is_found_in_order(notice, reference):
    assert [i["number"] for i in notice["items"]] == [i["number"] for i in reference["items"]]
    assert len(notice["items"]) == reference["stats"]["items"] == 77


def test_sections_and_subsections(notice, reference):
    got = [
        (s["number"], s["title"], [(x["number"], x["title"]) for x in s["subsections"]])
        for s in notice["sections"]
    ]
    want = [
        (s["number"], s["title"], [(x["number"], x["title"]) for x in s["subsections"]])
        for s in reference["sections"]
    ]
    assert got == want
    assert (
        sum(len(s["subsections"]) for s in notice["sections"]) == reference["stats"]["subsections"]
    )


def test_each_item_is_placed_in_its_section_and_subsection(notice, reference):
    got = {i["number"]: (i["section"], i["subsection"]) for i in notice["items"]}
    want = {i["number"]: (i["section"], i["subsection"]) for i in reference["items"]}
    assert got == want


def test_item_text_and_raw_list(notice, reference):
    got = _by_number(notice["items"])
    for ref in reference["items"]:
        item = got[ref["number"]]
        assert item["text"] == ref["text"], ref["number"]
        assert item["responsibility"] == ref["responsibility_raw"], ref["number"]


def test_units_in_printed_order(notice, reference):
    got = _by_number(notice["items"])
    for ref in reference["items"]:
        units = got[ref["number"]]["agencies"]
        assert [(u["name"], u["as_written"]) for u in units] == [
            (a["name"], a["as_written"]) for a in ref["agencies"]
        ], ref["number"]
        assert [u["position"] for u in units] == list(range(1, len(units) + 1))


def test_link_and_agency_counts(notice, reference):
    links = [(i["number"], u["name"]) for i in notice["items"] for u in i["agencies"]]
    assert len(links) == reference["stats"]["item_agency_links"] == 148
    assert len({name for _, name in links}) == reference["stats"]["distinct_agencies"] == 50
    several = sum(1 for i in notice["items"] if len(i["agencies"]) > 1)
    assert several == reference["stats"]["items_with_several_agencies"]


def test_every_unit_is_in_the_register_with_the_reference_facts(notice, reference):
    from graph.extract.register import load_register

    register = load_register()
    for ref in reference["agencies"]:
        agency = register.lookup(ref["name"])
        assert agency is not None, ref["name"]
        assert agency.kind == ref["kind"], ref["name"]
        assert agency.full_name in [ref["full"], *ref["full_alternatives"]], ref["name"]
    assert all(u["known"] for i in notice["items"] for u in i["agencies"])


def test_unmarked_lists_are_responsible(notice):
    roles = {u["role"] for i in notice["items"] for u in i["agencies"]}
    assert roles == {"responsible"}


def test_places_named_in_full(notice, reference):
    got = _by_number(notice["items"])
    for ref in reference["items"]:
        places = set(got[ref["number"]]["places"])
        assert set(ref["places"]) <= places, ref["number"]
        assert places <= set(ref["places"]) | set(ref["places_abbreviated"]), ref["number"]


def test_themes(notice, reference):
    got = _by_number(notice["items"])
    for ref in reference["items"]:
        themes = set(got[ref["number"]]["themes"])
        assert set(ref["themes"]) <= themes, ref["number"]
        assert themes <= set(ref["themes"]) | set(ref["themes_also_acceptable"]), ref["number"]


def test_target_years(notice, reference):
    got = {i["number"]: i["target_year"] for i in notice["items"]}
    assert got == {i["number"]: i["target_year"] for i in reference["items"]}


@pytest.mark.parametrize(
    "key", ["identifier", "title", "issuer", "recipients", "contact_unit", "cc", "annex_title"]
)
def test_document_metadata(notice, reference, key):
    assert notice["document"][key] == reference["document"][key]


def test_no_warnings_on_a_clean_notice(notice):
    assert notice["warnings"] == []
