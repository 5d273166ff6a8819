"""SPARQL queries: every ready-made query against answers computed from the reference annotation,
both engines, parameters bound safely, the time limit, result formats and the CLI."""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import multiprocessing
import re
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.rdf.build import build_graph, write_graph
from graph.rdf.query import (
    QueryError,
    QueryTimeout,
    open_store,
    ready_made,
    ready_query,
    resolve_query,
    run_query,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "notices"
BELT_AND_ROAD = {"一带一路", "21世纪海上丝绸之路", "丝绸之路经济带"}  # the broader links
IN_ZHUHAI = {"珠海", "横琴"}  # 横琴 is an island district of Zhuhai


@pytest.fixture(scope="module")
def ttl(rdf_graph, tmp_path_factory) -> Path:
    return write_graph(rdf_graph, tmp_path_factory.mktemp("q"))["ttl"]


@pytest.fixture(scope="module", params=["oxigraph", "rdflib"])
def store(request, ttl):
    return open_store(ttl, engine=request.param)


@pytest.fixture(scope="module")
def ox_store(ttl):
    return open_store(ttl)


def names_must_may(reference, key: str, extra: str, wanted: set[str]) -> tuple[set, set]:
    must = {i["number"] for i in reference["items"] if wanted & set(i[key])}
    may = {i["number"] for i in reference["items"] if wanted & set(i[key] + i[extra])}
    return must, may


# --------------------------------------------------------------------------- ready-made queries


def test_every_ready_made_query_is_listed_with_a_header() -> None:
    names = [q.name for q in ready_made()]
    assert names == sorted(names)
    assert set(names) == {
        "items-per-agency",
        "agency-partners",
        "items-by-theme",
        "items-by-place",
        "items-with-target-year",
        "agencies-by-kind-and-section",
        "agencies-in-several-notices",
        "item",
        "agency-profile",
        "isolated-agencies",
    }
    for q in ready_made():
        assert q.title and q.title != q.name
        assert len(q.description) > 40
        for p in q.params:
            assert re.search(rf"SELECT\b[^{{]*\?{p.name}\b", q.text), (q.name, p.name)


def test_items_per_agency(store, reference) -> None:
    result = run_query("items-per-agency", store)
    got = {r["name"]: r["items"] for r in result.records()}
    assert got == {a["name"]: len(a["items"]) for a in reference["agencies"]}
    counts = result.column("items")
    assert counts == sorted(counts, reverse=True)
    if not any("牵头" in i["responsibility_raw"] for i in reference["items"]):
        assert set(result.column("lead")) == {0}  # the 2017 lists mark no lead unit
    (hmao,) = [r for r in result.records() if r["name"] == "省港澳办"]
    assert hmao["kind"] == "provincial-office" and hmao["agency"].endswith("/agency/gd-hmao")


def expected_partners(reference, name: str) -> dict[str, int]:
    shared: Counter[str] = Counter()
    for item in reference["items"]:
        names = {a["name"] for a in item["agencies"]}
        if name in names:
            shared.update(names - {name})
    return dict(shared)


@pytest.mark.parametrize("agency", [None, "省商务厅", "gd-commerce", "广东省商务厅"])
def test_agency_partners(store, reference, agency) -> None:
    params = {"agency": agency} if agency else {}
    result = run_query("agency-partners", store, params=params)
    got = {r["name"]: r["shared"] for r in result.records()}
    name = "省港澳办" if agency is None else "省商务厅"
    assert got == expected_partners(reference, name)
    assert set(result.column("agency")) == {agency or "省港澳办"}
    shared = result.column("shared")
    assert shared == sorted(shared, reverse=True)


def test_items_by_theme_includes_narrower(store, reference) -> None:
    result = run_query("items-by-theme", store)
    got = set(result.column("number"))
    must, may = names_must_may(reference, "themes", "themes_also_acceptable", BELT_AND_ROAD)
    assert must <= got <= may
    assert "21世纪海上丝绸之路" in set(result.column("subject"))
    by_id = run_query("items-by-theme", store, params={"theme": "belt-and-road"})
    assert set(by_id.column("number")) == got


def test_items_by_theme_other_theme(store, reference) -> None:
    result = run_query("items-by-theme", store, params={"theme": "CEPA"})
    must, may = names_must_may(reference, "themes", "themes_also_acceptable", {"CEPA"})
    assert must <= set(result.column("number")) <= may
    assert must


def test_items_by_place(store, reference) -> None:
    result = run_query("items-by-place", store)  # default 珠海
    records = result.records()
    mentions = {r["number"] for r in records if r["reason"] == "mentions"}
    assigned = {r["number"] for r in records if r["reason"] == "assigned"}
    must, may = names_must_may(reference, "places", "places_abbreviated", IN_ZHUHAI)
    assert must <= mentions <= may
    assert assigned == {
        i["number"]
        for i in reference["items"]
        if any(a["name"] == "珠海市政府" for a in i["agencies"])
    }
    assert {r["via"] for r in records if r["reason"] == "assigned"} == {"珠海市政府"}
    assert {r["via"] for r in records if r["reason"] == "mentions"} <= IN_ZHUHAI
    english = run_query("items-by-place", store, params={"place": "Zhuhai"})
    assert english.rows and [r[1:] for r in english.rows] == [r[1:] for r in result.rows]


def test_items_with_target_year(store, reference) -> None:
    result = run_query("items-with-target-year", store)
    got = {r["number"]: r["year"] for r in result.records()}
    assert got == {i["number"]: i["target_year"] for i in reference["items"] if i["target_year"]}
    assert result.column("year") == sorted(result.column("year"))
    only = run_query("items-with-target-year", store, params={"year": "2018"})
    assert set(only.column("number")) == {n for n, y in got.items() if y == 2018}


def test_agencies_by_kind_and_section(store, reference) -> None:
    result = run_query("agencies-by-kind-and-section", store)
    got = {(r["section"], r["kind"], r["name"]): r["items"] for r in result.records()}
    expected = Counter(
        (i["section"], a["kind"], a["name"]) for i in reference["items"] for a in i["agencies"]
    )
    assert got == dict(expected)
    titles = {r["section"]: r["title"] for r in result.records()}
    assert titles == {s["number"]: s["title"] for s in reference["sections"]}
    cities = run_query(
        "agencies-by-kind-and-section", store, params={"kind": "municipal-government"}
    )
    assert {(r["section"], r["name"]) for r in cities.records()} == {
        (s, n) for s, k, n in expected if k == "municipal-government"
    }


def test_agencies_in_several_notices(store, notice, reference) -> None:
    assert run_query("agencies-in-several-notices", store).rows == []
    second = copy.deepcopy(notice)
    second["document"]["identifier"] = "粤府函〔2018〕1号"
    second["document"]["sha256"] = hashlib.sha256(b"second").hexdigest()
    second["items"] = second["items"][:10]
    g = build_graph([notice, second])
    result = run_query("agencies-in-several-notices", g, engine=store.engine)
    got = {r["name"]: (r["notices"], r["items"]) for r in result.records()}
    first_ten = Counter(a["name"] for i in reference["items"][:10] for a in i["agencies"])
    total = Counter(a["name"] for i in reference["items"] for a in i["agencies"])
    assert got == {name: (2, total[name] + n) for name, n in first_ten.items()}


def test_engines_agree_on_every_ready_made_query(ttl) -> None:
    ox, rdf = open_store(ttl, engine="oxigraph"), open_store(ttl, engine="rdflib")
    for q in ready_made():
        assert run_query(q.name, ox).rows == run_query(q.name, rdf).rows, q.name


def test_lead_and_support_roles_from_a_notice_that_marks_them() -> None:
    from graph.extract.notice import extract_file

    extraction = extract_file(FIXTURES / "yueao-2018-lead-support.txt", keywords=False)
    g = build_graph([extraction])
    result = run_query("items-per-agency", g)
    leads = Counter(
        a["name"] for i in extraction["items"] for a in i["agencies"] if a["role"] == "lead"
    )
    assert {r["name"]: r["lead"] for r in result.records() if r["lead"]} == dict(leads)
    # the text says 省口岸办牵头 for item 3
    text = (FIXTURES / "yueao-2018-lead-support.txt").read_text(encoding="utf-8")
    assert "（省口岸办牵头" in text and leads["省口岸办"] >= 1


# --------------------------------------------------------------------------- parameters, safety, limits


@pytest.mark.parametrize(
    "value",
    [
        '省港澳办" ) } } DROP ALL #',
        "省港澳办'} SERVICE <http://127.0.0.1:9/> {?s ?p ?o} #",
        "\\u0022 ) } LOAD <http://127.0.0.1:9/> #",
        "省港澳办\n} INSERT DATA { <a:b> <a:c> <a:d> }",
    ],
)
def test_parameter_values_are_bound_not_pasted(store, value: str) -> None:
    before = len(store)
    with pytest.raises(QueryError, match="no agency has that name"):  # read as a name, nothing run
        run_query("agency-partners", store, params={"agency": value})
    assert len(store) == before


def test_parameter_errors(ox_store) -> None:
    with pytest.raises(QueryError, match="no parameter 'agent'"):
        run_query("agency-partners", ox_store, params={"agent": "省港澳办"})
    with pytest.raises(QueryError, match="must be an integer"):
        run_query("items-with-target-year", ox_store, params={"year": "2018 || true"})
    with pytest.raises(QueryError, match="SELECT clause"):
        run_query(
            "SELECT ?n WHERE { ?i <https://w3id.org/yuegang/ontology#number> ?n FILTER(?n = ?x) }",
            ox_store,
            params={"x": 5},
        )


def test_user_query_parameter_in_projection(store) -> None:
    query = (
        "SELECT ?x ?t WHERE { ?i <https://w3id.org/yuegang/ontology#number> ?x ; "
        "<https://w3id.org/yuegang/ontology#text> ?t }"
    )
    result = run_query(query, store, params={"x": 5})
    assert result.column("x") == [5] and "机场" in result.column("t")[0]


def test_runaway_query_stops_at_the_time_limit(ox_store) -> None:
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    start = time.monotonic()
    with pytest.raises(QueryTimeout, match="1 s"):
        run_query(runaway, ox_store, timeout=1)
    assert time.monotonic() - start < 10
    time.sleep(0.2)
    assert multiprocessing.active_children() == []


def test_syntax_error_is_a_clear_refusal(ox_store) -> None:
    from graph.rdf.sparql_safety import QueryRefused

    with pytest.raises(QueryRefused, match="line 1"):
        run_query("SELECT ?s WHERE { ?s ?p }}", ox_store)


def test_resolve_query_forms(tmp_path) -> None:
    text, ready = resolve_query("items-per-agency")
    assert ready is ready_query("items-per-agency") and "GROUP BY" in text
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# param: x (integer): a number\nSELECT ?x WHERE {}\n", "utf-8")
    text, ready = resolve_query(str(path))
    assert ready.title == "Mine" and ready.params[0].type == "integer"
    with pytest.raises(QueryError, match="known: agencies-by-kind-and-section"):
        resolve_query("items-per-agencyy")
    with pytest.raises(QueryError, match="not found"):
        resolve_query(str(tmp_path / "missing.rq"))


# --------------------------------------------------------------------------- result forms and formats


def test_ask_construct_and_formats(ox_store) -> None:
    ask = run_query("ASK { ?i a <https://w3id.org/yuegang/ontology#WorkItem> }", ox_store)
    assert ask.kind == "ask" and ask.boolean is True
    assert json.loads(ask.to_json()) == {"head": {}, "boolean": True}
    built = run_query(
        "CONSTRUCT { ?i <urn:n> ?n } WHERE { ?i <https://w3id.org/yuegang/ontology#number> ?n ; "
        "a <https://w3id.org/yuegang/ontology#WorkItem> }",
        ox_store,
    )
    assert built.kind == "graph" and len(built) == 77
    result = run_query("items-with-target-year", ox_store)
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0] == ["year", "document", "number", "text"] and len(rows) == len(result) + 1
    doc = json.loads(result.to_json())
    assert doc["head"]["vars"] == result.columns
    first = doc["results"]["bindings"][0]
    assert first["year"] == {
        "type": "literal",
        "value": str(result.rows[0][0].value),
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert first["text"]["xml:lang"] == "zh"
    tsv = result.to_tsv().splitlines()
    assert tsv[0] == "?year\t?document\t?number\t?text" and len(tsv) == len(result) + 1
    assert "@zh" in tsv[1]


# --------------------------------------------------------------------------- CLI


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def test_cli_list(runner) -> None:
    out = runner.invoke(app, ["query", "--list", "--format", "json"])
    assert out.exit_code == 0, out.output
    listed = json.loads(out.stdout)
    assert [q["name"] for q in listed] == [q.name for q in ready_made()]
    table = runner.invoke(app, ["query", "--list"])
    assert table.exit_code == 0 and "agency-partners" in table.stdout


def test_cli_query_formats(runner, ttl, reference) -> None:
    out = runner.invoke(
        app,
        [
            "query",
            "agency-partners",
            "--graph",
            str(ttl),
            "--param",
            "agency=省商务厅",
            "-f",
            "csv",
        ],
    )
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert {r["name"]: int(r["shared"]) for r in rows} == expected_partners(reference, "省商务厅")
    table = runner.invoke(app, ["query", "items-with-target-year", "--graph", str(ttl)])
    assert table.exit_code == 0 and "7 rows" in table.stdout
    rdf = runner.invoke(
        app, ["query", "items-with-target-year", "-g", str(ttl), "--engine", "rdflib", "-f", "json"]
    )
    assert len(json.loads(rdf.stdout)["results"]["bindings"]) == 7


def test_cli_query_file(runner, ttl, tmp_path) -> None:
    path = tmp_path / "count.rq"
    path.write_text(
        "SELECT (COUNT(?i) AS ?n) WHERE { ?i a <https://w3id.org/yuegang/ontology#WorkItem> }",
        encoding="utf-8",
    )
    out = runner.invoke(app, ["query", str(path), "-g", str(ttl), "-f", "tsv"])
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[1].startswith('"77"')


def test_cli_refuses_and_errors(runner, ttl) -> None:
    out = runner.invoke(app, ["query", "DROP ALL", "-g", str(ttl)])
    assert out.exit_code == 2 and "SPARQL Update" in out.stderr
    out = runner.invoke(app, ["query", "items-per-agency", "-g", "missing.ttl"])
    assert out.exit_code == 2 and "not found" in out.stderr
    out = runner.invoke(app, ["query", "agency-partners", "-g", str(ttl), "-p", "agency"])
    assert out.exit_code == 2 and "NAME=VALUE" in out.stderr


# --------------------------------------------------------------------------- units, one item, profiles
# Expected answers come from the extraction dict (the ``notice`` fixture), not from the graph.


def units_of(item: dict) -> str:
    """The item's units as the queries print them: printed order, ``name (role)``, joined by 、."""
    ordered = sorted(item["agencies"], key=lambda a: a["position"])
    return "、".join(f"{a['name']} ({a['role']})" for a in ordered)


def themes_under(notice: dict, theme: str) -> set[int]:
    """Items tagged with *theme* or a narrower theme, from the bundled theme list's broader links."""
    from graph.extract.gazetteer import load_themes

    themes = load_themes()
    by_id = {t.id: t.name for t in themes}
    broader = {t.name: by_id.get(t.broader) for t in themes}

    def under(name: str | None) -> bool:
        while name:
            if name == theme:
                return True
            name = broader.get(name)
        return False

    return {i["number"] for i in notice["items"] if any(under(t) for t in i["themes"])}


def test_items_by_theme_gives_the_units_in_printed_order(store, notice) -> None:
    result = run_query("items-by-theme", store)
    items = {i["number"]: i for i in notice["items"]}
    assert set(result.column("number")) == themes_under(notice, "一带一路")
    assert 20 in set(result.column("number"))  # tagged 21世纪海上丝绸之路 only
    for r in result.records():
        assert r["units"] == units_of(items[r["number"]]), r["number"]
    several = [r for r in result.records() if "、" in r["units"]]
    assert several  # the check covers lists of more than one unit


def test_items_by_place_gives_the_units(store, notice) -> None:
    result = run_query("items-by-place", store, params={"place": "横琴"})
    items = {i["number"]: i for i in notice["items"]}
    assert result.rows
    for r in result.records():
        assert r["units"] == units_of(items[r["number"]]), r["number"]


@pytest.mark.parametrize("number", [24, 1, 20, 77])
def test_item_query_gives_the_whole_item(store, notice, number) -> None:
    (row,) = run_query("item", store, params={"item": number}).records()
    item = next(i for i in notice["items"] if i["number"] == number)
    section = next(s for s in notice["sections"] if s["number"] == item["section"])
    assert row["number"] == number and row["text"] == item["text"]
    assert row["section"] == f"{section['number']} {section['title']}"
    if item["subsection"]:
        sub = next(s for s in section["subsections"] if s["number"] == item["subsection"])
        assert row["subsection"] == f"{sub['number']} {sub['title']}"
    assert row["units"] == units_of(item)
    assert set((row["themes"] or "").split("、")) - {""} == set(item["themes"])
    assert set((row["places"] or "").split("、")) - {""} == set(item["places"])
    assert (row["start"], row["end"]) == tuple(item["span"]) and row["line"] == item["line"]


def test_item_query_default_is_item_24(store) -> None:
    (row,) = run_query("item", store).records()
    assert row["number"] == 24 and row["units"].startswith("省司法厅 (responsible)")


def test_agency_profile(store, notice) -> None:
    result = run_query("agency-profile", store, params={"agency": "省商务厅"})
    mine = [i for i in notice["items"] if any(a["name"] == "省商务厅" for a in i["agencies"])]
    assert result.column("number") == [i["number"] for i in mine]  # every item, in order
    titles = {s["number"]: s["title"] for s in notice["sections"]}
    for r, item in zip(result.records(), mine, strict=True):
        (me,) = [a for a in item["agencies"] if a["name"] == "省商务厅"]
        assert (r["role"], r["position"]) == (me["role"], me["position"])
        assert r["section"] == f"{item['section']} {titles[item['section']]}"
        others = {**item, "agencies": [a for a in item["agencies"] if a is not me]}
        assert (r["partners"] or "") == units_of(others)
    partners = {
        p.split(" (")[0]
        for r in result.records()
        if r["partners"]
        for p in r["partners"].split("、")
    }
    assert partners == {a["name"] for i in mine for a in i["agencies"]} - {"省商务厅"}
    by_id = run_query("agency-profile", store, params={"agency": "gd-commerce"})
    assert by_id.column("number") == result.column("number")


def test_isolated_agencies(store, notice) -> None:
    result = run_query("isolated-agencies", store)
    items: dict[str, set[int]] = {}
    partnered: set[str] = set()
    for i in notice["items"]:
        names = {a["name"] for a in i["agencies"]}
        for n in names:
            items.setdefault(n, set()).add(i["number"])
        if len(names) > 1:
            partnered |= names
    expected = {n: nums for n, nums in items.items() if n not in partnered}
    assert expected  # the bundled notice has agencies that work alone
    got = {r["name"]: {int(x) for x in r["numbers"].split(", ")} for r in result.records()}
    assert got == expected
    assert {r["name"]: r["items"] for r in result.records()} == {
        n: len(v) for n, v in expected.items()
    }


# --------------------------------------------------------------------------- values that match nothing


@pytest.mark.parametrize(
    "query, param, value, hint",
    [
        ("agency-partners", "agency", "港澳办", "did you mean 省港澳办?"),
        ("agency-profile", "agency", "商务厅", "省商务厅"),
        ("items-by-theme", "theme", "Belt", "一带一路"),
        ("items-by-place", "place", "香江", "香港"),
        ("item", "item", "99", "items run 1–77"),
    ],
)
def test_a_value_that_matches_nothing_names_the_closest(store, query, param, value, hint) -> None:
    with pytest.raises(QueryError) as info:
        run_query(query, store, params={param: value})
    assert f"{param}={value}" in str(info.value) and hint in str(info.value)


def test_a_known_value_with_no_rows_is_not_an_error(store) -> None:
    # 广东保监局 works alone: a real agency, no partner, so an empty answer and no error
    result = run_query("agency-partners", store, params={"agency": "广东保监局"})
    assert result.rows == []


def test_cli_names_the_closest_match(runner, ttl) -> None:
    for args, hint in [
        (["agency-partners", "-p", "agency=港澳办"], "did you mean 省港澳办?"),
        (["items-by-theme", "-p", "theme=Belt"], "(一带一路)"),
    ]:
        result = runner.invoke(app, ["query", *args, "--graph", str(ttl)])
        assert result.exit_code == 2, result.output
        assert hint in result.output


def test_readme_names_every_ready_made_query() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [q.name for q in ready_made() if f"`{q.name}" not in readme]
    assert not missing, f"README.md does not list the ready-made queries {missing}"
