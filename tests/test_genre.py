"""Notices of the genre the extractor has never seen (hand-written fixtures in
``tests/fixtures/notices``): other years, the Guangdong–Macao agreement, a State Council
部门分工 notice, a traditional-script web copy, a copy cut off mid-item, other encodings.

Each test checks what a researcher would check by reading the fixture: how many items and which
numbers, the sections, each list's units in printed order with their roles, what is flagged.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from graph.extract.notice import extract_bytes, extract_file

NOTICES = Path(__file__).resolve().parent / "fixtures" / "notices"


def extract(name: str) -> dict:
    return extract_file(NOTICES / name, keywords=False)


def units(item: dict) -> list[tuple[str, str]]:
    """(expanded name, role) of an item's units, in printed order."""
    return [(a["name"], a["role"]) for a in item["agencies"]]


def item(notice: dict, key: str) -> dict:
    return next(i for i in notice["items"] if i["key"] == key)


def messages(notice: dict) -> list[str]:
    return [w["message"] for w in notice["warnings"]]


# --- 2018 Guangdong–Hong Kong, （一） items restarting in every section --------------------------


@pytest.fixture(scope="module")
def paren_items() -> dict:
    return extract("yuegang-2018-paren-items.txt")


def test_paren_items_restart_per_section(paren_items):
    items = paren_items["items"]
    assert [(i["section"], i["number"]) for i in items] == [
        (1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (3, 3), (3, 4),
        (4, 1), (4, 2),
    ]  # fmt: skip
    assert [i["key"] for i in items][:4] == ["1.1", "1.2", "1.3", "2.1"]
    assert len({i["key"] for i in items}) == len(items)
    assert all(i["subsection"] is None for i in items)
    assert [s["title"] for s in paren_items["sections"]] == [
        "共建粤港澳大湾区", "跨界基础设施", "现代服务业", "民生与社会事务",
    ]  # fmt: skip
    # restarting numbers are the notice's style, not a fault
    assert not any("jump" in m or "repeats" in m for m in messages(paren_items))


def test_paren_items_metadata(paren_items):
    doc = paren_items["document"]
    assert doc["identifier"] == "粤府函〔2018〕77号"
    assert doc["issuer"] == "广东省人民政府"
    assert doc["date"] == "2018-05-08"
    assert doc["contact_unit"] == "省港澳办"
    assert doc["cc"] == ["省委各部委", "省人大常委会办公厅", "省政协办公厅"]


def test_paren_items_lists(paren_items):
    assert units(item(paren_items, "1.3")) == [
        ("团省委", "responsible"),
        ("省人力资源社会保障厅", "responsible"),
        ("广州市政府", "responsible"),
        ("深圳市政府", "responsible"),
        ("珠海市政府", "responsible"),
    ]
    assert [a["as_written"] for a in item(paren_items, "2.1")["agencies"]][:3] == [
        "省口岸办", "公安厅", "交通运输厅",
    ]  # fmt: skip
    assert [a["name"] for a in item(paren_items, "3.4")["agencies"]] == ["省旅游局", "省文化厅"]
    # the brackets of （一） and of the text's own 《…》 are not lists
    assert item(paren_items, "1.1")["responsibility"] == "（省发展改革委、港澳办）"
    assert item(paren_items, "1.1")["text"].startswith("配合国家有关部门编制")
    # 广东银监局 is a real unit of that time: known to the register
    assert all(a["known"] for i in paren_items["items"] for a in i["agencies"])


def test_paren_items_places_and_years(paren_items):
    assert item(paren_items, "1.3")["places"] == ["前海", "南沙", "横琴"]
    assert item(paren_items, "1.3")["target_year"] == 2018
    assert item(paren_items, "2.3")["target_year"] == 2019
    assert item(paren_items, "2.3")["places"] == ["莲塘", "香园围"]


# --- 2018 Guangdong–Macao, 1． items, 牵头/配合 ------------------------------------------------


@pytest.fixture(scope="module")
def macao() -> dict:
    return extract("yueao-2018-lead-support.txt")


def test_macao_items_and_sections(macao):
    assert [i["number"] for i in macao["items"]] == list(range(1, 12))
    assert [i["section"] for i in macao["items"]] == [1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    assert macao["document"]["identifier"] == "粤办函〔2018〕156号"
    assert macao["document"]["issuer"] == "广东省人民政府办公厅"
    assert macao["warnings"] == []


def test_macao_lead_and_support(macao):
    assert units(item(macao, "1")) == [
        ("省发展改革委", "lead"),
        ("省港澳办", "lead"),
        ("省旅游局", "support"),
    ]
    # an unmarked group in a list that names a lead supports
    assert units(item(macao, "2")) == [
        ("珠海市政府", "lead"),
        ("省发展改革委", "support"),
        ("省商务厅", "support"),
        ("省自贸办", "support"),
    ]
    assert units(item(macao, "4"))[1:] == [("省口岸办", "support"), ("省公安厅", "support")]
    # 牵头会同
    assert units(item(macao, "5")) == [
        ("省交通运输厅", "lead"),
        ("省发展改革委", "support"),
        ("广铁集团", "support"),
        ("珠海市政府", "support"),
    ]
    # labels 牵头单位：…；配合单位：…
    assert units(item(macao, "6")) == [
        ("省中医药局", "lead"),
        ("省食品药品监管局", "support"),
        ("省科技厅", "support"),
        ("珠海市政府", "support"),
    ]
    # trailing unit type over a place name inside a 配合 group
    assert units(item(macao, "11"))[2:] == [("中山市政府", "support"), ("珠海市政府", "support")]


def test_macao_units_outside_guangdong(macao):
    sar = item(macao, "8")["agencies"][2]
    assert (sar["name"], sar["role"], sar["id"], sar["known"]) == (
        "澳门特区政府",
        "support",
        "macao-sar-gov",
        True,
    )
    assert [a["id"] for a in item(macao, "3")["agencies"]] == [
        "gd-port-office", "zhuhai-gov", "gongbei-customs", "zhuhai-border-inspection",
    ]  # fmt: skip


# --- State Council 部门分工 notice ---------------------------------------------------------------


@pytest.fixture(scope="module")
def division() -> dict:
    return extract("sc-division-2018.txt")


def test_division_metadata(division):
    doc = division["document"]
    assert doc["identifier"] == "国办函〔2018〕62号"
    assert doc["issuer"] == "国务院办公厅"
    assert doc["recipients"] == ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"]
    assert [i["number"] for i in division["items"]] == list(range(1, 11))


def test_division_first_listed_leads(division):
    # preamble: 列在首位的为牵头单位
    assert units(item(division, "1")) == [
        ("发展改革委", "lead"),
        ("交通运输部", "support"),
        ("海关总署", "support"),
        ("港澳办", "support"),
    ]
    # the rule holds even when the list ends in 按职责分工负责
    assert units(item(division, "6"))[0] == ("人民银行", "lead")
    assert {r for _, r in units(item(division, "6"))[1:]} == {"support"}


def test_division_explicit_markers_and_tails(division):
    assert units(item(division, "2")) == [
        ("发展改革委", "lead"),
        ("商务部", "lead"),
        ("外交部", "support"),
        ("港澳办", "support"),
    ]
    assert [a["id"] for a in item(division, "2")["agencies"]] == [
        "ndrc", "mofcom", "mfa", "hkmao-sc",
    ]  # fmt: skip
    # 等有关部门 is a tail, not a unit
    assert [a["name"] for a in item(division, "5")["agencies"]] == [
        "科技部", "财政部", "人民银行", "外汇局",
    ]  # fmt: skip


def test_division_groups_and_unknown_units(division):
    assert [a["name"] for a in item(division, "10")["agencies"]] == ["各地区", "国务院各部门"]
    assert [a["name"] for a in item(division, "4")["agencies"]][-1] == "国务院有关部门"
    # a 〔…〕 list, with a unit the register does not know: kept, flagged, warned about
    three = item(division, "3")
    assert three["responsibility"].startswith("〔")
    assert [(a["name"], a["known"]) for a in three["agencies"]] == [
        ("民航局", True),
        ("中央军委联合参谋部", False),
        ("广东省人民政府", True),
    ]
    assert three["agencies"][1]["id"].startswith("unknown-")
    assert any("中央军委联合参谋部" in m for m in messages(division))


# --- traditional-script web copy ----------------------------------------------------------------


@pytest.fixture(scope="module")
def web_copy() -> dict:
    return extract("yuegang-2018-web-traditional.txt")


def test_web_copy_skips_portal_clutter(web_copy):
    doc = web_copy["document"]
    assert doc["script"] == "traditional"
    assert doc["identifier"] == "粤府函〔2018〕60号"  # the same identifier as a simplified copy
    assert doc["issuer"] == "廣東省人民政府"  # as written
    assert doc["title"].endswith("重點工作的通知")
    assert doc["date"] == "2018-03-15"  # the signature date, not the portal's 发布日期
    assert [i["number"] for i in web_copy["items"]] == list(range(1, 10))
    assert [s["title"] for s in web_copy["sections"]] == [
        "跨界基础设施",
        "现代服务业",
        "科技创新",
        "社会民生",
    ]
    assert [(s["number"], s["title"]) for s in web_copy["sections"][1]["subsections"]] == [
        (1, "金融合作"),
        (2, "旅游合作"),
    ]
    assert [i["subsection"] for i in web_copy["items"]] == [
        None,
        None,
        1,
        1,
        2,
        None,
        None,
        None,
        None,
    ]


def test_web_copy_units_in_simplified_names(web_copy):
    first = item(web_copy, "1")["agencies"]
    assert [a["name"] for a in first] == [
        "省发展改革委", "省公安厅", "省交通运输厅", "省口岸办", "珠海市政府", "海关广东分署",
    ]  # fmt: skip
    assert [a["as_written"] for a in first][1] == "公安廳"  # as written
    assert [a["name"] for a in item(web_copy, "8")["agencies"]] == [
        "省食安办", "广东出入境检验检疫局", "深圳出入境检验检疫局", "珠海出入境检验检疫局",
    ]  # fmt: skip
    assert all(a["known"] for i in web_copy["items"] for a in i["agencies"])


def test_web_copy_text_as_written_without_pinyin(web_copy):
    three = item(web_copy, "3")
    assert three["text"].endswith("推動深港通健康發展。")  # 發(fā)展 → 發展
    assert "(fā)" not in three["text"]
    assert three["themes"] == ["深港通"]
    assert item(web_copy, "7")["text"].endswith("促進科技成果轉化。")
    assert item(web_copy, "4")["places"] == ["前海", "南沙", "横琴"]
    assert item(web_copy, "4")["themes"] == ["CEPA"]


# --- cut off mid-item ---------------------------------------------------------------------------


def test_cut_off_copy_keeps_every_item_and_says_so():
    notice = extract("yueao-2018-cut.txt")
    assert [i["number"] for i in notice["items"]] == [1, 2, 3, 4, 5]
    last = notice["items"][-1]
    assert last["text"] == "推动广珠城际铁路延伸至横琴，加快澳门轻轨延伸段与"
    assert last["responsibility"] is None and last["agencies"] == []
    assert any("cut off in item 5" in w["message"] and w["line"] == 23 for w in notice["warnings"])


def test_cut_off_inside_a_list():
    data = (NOTICES / "yueao-2018-cut.txt").read_bytes()
    data = (
        data.split("5．".encode())[0]
        + "5．推动广珠城际铁路延伸至横琴。（省交通运输厅牵头，省发".encode()
    )
    notice = extract_bytes(data, "cut-in-list.txt", keywords=False)
    last = notice["items"][-1]
    assert last["number"] == 5
    assert last["agencies"][0]["name"] == "省交通运输厅"
    assert any("never closes" in m for m in messages(notice))
    assert any("cut off in item 5" in m for m in messages(notice))


# --- 2019, reform-era names, odd lists ----------------------------------------------------------


@pytest.fixture(scope="module")
def lists() -> dict:
    return extract("yuegang-2019-lists.txt")


def test_lists_deadline_groups(lists):
    one = item(lists, "1")
    assert one["deadline"] == "年内持续推进"
    assert [a["name"] for a in one["agencies"]] == ["省发展改革委", "省港澳办"]
    assert item(lists, "3")["deadline"] == "2019年底前完成"
    assert item(lists, "2")["deadline"] is None


def test_lists_conjunctions(lists):
    assert [a["name"] for a in item(lists, "2")["agencies"]] == [
        "省卫生健康委",
        "省中医药局",
        "深圳市政府",
    ]
    # 和 inside 文化和旅游厅 is part of the name; the second 和 joins two units
    assert [a["name"] for a in item(lists, "3")["agencies"]] == ["省文化和旅游厅", "广州市政府"]
    assert [a["name"] for a in item(lists, "5")["agencies"]] == ["省工业和信息化厅", "省商务厅"]


def test_lists_page_break_inside_a_list(lists):
    four = item(lists, "4")
    assert [a["name"] for a in four["agencies"]] == ["省生态环境厅", "省自然资源厅", "省气象局"]
    assert "\n" not in four["responsibility"]
    assert [i["number"] for i in lists["items"]] == list(range(1, 10))


def test_lists_reform_era_names_are_known(lists):
    ids = [a["id"] for i in lists["items"] for a in i["agencies"]]
    for expected in (
        "gd-health-commission",
        "gd-culture-tourism",
        "gd-ecology-environment",
        "gd-natural-resources",
        "gd-industry-it",
        "gd-market-regulation",
        "gd-local-finance",
        "cbirc-gd",
        "gd-tax",
    ):
        assert expected in ids
    seven = item(lists, "7")["agencies"]
    assert [(a["name"], a["as_written"]) for a in seven][1:] == [
        ("人行广州分行", "人民银行广州分行"),
        ("广东银保监局", "广东银保监局"),
        ("广东证监局", "证监局"),  # the parent prefix 广东 carries forwards
    ]
    assert [a["name"] for a in item(lists, "9")["agencies"]] == ["省商务厅", "有关地级以上市政府"]
    assert lists["warnings"] == []


# --- encodings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("gb18030", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
     ("utf-8", codecs.BOM_UTF8)],
)  # fmt: skip
def test_same_notice_in_other_encodings(macao, encoding, prefix):
    text = (NOTICES / "yueao-2018-lead-support.txt").read_text(encoding="utf-8")
    data = prefix + text.encode(encoding)
    notice = extract_bytes(data, f"macao.{encoding}.txt", keywords=False)
    assert notice["document"]["identifier"] == macao["document"]["identifier"]
    assert [(i["key"], i["text"], i["agencies"]) for i in notice["items"]] == [
        (i["key"], i["text"], i["agencies"]) for i in macao["items"]
    ]
    assert notice["document"]["sha256"] != macao["document"]["sha256"]  # of the bytes read


def test_gbk_copy_with_windows_line_ends(macao):
    text = (NOTICES / "yueao-2018-lead-support.txt").read_text(encoding="utf-8")
    notice = extract_bytes(text.replace("\n", "\r\n").encode("gbk"), "macao.gbk", keywords=False)
    assert [i["line"] for i in notice["items"]] == [i["line"] for i in macao["items"]]
    assert [i["responsibility"] for i in notice["items"]] == [
        i["responsibility"] for i in macao["items"]
    ]


# --- State Council 意见, 1. items restarting in every sub-section -------------------------------


def test_arabic_items_restarting_per_subsection():
    notice = extract("sc-opinion-restart.txt")
    items = notice["items"]
    assert [(i["section"], i["subsection"], i["number"]) for i in items] == [
        (1, 1, 1), (1, 1, 2), (1, 2, 1), (2, None, 1), (2, None, 2), (2, None, 3),
    ]  # fmt: skip
    assert [i["key"] for i in items] == ["1.1.1", "1.1.2", "1.2.1", "2.0.1", "2.0.2", "2.0.3"]
    assert notice["warnings"] == []  # restarts are the notice's style, every unit is known
    assert notice["document"]["identifier"] == "国发〔2018〕9号"
    assert notice["document"]["issuer"] == "国务院"
    # 和 joins two units; 按职责分工负责 after a lead supports
    assert units(items[0]) == [
        ("发展改革委", "lead"),
        ("港澳办", "lead"),
        ("国务院有关部门", "support"),
        ("广东省人民政府", "support"),
    ]
    assert [a["name"] for a in items[5]["agencies"]] == ["财政部", "税务总局", "人民银行"]
    assert items[4]["deadline"] == "2018年底前完成"
    assert [a["name"] for a in items[3]["agencies"]] == [
        "国务院办公厅", "市场监管总局", "各地区", "各有关部门",
    ]  # fmt: skip
