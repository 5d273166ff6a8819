"""Responsibility lists, rule by rule, on small hand-written lists (``graph.extract.responsibility``)."""

from __future__ import annotations

import pytest

from graph.extract.register import load_register
from graph.extract.responsibility import parse_list


def names(written: str, **kwargs) -> list[str]:
    return [u.name for u in parse_list(written, **kwargs).units]


def roles(written: str, **kwargs) -> list[tuple[str, str]]:
    return [(u.name, u.role) for u in parse_list(written, **kwargs).units]


# --- splitting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "（省科技厅、教育厅，广州市政府）",
        "(省科技厅、教育厅,广州市政府)",
        "〔省科技厅、教育厅；广州市政府〕",
    ],
)
def test_groups_and_names_split_whatever_the_brackets_and_width(written):
    assert names(written) == ["省科技厅", "省教育厅", "广州市政府"]


def test_positions_follow_printed_order():
    units = parse_list("（团省委，省人力资源社会保障厅、教育厅，深圳市政府）").units
    assert [(u.position, u.name) for u in units] == [
        (1, "团省委"),
        (2, "省人力资源社会保障厅"),
        (3, "省教育厅"),
        (4, "深圳市政府"),
    ]


def test_and_joins_whole_units():
    assert names("（省卫生健康委及省中医药局）") == ["省卫生健康委", "省中医药局"]
    assert names("（省科技厅和教育厅）") == ["省科技厅", "省教育厅"]
    assert names("（省商务厅以及省港澳办）") == ["省商务厅", "省港澳办"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("（省经济和信息化委、商务厅）", ["省经济和信息化委", "省商务厅"]),
        ("（省文化和旅游厅和广州市政府）", ["省文化和旅游厅", "广州市政府"]),
        ("（省海洋渔业厅）", ["省海洋渔业厅"]),
        ("（住房城乡建设部、工业和信息化部）", ["住房城乡建设部", "工业和信息化部"]),
    ],
)
def test_and_inside_a_name_does_not_split(written, expected):
    assert names(written) == expected


# --- expansion ----------------------------------------------------------------------------------


def test_leading_province_applies_forwards_within_its_group():
    units = parse_list("（省发展改革委、公安厅、交通运输厅、口岸办）").units
    assert [u.name for u in units] == ["省发展改革委", "省公安厅", "省交通运输厅", "省口岸办"]
    assert [u.as_written for u in units] == ["省发展改革委", "公安厅", "交通运输厅", "口岸办"]
    assert all(u.known for u in units)


def test_leading_province_stops_at_the_group_end():
    # 港澳办 in a group of its own is the State Council's office, not the province's
    assert [u.id for u in parse_list("（省商务厅、港澳办）").units] == ["gd-commerce", "gd-hmao"]
    assert [u.id for u in parse_list("（商务部、港澳办）").units] == ["mofcom", "hkmao-sc"]


def test_party_committee_prefix_applies_forwards():
    assert names("（省委宣传部、统战部）") == ["省委宣传部", "省委统战部"]


def test_parent_prefix_from_the_register_applies_forwards():
    assert names("（工商总局商标审查协作广州中心、商标局驻广州办事处）") == [
        "工商总局商标审查协作广州中心",
        "工商总局商标局驻广州办事处",
    ]
    assert names("（广东银保监局、证监局）") == ["广东银保监局", "广东证监局"]


def test_trailing_unit_type_applies_backwards_over_places():
    units = parse_list("（广州、深圳、珠海市政府）").units
    assert [u.name for u in units] == ["广州市政府", "深圳市政府", "珠海市政府"]
    assert [u.as_written for u in units] == ["广州", "深圳", "珠海市政府"]
    assert names("（广东、深圳、珠海出入境检验检疫局）") == [
        "广东出入境检验检疫局",
        "深圳出入境检验检疫局",
        "珠海出入境检验检疫局",
    ]


def test_backwards_rule_needs_a_place():
    # 各地区 is a group, not a place waiting for 国务院各部门's unit type
    assert names("（各地区、国务院各部门）") == ["各地区", "国务院各部门"]


@pytest.mark.parametrize(
    "name", ["团省委", "人行广州分行", "广铁集团", "深圳海关", "民航中南管理局"]
)
def test_stand_alone_names_take_no_prefix(name):
    assert names(f"（省发展改革委、{name}）") == ["省发展改革委", name]


# --- roles --------------------------------------------------------------------------------------


def test_unmarked_list_is_responsible():
    assert {r for _, r in roles("（省科技厅，深圳市政府）")} == {"responsible"}


def test_lead_marker_and_unmarked_rest_support():
    assert roles("（省商务厅牵头，省港澳办，广州市政府）") == [
        ("省商务厅", "lead"),
        ("省港澳办", "support"),
        ("广州市政府", "support"),
    ]


@pytest.mark.parametrize("marker", ["配合", "参与", "按职责分工负责"])
def test_support_markers(marker):
    assert roles(f"（省商务厅牵头，省港澳办、财政厅{marker}）") == [
        ("省商务厅", "lead"),
        ("省港澳办", "support"),
        ("省财政厅", "support"),
    ]


def test_responsible_per_remit_without_a_lead():
    # issue 10 point 5: with no lead, 按职责分工负责 units are responsible, not support
    assert roles("（人民银行、证监会按职责分工负责）") == [
        ("人民银行", "responsible"),
        ("证监会", "responsible"),
    ]
    assert roles("（省商务厅牵头，人民银行、证监会按职责分工负责）") == [
        ("省商务厅", "lead"),
        ("人民银行", "support"),
        ("证监会", "support"),
    ]


def test_lead_together_with():
    assert roles("（省交通运输厅会同省发展改革委、广铁集团）") == [
        ("省交通运输厅", "lead"),
        ("省发展改革委", "support"),
        ("广铁集团", "support"),
    ]
    assert roles("（省港澳办牵头会同省有关单位）") == [
        ("省港澳办", "lead"),
        ("省有关单位", "support"),
    ]


def test_labels():
    assert roles("（牵头单位：省中医药局；配合单位：省科技厅，珠海市政府）") == [
        ("省中医药局", "lead"),
        ("省科技厅", "support"),
        ("珠海市政府", "support"),
    ]


def test_first_listed_leads_when_the_preamble_says_so():
    assert roles("（商务部、发展改革委、外交部）", first_is_lead=True) == [
        ("商务部", "lead"),
        ("发展改革委", "support"),
        ("外交部", "support"),
    ]
    assert roles("（人民银行、外汇局按职责分工负责）", first_is_lead=True)[0] == (
        "人民银行",
        "lead",
    )
    # an explicit 牵头 outranks the preamble's rule
    assert roles("（外交部，商务部牵头）", first_is_lead=True) == [
        ("外交部", "support"),
        ("商务部", "lead"),
    ]


# --- groups, tails and deadlines ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("group", "group_id"),
    [
        ("省有关单位", "gd-relevant-units"),
        ("各地级以上市人民政府", "gd-prefecture-govs"),
        ("国务院各部门", "sc-departments"),
        ("国务院有关部门", "sc-relevant-departments"),
        ("各地区", "all-regions"),
        ("省直有关单位", "gd-relevant-units"),
    ],
)
def test_group_names_are_units(group, group_id):
    units = parse_list(f"（省港澳办，{group}）").units
    assert [(u.name, u.id, u.known) for u in units][1] == (
        load_register().get(group_id).name,
        group_id,
        True,
    )
    assert load_register().get(group_id).kind == "group"


@pytest.mark.parametrize("tail", ["等", "等有关部门", "等相关单位"])
def test_etc_tails_are_dropped(tail):
    parsed = parse_list(f"（科技部、财政部{tail}）")
    assert [u.name for u in parsed.units] == ["科技部", "财政部"]
    assert parsed.dropped == [tail]


def test_etc_tail_before_a_marker():
    assert roles("（发展改革委、商务部牵头，外交部、港澳办等按职责分工负责）") == [
        ("发展改革委", "lead"),
        ("商务部", "lead"),
        ("外交部", "support"),
        ("港澳办", "support"),
    ]


@pytest.mark.parametrize("deadline", ["年内持续推进", "2018年底前完成", "长期坚持"])
def test_deadline_groups_are_not_units(deadline):
    parsed = parse_list(f"（省发展改革委、港澳办，{deadline}）")
    assert [u.name for u in parsed.units] == ["省发展改革委", "省港澳办"]
    assert parsed.deadline == deadline


# --- unknown units ------------------------------------------------------------------------------


def test_unknown_units_are_kept_and_flagged():
    units = parse_list("（省港澳办、某某办，中央军委联合参谋部）").units
    assert [(u.name, u.known) for u in units] == [
        ("省港澳办", True),
        ("省某某办", False),
        ("中央军委联合参谋部", False),
    ]
    assert units[1].id.startswith("unknown-") and len(units[1].id) == len("unknown-") + 10
    # the same unknown name always gets the same id
    assert parse_list("（省某某办）").units[0].id == units[1].id


def test_traditional_list_gives_simplified_names():
    units = parse_list("(省商務廳、港澳辦,廣州、深圳市政府)").units
    assert [u.name for u in units] == ["省商务厅", "省港澳办", "广州市政府", "深圳市政府"]
    assert [u.as_written for u in units] == ["省商務廳", "港澳辦", "廣州", "深圳市政府"]


@pytest.mark.parametrize(
    ("written", "units", "deadline"),
    [
        ("（省商务厅2024年底前完成）", ["省商务厅"], "2024年底前完成"),
        ("（省商务厅、财政厅持续推进）", ["省商务厅", "省财政厅"], "持续推进"),
        ("（省发展改革委，2018年底前完成）", ["省发展改革委"], "2018年底前完成"),
    ],
)
def test_a_time_phrase_after_the_units_is_the_deadline_never_a_unit(written, units, deadline):
    parsed = parse_list(written)
    assert [u.name for u in parsed.units] == units
    assert parsed.deadline == deadline


def test_counted_etc_tail():
    parsed = parse_list("（省发展改革委等10个部门）")
    assert [u.name for u in parsed.units] == ["省发展改革委"]
    assert parsed.dropped == ["等10个部门"]


@pytest.mark.parametrize(
    "note",
    ["列第一位为牵头或汇总单位，下同", "排名第一的为牵头单位，下同", "列在首位的为牵头部门"],
)
def test_a_first_is_lead_rule_written_inside_a_list(note):
    parsed = parse_list(f"（省商务厅、省财政厅（{note}））")
    assert [(u.name, u.role) for u in parsed.units] == [
        ("省商务厅", "lead"),
        ("省财政厅", "support"),
    ]
    assert parsed.first_is_lead_rule and parsed.notes


def test_peoples_government_and_government_are_one_unit_even_unknown():
    units = parse_list("（某某市人民政府、某某区政府，广州市人民政府）").units
    assert [u.name for u in units] == ["某某市政府", "某某区政府", "广州市政府"]
    assert units[0].id == parse_list("（某某市政府）").units[0].id
    assert units[0].as_written == "某某市人民政府"
