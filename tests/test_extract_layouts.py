"""Layouts real notices use beyond bracketed lists: label lines, several lists in one paragraph,
flattened task tables, mixed numbering (issue 10). Each fixture is small and hand-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.extract.notice import extract_file, extract_text

NOTICES = Path(__file__).resolve().parent / "fixtures" / "notices"


def read(name: str) -> dict:
    return extract_file(NOTICES / name, keywords=False)


def units(item: dict) -> list[tuple[str, str]]:
    return [(a["name"], a["role"]) for a in item["agencies"]]


def check_lists(path: Path, notice: dict) -> None:
    source = path.read_text(encoding="utf-8")
    for item in notice["items"]:
        for lst in item["lists"]:
            start, end = lst["span"]
            assert source[start:end] == lst["raw"]
        for agency in item["agencies"]:
            assert 0 <= agency["list"] < len(item["lists"])


# --- lists outside brackets ----------------------------------------------------------------------


def test_label_lines_after_the_item():
    notice = read("labels-outside-brackets.txt")
    check_lists(NOTICES / "labels-outside-brackets.txt", notice)
    items = {i["key"]: i for i in notice["items"]}
    assert [i["key"] for i in notice["items"]] == ["1", "2", "3", "4", "5", "6"]
    # 部门分工：X牵头，Y、Z配合。 ; the 分管市领导 line is a person, neither text nor unit
    assert units(items["1"]) == [
        ("市发展改革委", "lead"),
        ("各区", "support"),
        ("各部门", "support"),
    ]
    assert "王某某" not in items["1"]["text"]
    assert units(items["2"]) == [("市财政局", "responsible")]
    # 牵头单位： and 责任单位： lines: two lists; 责任单位 units support the lead
    assert units(items["3"]) == [
        ("市人力社保局", "lead"),
        ("各区政府", "support"),
        ("市教育局", "support"),
        ("市民政局", "support"),
    ]
    assert [a["list"] for a in items["3"]["agencies"]] == [0, 1, 1, 1]
    assert (
        items["3"]["responsibility"].startswith("牵头单位")
        and "责任单位" in items["3"]["responsibility"]
    )


def test_a_rule_inside_a_list_applies_from_that_item_on():
    items = {i["key"]: i for i in read("labels-outside-brackets.txt")["items"]}
    assert units(items["2"]) == [("市财政局", "responsible")]  # before the rule
    assert units(items["4"]) == [
        ("市农业农村局", "lead"),
        ("市水务局", "support"),
        ("市自然资源局", "support"),
    ]
    assert units(items["5"]) == [("市人力社保局", "lead"), ("市农业农村局", "lead")]  # 分别牵头
    # after the rule; a unit naming its own place takes no 市 prefix
    assert units(items["6"]) == [
        ("市商务局", "lead"),
        ("黄埔区政府", "support"),
        ("市外事办", "support"),
    ]


def test_a_list_at_the_end_of_the_line_without_brackets():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。责任单位：市发展改革委、财政局\n\n"
        "2.推进另一项改革。牵头单位：市商务局；配合单位：市财政局\n",
        keywords=False,
    )
    assert [units(i) for i in notice["items"]] == [
        [("市发展改革委", "responsible"), ("市财政局", "responsible")],
        [("市商务局", "lead"), ("市财政局", "support")],
    ]
    assert notice["items"][0]["text"] == "推进某项改革。"


def test_a_bracketed_list_with_a_trailing_note():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。〔责任单位：省发展改革委、财政厅按职责分工负责。"
        "具体任务均涉及各地级以上市政府，下同。〕\n",
        keywords=False,
    )
    assert units(notice["items"][0]) == [
        ("省发展改革委", "responsible"),
        ("省财政厅", "responsible"),
    ]


# --- several lists in one numbered paragraph --------------------------------------------------


def test_each_list_closes_its_own_sentence():
    notice = read("several-lists-paragraph.txt")
    check_lists(NOTICES / "several-lists-paragraph.txt", notice)
    first = [i for i in notice["items"] if i["number"] == 1 and i["subsection"] is None]
    assert [i["text"] for i in first] == [
        "做好规划信息公开。及时发布国土空间规划信息。",
        "推进教育、医疗等公共服务信息公开。",
        "公开重大项目建设情况。",
    ]
    assert [units(i) for i in first] == [
        [("市规划局", "responsible")],
        [("市教委", "responsible"), ("市卫生健康委", "responsible")],
        [("市发展改革委", "responsible")],
    ]
    assert len({i["key"] for i in notice["items"]}) == len(notice["items"])


def test_paren_heading_and_paren_item_in_one_section():
    notice = read("several-lists-paragraph.txt")
    (section,) = notice["sections"]
    # （二） carries no list and is followed by 1. items: a heading; （一）（三） carry lists
    assert [s["title"] for s in section["subsections"]] == ["做好财政信息公开"]
    under = [i for i in notice["items"] if i["subsection"] == 2]
    assert [i["number"] for i in under] == [1, 2]
    assert under[1]["deadline"] == "年内持续推进"
    last = notice["items"][-1]
    assert last["number"] == 3 and last["tail"] == "等单位"
    assert units(last) == [("市政府办公厅", "responsible"), ("省有关部门", "responsible")]


# --- flattened tables ----------------------------------------------------------------------------


def test_table_one_row_per_line():
    notice = read("table-row-per-line.txt")
    check_lists(NOTICES / "table-row-per-line.txt", notice)
    items = notice["items"]
    assert [i["number"] for i in items] == [1, 2, 3]
    # no section heading: one untitled section 1 (the graph numbers sections from 1)
    assert [(s["number"], s["title"]) for s in notice["sections"]] == [(1, "")]
    assert {i["section"] for i in items} == {1}
    assert items[0]["text"] == "地区生产总值增长5%左右,质量效益同步提升"
    assert units(items[0]) == [("省发展改革委", "lead"), ("省统计局", "support")]
    assert items[0]["deadline"] == "年底前"
    assert units(items[1]) == [
        ("省人力资源社会保障厅", "lead"),
        ("省教育厅", "support"),
        ("省财政厅", "support"),
    ]
    assert items[1]["deadline"] == "持续推进"
    assert units(items[2]) == [("省农业农村厅", "lead"), ("省自然资源厅", "support")]


def test_table_one_cell_per_line():
    notice = read("table-cell-per-line.txt")
    check_lists(NOTICES / "table-cell-per-line.txt", notice)
    items = notice["items"]
    assert [i["number"] for i in items] == [1, 2, 3]
    assert units(items[0]) == [("县住建局", "responsible"), ("县城管局", "responsible")]
    assert items[0]["deadline"] == "10月底前"  # a deadline cell is never a unit
    assert units(items[2]) == [("县文旅局", "responsible")]
    assert "分享" not in items[2]["text"]


def test_table_pipe_cells_with_a_person_column():
    notice = read("table-pipe-cells.txt")
    check_lists(NOTICES / "table-pipe-cells.txt", notice)
    items = notice["items"]
    assert [i["number"] for i in items] == [7, 8]
    assert units(items[0]) == [
        ("区住建局", "lead"),
        ("区城管局", "support"),
        ("相关街道", "support"),
    ]
    assert units(items[1]) == [("区住建局", "lead"), ("各街道", "support")]
    assert all("李某某" not in a["name"] for i in items for a in i["agencies"])


# --- list grammar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "want", "tail"),
    [
        (
            "（省发展改革委、能源局等省有关部门和各地级以上市人民政府）",
            ["省发展改革委", "省能源局", "各地级以上市人民政府"],
            "等省有关部门",
        ),
        (
            "（省自贸办、编办等省有关部门，广州市政府负责）",
            ["省自贸办", "省编办", "广州市政府"],
            "等省有关部门",
        ),
    ],
)
def test_etc_tails_anywhere(written, want, tail):
    notice = extract_text(f"一、工作\n\n1.某项工作。{written}\n", keywords=False)
    item = notice["items"][0]
    assert [a["name"] for a in item["agencies"]] == want
    assert item["tail"] == tail


def test_bracketed_collective_is_one_unit_and_city_names_are_one():
    notice = extract_text(
        "一、工作\n\n1.某项工作。（市发改委、各县(市、区)政府，广州市人民政府）\n",
        keywords=False,
    )
    names = [a["name"] for a in notice["items"][0]["agencies"]]
    assert names == ["市发改委", "各县(市、区)政府", "广州市政府"]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("市某某局", "department"),
        ("某某区政府", "government"),
        ("某某街道", "sub-district"),
        ("某某投资公司", "enterprise"),
        ("各镇", "collective"),
    ],
)
def test_unknown_units_get_a_kind_from_their_form(name, kind):
    notice = extract_text(f"一、工作\n\n1.某项工作。（{name}）\n", keywords=False)
    (agency,) = notice["items"][0]["agencies"]
    assert (agency["known"], agency["kind"]) == (False, kind)


def test_table_with_glued_cells_and_page_markers():
    path = NOTICES / "table-glued-cells.txt"
    notice = read("table-glued-cells.txt")
    check_lists(path, notice)
    items = notice["items"]
    assert [i["number"] for i in items] == [1, 2]  # the viewer's 1、 2、 are page markers
    assert items[0]["text"].startswith("新建公园")
    assert units(items[0]) == [("住建局", "lead"), ("城管局", "support"), ("各街道", "support")]
    # a two-character leader (李四) and a page marker inside a bracketed name
    assert units(items[1]) == [
        ("民政局", "lead"),
        ("高新园(某某镇)", "support"),
        ("各街道", "support"),
    ]


def test_paren_arabic_items_under_a_numbered_item():
    notice = read("sub-items-paren-arabic.txt")
    got = [(i["key"], i["number"], units(i)) for i in notice["items"]]
    assert got == [
        ("1", 1, []),
        ("1.1", 1, [("省市场监管局", "lead"), ("省政务服务数据管理局", "support")]),
        ("1.2", 2, [("广东省税务局", "responsible")]),
        ("2", 2, [("省商务厅", "responsible")]),  # （1）（2） inside a sentence are text
        ("3", 3, [("省发展改革委", "responsible")]),
    ]
    # item 1 heads its （1）（2） items: no "no list" warning, no numbering warning
    assert notice["warnings"] == []


def test_a_label_list_wrapped_over_two_lines():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。\n\n责任单位：市发展改革委、市财政局、\n市商务局\n\n"
        "2.推进另一项改革。\n\n牵头单位：市教育局，市科技局\n配合单位：市财政局\n",
        keywords=False,
    )
    first, second = notice["items"]
    assert [a["name"] for a in first["agencies"]] == ["市发展改革委", "市财政局", "市商务局"]
    assert first["text"] == "推进某项改革。"
    assert first["lists"][0]["raw"] == "责任单位：市发展改革委、市财政局、\n市商务局"
    # a label holds over its comma groups
    assert units(second) == [("市教育局", "lead"), ("市科技局", "lead"), ("市财政局", "support")]


def test_markdown_table_rows_that_go_on_over_the_next_line():
    notice = extract_text(
        "某省任务分工\n\n| 序号 | 重点任务 | 牵头单位 | 配合单位 |\n|---|---|---|---|\n"
        "| 1 | 推进某项改革 | 省发展改革委 | 省财政厅、 |\n省商务厅\n"
        "| 2 | 推进另一项改革,分两步 | 省教育厅 | 省人力资源社会保障厅 |\n走完成\n"
        "抄送：省委办公厅\n",
        keywords=False,
    )
    first, second = notice["items"]
    assert units(first) == [
        ("省发展改革委", "lead"),
        ("省财政厅", "support"),
        ("省商务厅", "support"),
    ]
    assert second["text"] == "推进另一项改革,分两步走完成"
    assert units(second) == [("省教育厅", "lead"), ("省人力资源社会保障厅", "support")]


def test_a_marker_in_brackets_after_one_name_and_a_time_limit_line():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。\n\n责任单位：市发改委（牵头）、市财政局\n\n"
        "完成时限：2024年12月底前\n\n2.另一项。（市商务局（牵头）、市财政局、市教育局）\n",
        keywords=False,
    )
    first, second = notice["items"]
    assert units(first) == [("市发改委", "lead"), ("市财政局", "support")]
    assert first["deadline"] == "2024年12月底前"  # a time limit is never a unit
    assert units(second) == [("市商务局", "lead"), ("市财政局", "support"), ("市教育局", "support")]


def test_two_labels_on_one_line_and_names_separated_by_spaces():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。\n\n牵头单位：区发改局  责任单位：区财政局 区商务局、各街道\n",
        keywords=False,
    )
    assert units(notice["items"][0]) == [
        ("区发改局", "lead"),
        ("区财政局", "support"),
        ("区商务局", "support"),
        ("各街道", "support"),
    ]


def test_numbered_items_after_a_table_are_still_read():
    notice = extract_text(
        "一、目标\n\n序号 主要任务 牵头单位\n1 地区生产总值增长5% 市发改委\n2 新增就业1万人 市人社局\n\n"
        "二、重点工作\n\n3.推进某项改革。（市商务局）\n\n4.推进另一项改革。（市教育局）\n",
        keywords=False,
    )
    got = [(i["number"], i["section"], [a["name"] for a in i["agencies"]]) for i in notice["items"]]
    assert got == [
        (1, 1, ["市发改委"]),
        (2, 1, ["市人社局"]),
        (3, 2, ["市商务局"]),
        (4, 2, ["市教育局"]),
    ]
    assert [w["code"] for w in notice["warnings"] if w["code"] != "unknown-unit"] == []


def test_any_label_naming_units_is_a_list_with_the_role_its_words_give():
    notice = extract_text(
        "一、工作\n\n1.推进某项改革。\n\n牵头处室：综合处\n\n协办处室：财务处、人事处\n\n"
        "2.另一项。\n\n责任科室：办公室\n\n分管领导：张某\n",
        keywords=False,
    )
    first, second = notice["items"]
    assert units(first) == [("综合处", "lead"), ("财务处", "support"), ("人事处", "support")]
    assert units(second) == [("办公室", "responsible")]  # the leader is a person, not a unit


def test_tab_separated_rows_follow_the_header_columns():
    notice = read("table-tabs-person-column.txt")
    check_lists(NOTICES / "table-tabs-person-column.txt", notice)
    got = [(i["text"], units(i), i["deadline"]) for i in notice["items"]]
    assert got == [
        (
            "加快推进产业园建设，新引进项目10个",  # the leader's cell is neither text nor unit
            [("区发改局", "lead"), ("区财政局", "support"), ("各镇", "support")],
            "2024年12月",
        ),
        ("实施老旧小区改造", [("区住建局", "lead"), ("区城管局", "support")], "2024年10月"),
        ("新增就业岗位5000个", [("区人社局", "lead")], "全年"),  # an empty 责任单位 cell
    ]


def test_header_on_one_line_and_rows_one_cell_per_line():
    notice = extract_text(
        "2024年民生实事分解表\n\n序号 民生实事 责任单位 完成时限\n\n1\n\n新建城区公园2个。\n\n"
        "县住建局\n\n10月底前\n\n2\n\n改造农村公路50公里。\n\n县交通局\n\n县财政局\n\n12月底前\n",
        keywords=False,
    )
    got = [(i["text"], [a["name"] for a in i["agencies"]], i["deadline"]) for i in notice["items"]]
    assert got == [
        ("新建城区公园2个。", ["县住建局"], "10月底前"),
        ("改造农村公路50公里。", ["县交通局", "县财政局"], "12月底前"),
    ]


def test_a_row_whose_number_cell_is_merged_gives_a_further_item():
    notice = read("table-merged-number-cells.txt")
    check_lists(NOTICES / "table-merged-number-cells.txt", notice)
    got = [(i["key"], i["number"], i["text"], units(i), i["deadline"]) for i in notice["items"]]
    assert got == [
        (
            "1",
            1,
            "优化营商环境 推行证照分离改革",
            [("省市场监管局", "lead"), ("省司法厅", "support")],
            "2024年底前",
        ),
        (
            "1b",
            1,
            "推进一网通办",
            [("省政务服务数据管理局", "lead"), ("各地级以上市人民政府", "support")],
            "持续推进",
        ),
        (
            "2",
            2,
            "扩大有效投资 推进重大项目建设",
            [("省发展改革委", "lead"), ("省财政厅", "support")],
            "年内",
        ),
    ]


def test_circled_numbers_are_items_when_they_carry_a_list():
    notice = extract_text(
        "一、工作\n\n1.推进改革。\n\n①深化改革。（省市场监管局）\n\n②优化服务。（省税务局）\n\n"
        "2.开放，包括①扩大进口②稳定出口。（省商务厅）\n",
        keywords=False,
    )
    got = [(i["key"], i["text"], [a["name"] for a in i["agencies"]]) for i in notice["items"]]
    assert got == [
        ("1", "推进改革。", []),
        ("1.1", "深化改革。", ["省市场监管局"]),
        ("1.2", "优化服务。", ["广东省税务局"]),
        ("2", "开放，包括①扩大进口②稳定出口。", ["省商务厅"]),
    ]


def test_sub_points_share_the_items_list_when_only_the_last_carries_one():
    notice = extract_text(
        "一、工作\n\n1.推进改革，主要包括：\n①深化改革；\n②优化服务。（省市场监管局）\n",
        keywords=False,
    )
    (item,) = notice["items"]
    assert item["text"] == "推进改革，主要包括：①深化改革；②优化服务。"
    assert [a["name"] for a in item["agencies"]] == ["省市场监管局"]
