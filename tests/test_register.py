"""The agency register (``graph/extract/data/agencies.csv``): well-formed, complete for the 2017 notice,
stable ids, reform-era names linked, traditional and older names found."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from graph.extract.register import KINDS, load_register, read_register, unknown_id
from graph.extract.text import to_simplified

COLUMNS = ["id", "name", "full_name", "name_en", "kind", "parent", "city", "aliases", "source"]

# Ids IRIs already depend on (agency/{id}): the units of the 2017 notice must keep them.
IDS_OF_2017 = {
    "省港澳办": "gd-hmao",
    "省发展改革委": "gd-drc",
    "省公安厅": "gd-public-security",
    "珠海市政府": "zhuhai-gov",
    "人行广州分行": "pbc-guangzhou",
    "团省委": "gd-youth-league",
    "广铁集团": "guangzhou-railway",
    "省有关单位": "gd-relevant-units",
    "珠海出入境检验检疫局": "zhuhai-ciq",
}


def rows() -> list[dict[str, str]]:
    text = (resources.files("graph.extract.data") / "agencies.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_columns_kinds_ids_and_parents():
    data = rows()
    assert list(data[0]) == COLUMNS
    ids = [r["id"] for r in data]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert {r["kind"] for r in data} <= set(KINDS)
    assert all(r["parent"] in ids for r in data if r["parent"]), "parent must be a register id"
    assert all(r["name"] and r["full_name"] for r in data)


def test_no_name_or_alias_points_at_two_units():
    owner: dict[str, str] = {}
    for agency in load_register().agencies:
        for name in {agency.name, agency.full_name, *agency.aliases}:
            key = to_simplified(name)
            assert owner.setdefault(key, agency.id) == agency.id, (name, owner[key], agency.id)


def test_every_unit_of_the_2017_notice_is_known_with_its_id(reference):
    register = load_register()
    for name, agency_id in IDS_OF_2017.items():
        assert register.lookup(name).id == agency_id
    for item in reference["items"]:
        for unit in item["agencies"]:
            agency = register.lookup(unit["name"])
            assert agency is not None, unit["name"]
            assert agency.name == unit["name"]
            assert agency.kind == unit["kind"]


def test_full_names_agree_with_the_reference(reference):
    register = load_register()
    full = {u["name"]: u["full"] for i in reference["items"] for u in i["agencies"]}
    for name, full_name in full.items():
        agency = register.lookup(name)
        assert full_name in {agency.full_name, *agency.aliases}, name


def test_reform_successions_point_at_real_rows():
    register = load_register()
    pairs = {
        "省卫生计生委": "省卫生健康委",
        "省文化厅": "省文化和旅游厅",
        "省旅游局": "省文化和旅游厅",
        "省环境保护厅": "省生态环境厅",
        "省国土资源厅": "省自然资源厅",
        "省经济和信息化委": "省工业和信息化厅",
        "省工商局": "省市场监管局",
        "省质监局": "省市场监管局",
        "省金融办": "省地方金融监管局",
        "广东银监局": "广东银保监局",
    }
    for old, new in pairs.items():
        old_row, new_row = register.lookup(old), register.lookup(new)
        assert old_row.id != new_row.id  # separate rows: 2017 IRIs stay
        assert f"succeeded by {new_row.id}" in old_row.source
        assert old_row.id in new_row.source  # and back
    for agency in register.agencies:
        # every id a reform note names, written "id (short name)"
        for target in re.findall(r"\b([a-z][a-z0-9-]*) \(", agency.source):
            assert register.get(target) is not None, (agency.id, target)


@pytest.mark.parametrize(
    ("written", "agency_id"),
    [
        ("發展改革委", "ndrc"),
        ("國家發展和改革委員會", "ndrc"),
        ("省衞生健康委", "gd-health-commission"),
        ("人力資源社會保障部", "mohrss"),
        ("省人社厅", "gd-hrss"),
        ("省发改委", "gd-drc"),
        ("国务院港澳办", "hkmao-sc"),
        ("澳門特區政府", "macao-sar-gov"),
        ("国家税务总局广东省税务局", "gd-tax"),
        ("拱北海关", "gongbei-customs"),
    ],
)
def test_lookup_by_traditional_form_full_name_or_abbreviation(written, agency_id):
    assert load_register().lookup(written).id == agency_id


def test_traditional_aliases_are_listed_for_people_and_tools():
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    for agency in load_register().agencies:
        for name in (agency.name, agency.full_name):
            form = s2t.convert(name)
            assert form == name or form in agency.aliases, (agency.id, form)


def test_state_council_ministries_as_written_in_division_notices():
    register = load_register()
    for name in (
        "发展改革委 商务部 外交部 教育部 科技部 工业和信息化部 公安部 财政部 人力资源社会保障部 "
        "自然资源部 生态环境部 住房城乡建设部 交通运输部 文化和旅游部 卫生健康委 人民银行 海关总署 "
        "税务总局 市场监管总局 银保监会 证监会 港澳办 国台办"
    ).split():
        agency = register.lookup(name)
        assert agency is not None and agency.name == name, name
        assert agency.parent in ("state-council", "pbc", "")


def test_group_names_are_groups():
    register = load_register()
    for name in (
        "各地区",
        "各有关部门",
        "国务院有关部门",
        "国务院各部门",
        "省直有关单位",
        "省有关单位",
    ):
        assert register.lookup(name).kind == "group", name


def test_unknown_ids_are_stable_and_script_blind():
    assert unknown_id("省某某办") == unknown_id("省某某辦")
    assert unknown_id("省某某办").startswith("unknown-") and len(unknown_id("省某某办")) == 18


def test_a_users_own_register_with_a_bad_kind_is_refused(tmp_path):
    path = tmp_path / "agencies.csv"
    path.write_text(",".join(COLUMNS) + "\nx,某办,某办,,ministry,,,,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown agency kind 'ministry'"):
        read_register(path)
