"""The gazetteer (``graph/extract/data/places.csv``) and the theme list: well-formed data, places an
item names in full, provinces kept for list expansion only."""

from __future__ import annotations

import re

import pytest

from graph.extract.gazetteer import (
    ITEM_PLACE_KINDS,
    administrative_names,
    find_places,
    find_themes,
    load_places,
    load_themes,
    place_by_name,
    theme_by_name,
)

PLACE_KINDS = {"city", "sar", "zone", "district", "other", "province"}


def test_places_are_well_formed():
    places = load_places()
    ids = [p.id for p in places]
    assert len(ids) == len(set(ids))
    assert {p.kind for p in places} <= PLACE_KINDS
    assert all(p.parent in ids for p in places if p.parent)
    for p in places:
        assert p.lat is not None and -90 <= p.lat <= 90
        assert p.long is not None and -180 <= p.long <= 180
    # the Pearl River Delta and its neighbours, not a typo'd coordinate on another continent
    assert all(18 <= p.lat <= 41 and 100 <= p.long <= 120 for p in places)


def test_wikidata_ids_are_well_formed_and_distinct():
    qids = [p.wikidata for p in load_places() if p.wikidata]
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in qids)
    assert len(qids) == len(set(qids))
    assert place_by_name("香港").wikidata == "Q8646"
    assert place_by_name("澳门").wikidata == "Q14773"
    assert place_by_name("广东").wikidata == "Q15175"


def test_every_guangdong_prefecture_city_is_there():
    cities = {p.name for p in load_places() if p.kind == "city" and p.parent == "guangdong"}
    assert len(cities) == 21
    assert {"广州", "深圳", "珠海", "佛山", "江门", "中山", "东莞", "惠州", "肇庆"} <= cities


def test_provinces_expand_lists_but_are_not_reported():
    assert place_by_name("广东省").kind == "province"
    assert "广东" in administrative_names()
    assert [p.name for p in find_places("支持广东与香港合作")] == ["香港"]
    assert {p.kind for p in find_places("广东、福建、广西、海南与港澳")} <= ITEM_PLACE_KINDS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("探索推动实现香港游艇在广州南沙通行", ["香港", "广州", "南沙"]),
        ("落马洲河套地区", ["河套"]),
        ("推進蓮塘/香園圍口岸建設", ["莲塘", "香园围"]),  # traditional script
        ("在前海、南沙、横琴开展试点", ["前海", "南沙", "横琴"]),
        ("澳門特別行政區", ["澳门"]),
        ("珠三角地区和大珠三角地区", []),  # regions are not places here
    ],
)
def test_places_named_in_full(text, expected):
    assert [p.name for p in find_places(text)] == expected


def test_themes_are_a_tree_with_aliases():
    themes = load_themes()
    ids = {t.id for t in themes}
    assert all(t.broader in ids for t in themes if t.broader)
    assert theme_by_name("海上丝路").name == "21世纪海上丝绸之路"
    assert theme_by_name("21世纪海上丝绸之路").broader == "belt-and-road"
    assert [t.name for t in find_themes("推進粵港澳大灣區建設和一帶一路")] == [
        "粤港澳大湾区",
        "一带一路",
    ]
