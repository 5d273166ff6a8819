"""Corrections file: a researcher's lists replace the extracted ones, the graph says so, bad rows
are errors naming the CSV line, and ``extract --format corrections`` writes a file ready to edit."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from graph.cli import app
from graph.extract.corrections import (
    CorrectionError,
    apply_corrections,
    attention,
    corrections_template,
    parse_corrections,
    read_corrections,
)
from graph.extract.notice import extract_file, extract_text
from graph.rdf.build import build_graph, serialize_nt
from graph.rdf.validate import validate

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FLAGS = FIXTURES / "notices" / "proof-flags.txt"
FLAGS_FIXES = FIXTURES / "corrections" / "proof-flags.csv"
ITEM1 = "（省商务厅牵头，省港澳办配合）"
DOC = "粤府函〔2017〕38号"
SLUG = "https://w3id.org/yuegang/doc/yuefuhan-2017-38"
PREFIXES = """PREFIX yg: <https://w3id.org/yuegang/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def fixes(*rows: str, source: str = "fix.csv"):
    return parse_corrections("document,item,list,note\n" + "".join(r + "\n" for r in rows), source)


@pytest.fixture(scope="module")
def bundled() -> dict:
    return extract_file(None, keywords=False)


@pytest.fixture(scope="module")
def graphs(bundled) -> tuple[Graph, Graph]:
    corrected, warnings = apply_corrections([bundled], fixes(f"{DOC},1,{ITEM1},按分工方案"))
    assert warnings == []
    return build_graph([bundled]), build_graph(corrected)


def rows(g: Graph, query: str) -> list[tuple]:
    return [
        tuple(v.toPython() if v is not None else None for v in r) for r in g.query(PREFIXES + query)
    ]


# --- the judged case -----------------------------------------------------------------------------


def test_item_1_gets_exactly_the_corrected_units_marked_as_corrected(graphs):
    _, g = graphs
    found = rows(
        g,
        f"""SELECT ?name ?role ?corr WHERE {{
             <{SLUG}/item/1> yg:assignment ?a .
             ?a yg:agency/skos:prefLabel ?name ; yg:role/skos:notation ?role .
             OPTIONAL {{ ?a prov:wasGeneratedBy ?corr }}
             FILTER(lang(?name) = "zh") }} ORDER BY ?name""",
    )
    correction = f"{SLUG}/item/1/correction"
    assert sorted(found) == [("省商务厅", "lead", correction), ("省港澳办", "support", correction)]
    leads = rows(g, f"SELECT ?a WHERE {{ <{SLUG}/item/1> yg:leadAgency ?a }}")
    supports = rows(g, f"SELECT ?a WHERE {{ <{SLUG}/item/1> yg:supportAgency ?a }}")
    responsible = rows(g, f"SELECT ?a WHERE {{ <{SLUG}/item/1> yg:responsibleAgency ?a }}")
    assert leads == [("https://w3id.org/yuegang/agency/gd-commerce",)]
    assert supports == [("https://w3id.org/yuegang/agency/gd-hmao",)]
    assert len(responsible) == 2
    note = rows(
        g,
        f"""SELECT ?list ?note ?was WHERE {{ <{SLUG}/item/1> yg:correctedBy ?c .
             ?c a yg:Correction ; yg:correctedList ?list ; yg:correctionNote ?note ;
                yg:extractedUnits ?was }}""",
    )
    assert note[0][:2] == (ITEM1, "按分工方案")
    assert note[0][2].startswith("省发展改革委、省公安厅")
    assert validate(g)[0]


def test_every_other_item_is_unchanged(graphs, bundled):
    before, after = graphs
    a, b = set(serialize_nt(before).splitlines()), set(serialize_nt(after).splitlines())
    item1 = f"<{SLUG}/item/1".encode()
    for item in bundled["items"][1:]:
        prefix = f"<{SLUG}/item/{item['key']}".encode()
        mine = {t for t in a if t.startswith(prefix + b">") or t.startswith(prefix + b"/")}
        theirs = {t for t in b if t.startswith(prefix + b">") or t.startswith(prefix + b"/")}
        assert mine == theirs and mine, item["key"]
    # what differs is item 1 and agencies no longer named anywhere (their descriptions go)
    agency = b"<https://w3id.org/yuegang/agency/"
    assert all(t.startswith((item1, agency)) for t in a ^ b)
    assert a - b and b - a


def test_a_query_tells_corrected_from_extracted_assignments(graphs, bundled):
    _, g = graphs
    corrected, extracted = rows(
        g,
        """SELECT (COUNT(DISTINCT ?c) AS ?corrected) (COUNT(DISTINCT ?e) AS ?extracted) WHERE {
             { ?c a yg:Assignment ; prov:wasGeneratedBy/a yg:Correction }
             UNION
             { ?e a yg:Assignment FILTER NOT EXISTS { ?e prov:wasGeneratedBy ?x } } }""",
    )[0]
    total = sum(len(i["agencies"]) for i in bundled["items"])
    assert (corrected, extracted) == (2, total - len(bundled["items"][0]["agencies"]))


def test_build_cli_applies_the_corrections_file(tmp_path):
    fix = tmp_path / "corrections.csv"
    fix.write_text(f"document,item,list,note\n{DOC},1,{ITEM1},按分工方案\n", encoding="utf-8")
    outs = []
    for n in (1, 2):
        out = tmp_path / f"out{n}"
        result = CliRunner().invoke(
            app, ["build", "--corrections", str(fix), "--out", str(out), "--no-report"]
        )
        assert result.exit_code == 0, result.output
        outs.append(out)
    assert (outs[0] / "graph.ttl").read_bytes() == (outs[1] / "graph.ttl").read_bytes()
    for name in ("index.html", "proof/yuefuhan-2017-38.html"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    g = Graph().parse(outs[0] / "graph.ttl", format="turtle")
    assert rows(g, "SELECT ?c WHERE { ?i yg:correctedBy ?c }") == [(f"{SLUG}/item/1/correction",)]
    notice = json.loads((outs[0] / "notices" / "yuegang-2017-key-work.json").read_text("utf-8"))
    assert notice["items"][0]["correction"]["list"] == ITEM1


# --- the same list grammar ----------------------------------------------------------------------


def test_the_list_is_read_with_the_shared_prefix_rule(bundled):
    corrected, _ = apply_corrections([bundled], fixes(f"{DOC},3,（省商务厅、港澳办）,"))
    units = corrected[0]["items"][2]["agencies"]
    assert [(u["name"], u["as_written"], u["role"]) for u in units] == [
        ("省商务厅", "省商务厅", "responsible"),
        ("省港澳办", "港澳办", "responsible"),
    ]


def test_a_notice_whose_first_unit_leads_keeps_that_rule():
    notice = extract_file(FIXTURES / "notices" / "sc-division-2018.txt", keywords=False)
    corrected, _ = apply_corrections([notice], fixes("国办函〔2018〕62号,1,（商务部、海关总署）,"))
    units = corrected[0]["items"][0]["agencies"]
    assert [(u["name"], u["role"]) for u in units] == [("商务部", "lead"), ("海关总署", "support")]


def test_the_file_name_names_the_document_too():
    notice = extract_file(FLAGS, keywords=False)
    corrected, warnings = apply_corrections([notice], read_corrections(FLAGS_FIXES))
    assert warnings == []
    by_key = {i["key"]: i for i in corrected[0]["items"]}
    assert [a["name"] for a in by_key["2"]["agencies"]] == ["省商务厅", "省港澳办"]
    assert [a["name"] for a in by_key["4"]["agencies"]] == ["省科技厅", "省发展改革委"]
    assert by_key["4"]["correction"]["line"] == 3
    assert attention(corrected[0]).keys() == {"2", "4"}  # still flagged in the source …
    assert corrections_template(corrected).count("\n") == 1  # … but resolved: nothing left to do


def test_inputs_are_not_modified(bundled):
    before = json.dumps(bundled, ensure_ascii=False, sort_keys=True)
    apply_corrections([bundled], fixes(f"{DOC},1,{ITEM1},x"))
    assert json.dumps(bundled, ensure_ascii=False, sort_keys=True) == before


# --- errors name the CSV line; a no-op is a warning ---------------------------------------------


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("粤府函〔2099〕1号,1,（省商务厅）,", "no notice '粤府函〔2099〕1号'"),
        (f"{DOC},99,（省商务厅）,", "has no item '99'"),
        (f"{DOC},1,（年内完成）,", "reads as no unit"),
        (f"{DOC},1,,", "reads as no unit"),
        (f"{DOC},,（省商务厅）,", "the item column is empty"),
        (f"{DOC},1,(省商务厅牵头,省港澳办配合),x", "5 fields; expected 4"),
    ],
)
def test_a_bad_row_is_an_error_naming_its_line(bundled, row, message):
    with pytest.raises(CorrectionError) as caught:
        apply_corrections([bundled], fixes(f"{DOC},2,（省商务厅）,ok", row))
    assert str(caught.value).startswith("fix.csv:3: ")
    assert message in str(caught.value)


def test_the_same_item_twice_is_an_error(bundled):
    with pytest.raises(CorrectionError, match=r"fix.csv:4: .*already corrected on line 2"):
        apply_corrections(
            [bundled], fixes(f"{DOC},1,{ITEM1},a", "", f"yuegang-2017-key-work.txt,1,{ITEM1},b")
        )


def test_a_wrong_header_is_an_error_on_line_1():
    with pytest.raises(
        CorrectionError, match=r"^c.csv:1: .*expected exactly document,item,list,note"
    ):
        parse_corrections("doc,item,list\n粤府函〔2017〕38号,1,（省商务厅）\n", "c.csv")


def test_a_quoted_multiline_row_reports_the_line_it_starts_on(bundled):
    text = f'document,item,list,note\n{DOC},1,{ITEM1},"two\nlines"\n{DOC},98,（省商务厅）,\n'
    with pytest.raises(CorrectionError, match=r"^f.csv:4: "):
        apply_corrections([bundled], parse_corrections(text, "f.csv"))


def test_a_correction_that_changes_nothing_is_a_warning_and_left_out(bundled):
    written = bundled["items"][1]["responsibility"]
    corrected, warnings = apply_corrections([bundled], fixes(f"{DOC},2,{written},checked"))
    assert [(w["source"], w["line"]) for w in warnings] == [("fix.csv", 2)]
    assert "changes nothing" in warnings[0]["message"]
    assert "correction" not in corrected[0]["items"][1]
    assert corrected == [bundled]


def test_cli_reports_a_bad_file_without_a_traceback(tmp_path):
    fix = tmp_path / "bad.csv"
    fix.write_text(f"document,item,list,note\n{DOC},99,（省商务厅）,\n", encoding="utf-8")
    for command in (["extract", "--no-keywords"], ["build", "--no-views", "--no-report"]):
        result = CliRunner().invoke(
            app, [*command, "--corrections", str(fix), "--out" if command[0] == "build" else "-o",
                  str(tmp_path / ("o" if command[0] == "build" else "o.json"))],
        )  # fmt: skip
        assert result.exit_code == 2, result.output
        assert "bad.csv:2: " in result.output and "Traceback" not in result.output


def test_gb18030_file_as_excel_saves_it(bundled, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(f"document,item,list,note\r\n{DOC},1,{ITEM1},备注\r\n".encode("gb18030"))
    found = read_corrections(path)
    assert [(f.document, f.item, f.list, f.note, f.line) for f in found] == [
        (DOC, "1", ITEM1, "备注", 2)
    ]


# --- what needs attention, and the template -----------------------------------------------------

HEAD = "广东省人民政府关于印发测试重点工作的通知\n\n一、测试\n\n"


@pytest.mark.parametrize(
    ("body", "key", "codes"),
    [
        ("1. 甲。\n\n2. 乙。（省商务厅）\n\n", "1", ["no-list"]),
        ("1. 甲。（省商务厅）\n\n2. 乙。\n\n", "2", ["no-list", "list-cut"]),  # file cut off
        ("1. 甲。（省商务厅）\n\n3. 乙。（省科技厅）\n\n", "3", ["number-gap"]),
        ("1. 甲。（省商务厅）\n\n1. 乙。（省科技厅）\n\n", "1-2", ["number-repeat"]),
        ("1. 甲。（省商务厅、省科技厅等有关部门）\n\n", "1", ["tail"]),
        ("1. 甲。（省商务厅，2018年底前完成）\n\n", "1", ["deadline"]),
        ("1. 甲。（省商务厅、月球开发局）\n\n", "1", ["unknown-unit"]),
        ("1. 甲。（省商务厅、省科技厅\n\n2. 乙。（省教育厅）\n\n", "1", ["list-cut"]),
    ],
)
def test_attention_flags_exactly_the_item(body, key, codes):
    notice = extract_text(HEAD + body, "t.txt", keywords=False)
    assert attention(notice) == {key: codes}


def test_attention_reads_warning_codes_and_new_fields_when_given():
    """The extractor of issue 10 gives warning codes, the item key, ``lists`` and ``tail``."""
    item = {"number": 3, "key": "3", "line": 9, "text": "x", "agencies": [{"known": True}],
            "lists": [{"raw": "（省商务厅", "span": [0, 5]}], "tail": None, "deadline": None}  # fmt: skip
    notice = {
        "items": [item],
        "warnings": [{"line": None, "message": "…", "code": "list-cut", "item": "3"}],
    }
    assert attention(notice) == {"3": ["list-cut"]}
    notice["warnings"] = []
    assert attention(notice) == {}  # with ``lists``, a list is cut only when the extractor says so
    item["tail"] = "等有关部门"
    assert attention(notice) == {"3": ["tail"]}


def test_the_bundled_notice_needs_no_attention(bundled):
    assert attention(bundled) == {}
    assert corrections_template([bundled]) == "document,item,list,note\n"


def test_extract_format_corrections_writes_a_template_ready_to_edit(tmp_path):
    out = tmp_path / "fix.csv"
    result = CliRunner().invoke(
        app, ["extract", "--no-keywords", str(FLAGS), "--format", "corrections", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["document"], r["item"], r["list"]) for r in table] == [
        ("粤办函〔2019〕901号", "2", "（省商务厅牵头，港澳办"),
        ("粤办函〔2019〕901号", "4", "（省科技厅、星际航行局）"),
    ]
    assert "list cut off" in table[0]["note"] and "not in the register" in table[1]["note"]
    # used as it is, it changes nothing: two warnings, no error
    notice = extract_file(FLAGS, keywords=False)
    corrected, warnings = apply_corrections([notice], read_corrections(out))
    assert [w["line"] for w in warnings] == [2, 3] and corrected == [notice]


def test_extract_cli_applies_corrections_to_its_json(tmp_path):
    out = tmp_path / "o.json"
    result = CliRunner().invoke(
        app,
        ["extract", "--no-keywords", str(FLAGS), "--corrections", str(FLAGS_FIXES), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    notice = json.loads(out.read_text(encoding="utf-8"))
    item = next(i for i in notice["items"] if i["key"] == "2")
    assert item["correction"]["note"] == "原文列表在换页处断开，按原件补全"
    assert [a["name"] for a in item["correction"]["extracted"]] == ["省商务厅", "港澳办"]
    assert [(a["name"], a["role"]) for a in item["agencies"]] == [
        ("省商务厅", "lead"),
        ("省港澳办", "support"),
    ]


def test_the_correction_iri_is_under_the_item(graphs):
    _, g = graphs
    assert (URIRef(f"{SLUG}/item/1"), None, None) in g


def test_the_shapes_catch_provenance_that_does_not_match(graphs):
    from rdflib import Namespace

    yg, prov = (
        Namespace("https://w3id.org/yuegang/ontology#"),
        Namespace("http://www.w3.org/ns/prov#"),
    )
    before, after = graphs
    item1, item2 = URIRef(f"{SLUG}/item/1"), URIRef(f"{SLUG}/item/2")
    broken = Graph() + after
    broken.remove((item1, yg.correctedBy, None))  # assignments say "corrected", the item does not
    conforms, report = validate(broken)
    assert not conforms and "must come from its correction" in report
    stray = Graph() + before  # an extracted assignment claiming a correction that is not there
    stray.add(
        (
            URIRef(f"{SLUG}/item/2/assignment/1"),
            prov.wasGeneratedBy,
            URIRef(f"{SLUG}/item/2/correction"),
        )
    )
    assert not validate(stray)[0]
    assert validate(before)[0] and validate(after)[0] and (item2, yg.correctedBy, None) not in after
