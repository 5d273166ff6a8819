"""The RDF graph: what plain rdflib (no project code) reads from the built Turtle.

Expected figures come from the reference annotation (tests/data/reference) or the source text, never from
the project's own tables.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import warnings
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from graph.rdf.build import GraphInputError, GraphWarning, build_graph, write_graph
from graph.rdf.iris import document_slug, item_iri

YG = "https://w3id.org/yuegang/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREFIXES = f"""
PREFIX yg: <{YG}>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
"""
# From the issue: 21世纪海上丝绸之路 is narrower than 一带一路.
NARROWER_OF_BELT_AND_ROAD = {"一带一路", "21世纪海上丝绸之路", "丝绸之路经济带"}


@pytest.fixture(scope="module")
def written(rdf_graph, tmp_path_factory) -> dict[str, Path]:
    return write_graph(rdf_graph, tmp_path_factory.mktemp("graph"))


@pytest.fixture(scope="module")
def plain(written) -> Graph:
    """The built Turtle as plain rdflib reads it."""
    return Graph().parse(written["ttl"], format="turtle")


def rows(g: Graph, query: str) -> list[tuple]:
    return [tuple(r) for r in g.query(PREFIXES + query)]


def scalar(g: Graph, query: str):
    (row,) = rows(g, query)
    return row[0].toPython()


def test_77_items_numbered_1_to_77(plain, reference) -> None:
    numbers = [
        r[0].toPython() for r in rows(plain, "SELECT ?n WHERE { ?i a yg:WorkItem ; yg:number ?n }")
    ]
    assert sorted(numbers) == sorted(i["number"] for i in reference["items"])
    assert sorted(numbers) == list(range(1, 78))


def test_148_links_to_50_agencies(plain, reference) -> None:
    links = scalar(plain, "SELECT (COUNT(*) AS ?n) WHERE { ?i yg:responsibleAgency ?a }")
    agencies = scalar(
        plain, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?i yg:responsibleAgency ?a }"
    )
    assert links == reference["stats"]["item_agency_links"] == 148
    assert agencies == reference["stats"]["distinct_agencies"] == 50
    typed = scalar(plain, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a yg:Agency }")
    assert typed == 50


def test_items_per_section_match_the_notice(plain, reference) -> None:
    got = {
        n.toPython(): c.toPython()
        for n, c in rows(
            plain,
            "SELECT ?n (COUNT(?i) AS ?c) WHERE { ?i yg:inSection ?s . ?s yg:number ?n } GROUP BY ?n",
        )
    }
    assert got == {s["number"]: len(s["items"]) for s in reference["sections"]}
    sub = {
        (n.toPython(), m.toPython()): c.toPython()
        for n, m, c in rows(
            plain,
            """SELECT ?n ?m (COUNT(?i) AS ?c) WHERE {
                 ?i yg:inSubsection ?sub . ?sub yg:number ?m ; yg:partOf/yg:number ?n }
               GROUP BY ?n ?m""",
        )
    }
    assert sub == {
        (s["number"], ss["number"]): len(ss["items"])
        for s in reference["sections"]
        for ss in s["subsections"]
    }


def test_section_titles(plain, reference) -> None:
    got = dict(
        (n.toPython(), str(t))
        for n, t in rows(
            plain,
            "SELECT ?n ?t WHERE { ?s a yg:Section ; yg:number ?n ; dcterms:title ?t "
            "FILTER NOT EXISTS { ?s yg:partOf ?p } }",
        )
    )
    assert got == {s["number"]: s["title"] for s in reference["sections"]}


def test_items_under_belt_and_road_with_narrower(plain, reference) -> None:
    got = {
        n.toPython()
        for (n,) in rows(
            plain,
            """SELECT DISTINCT ?n WHERE {
                 ?top skos:prefLabel "一带一路"@zh .
                 ?i dcterms:subject/skos:broader* ?top ; yg:number ?n }""",
        )
    }
    must = {i["number"] for i in reference["items"] if NARROWER_OF_BELT_AND_ROAD & set(i["themes"])}
    may = {
        i["number"]
        for i in reference["items"]
        if NARROWER_OF_BELT_AND_ROAD & set(i["themes"] + i["themes_also_acceptable"])
    }
    assert must <= got <= may
    # the narrower concept is really reached through skos:broader, not tagged directly
    direct = {
        n.toPython()
        for (n,) in rows(
            plain,
            'SELECT ?n WHERE { ?i dcterms:subject/skos:prefLabel "一带一路"@zh ; yg:number ?n }',
        )
    }
    assert direct < got


def test_theme_scheme_broader_links(plain) -> None:
    pairs = set(
        (str(a), str(b))
        for a, b in rows(
            plain,
            """SELECT ?a ?b WHERE { ?x skos:inScheme yg:Themes ; skos:prefLabel ?a ; skos:broader ?y .
                 ?y skos:prefLabel ?b FILTER(lang(?a) = "zh" && lang(?b) = "zh") }""",
        )
    )
    assert ("21世纪海上丝绸之路", "一带一路") in pairs
    ftz = {a for a, b in pairs if b == "自贸试验区"}
    assert {"前海", "南沙", "横琴"} <= {a[:2] for a in ftz}


@pytest.mark.parametrize("name", ["省港澳办", "省商务厅"])
def test_agencies_with_11_items(plain, reference, name: str) -> None:
    got = sorted(
        n.toPython()
        for (n,) in rows(
            plain,
            f'SELECT ?n WHERE {{ ?a skos:prefLabel "{name}"@zh . ?i yg:responsibleAgency ?a ; yg:number ?n }}',
        )
    )
    (expected,) = [a["items"] for a in reference["agencies"] if a["name"] == name]
    assert got == sorted(expected)
    assert len(got) == 11


def test_every_agency_link_matches_the_reference(plain, reference) -> None:
    got = Counter(
        (n.toPython(), str(name))
        for n, name in rows(
            plain,
            "SELECT ?n ?name WHERE { ?i yg:responsibleAgency ?a ; yg:number ?n . "
            '?a skos:prefLabel ?name FILTER(lang(?name) = "zh") }',
        )
    )
    expected = Counter((i["number"], a["name"]) for i in reference["items"] for a in i["agencies"])
    assert got == expected


def test_assignments_keep_order_and_wording(plain, reference) -> None:
    got: dict[int, list[tuple[int, str, str]]] = {}
    for n, pos, written, name, role in rows(
        plain,
        """SELECT ?n ?pos ?w ?name ?role WHERE {
             ?i yg:number ?n ; yg:assignment ?x .
             ?x yg:position ?pos ; yg:asWritten ?w ; yg:agency ?a ; yg:role ?role .
             ?a skos:prefLabel ?name FILTER(lang(?name) = "zh") }""",
    ):
        assert str(role).startswith("https://w3id.org/yuegang/role/")
        got.setdefault(n.toPython(), []).append((pos.toPython(), str(written), str(name)))
    for item in reference["items"]:
        listed = sorted(got[item["number"]])
        assert [p for p, _, _ in listed] == list(range(1, len(item["agencies"]) + 1))
        assert [(w, nm) for _, w, nm in listed] == [
            (a["as_written"], a["name"]) for a in item["agencies"]
        ]


def test_agency_descriptions(plain, reference) -> None:
    described = {
        str(name): (str(full), str(en), kind.toPython(), known.toPython())
        for name, full, en, kind, known in rows(
            plain,
            """SELECT ?name ?full ?en ?kind ?known WHERE {
                 ?a a yg:Agency ; skos:prefLabel ?name ; yg:fullName ?full ; rdfs:label ?en ;
                    yg:agencyKind/skos:notation ?kind ; yg:known ?known .
                 FILTER(lang(?name) = "zh" && lang(?en) = "en") }""",
        )
    }
    for agency in reference["agencies"]:
        full, en, kind, known = described[agency["name"]]
        assert kind == agency["kind"]
        assert known is True
        assert full == agency["full"] or full in agency.get("full_alternatives", [])
        assert en


def test_parents_are_organisations_not_agencies(plain) -> None:
    parents = rows(
        plain,
        """SELECT DISTINCT ?p WHERE { ?a a yg:Agency ; org:subOrganizationOf ?p .
             ?p a org:Organization ; skos:prefLabel ?l FILTER NOT EXISTS { ?i yg:responsibleAgency ?p } }""",
    )
    assert parents  # e.g. the provincial government
    for (p,) in parents:
        assert not plain.query(PREFIXES + f"ASK {{ <{p}> a yg:Agency }}").askAnswer


def test_places_and_target_years(plain, reference) -> None:
    got_places = {
        (n.toPython(), str(name))
        for n, name in rows(
            plain,
            'SELECT ?n ?name WHERE { ?i yg:number ?n ; yg:mentionsPlace/skos:prefLabel ?name FILTER(lang(?name)="zh") }',
        )
    }
    must = {(i["number"], p) for i in reference["items"] for p in i["places"]}
    may = must | {(i["number"], p) for i in reference["items"] for p in i["places_abbreviated"]}
    assert must <= got_places <= may
    years = {
        n.toPython(): y.toPython()
        for n, y in rows(plain, "SELECT ?n ?y WHERE { ?i yg:number ?n ; yg:targetYear ?y }")
    }
    assert years == {i["number"]: i["target_year"] for i in reference["items"] if i["target_year"]}


def test_places_have_coordinates_and_wikidata(plain) -> None:
    (hk,) = rows(
        plain,
        """SELECT ?lat ?long ?wd WHERE { ?p skos:prefLabel "香港"@zh ; a yg:SpecialAdministrativeRegion ;
             geo:lat ?lat ; geo:long ?long ; owl:sameAs ?wd }""",
    )
    assert 22 < hk[0].toPython() < 23 and 113 < hk[1].toPython() < 115
    assert str(hk[2]) == "http://www.wikidata.org/entity/Q8646"


def test_item_provenance_points_into_the_source(plain, notice) -> None:
    data = (resources.files("graph.extract.data") / "yuegang-2017-key-work.txt").read_bytes()
    from graph.extract.text import decode

    text, _ = decode(data)
    (doc,) = rows(
        plain,
        "SELECT ?sha ?src WHERE { ?d a yg:PolicyDocument ; yg:sha256 ?sha ; dcterms:source ?src }",
    )
    assert str(doc[0]) == hashlib.sha256(data).hexdigest()
    assert str(doc[1]) == "yuegang-2017-key-work.txt"
    spans = rows(
        plain,
        """SELECT ?body ?s ?e ?raw ?rs ?re WHERE {
             ?i a yg:WorkItem ; yg:text ?body ; yg:responsibilityText ?raw ; prov:wasDerivedFrom ?d ;
                yg:textSelector [ a oa:TextPositionSelector ; oa:start ?s ; oa:end ?e ] ;
                yg:responsibilitySelector [ oa:start ?rs ; oa:end ?re ] .
             ?d a yg:PolicyDocument }""",
    )
    assert len(spans) == 77

    def squash(s: str) -> str:
        return "".join(s.split())

    for body, s, e, raw, rs, re_ in spans:
        assert squash(text[s.toPython() : e.toPython()]) == squash(str(body))
        assert squash(text[rs.toPython() : re_.toPython()]) == squash(str(raw))


def test_written_formats_hold_the_same_graph(rdf_graph, written) -> None:
    for key, fmt in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        assert isomorphic(Graph().parse(written[key], format=fmt), rdf_graph), key


def test_output_is_byte_identical_across_builds(notice, written, tmp_path) -> None:
    again = write_graph(build_graph([copy.deepcopy(notice)]), tmp_path)
    for key, path in written.items():
        assert again[key].read_bytes() == path.read_bytes(), key
    lines = written["nt"].read_bytes().splitlines()
    assert lines == sorted(lines)


def test_graph_without_ontology_has_no_class_definitions(notice) -> None:
    g = build_graph([notice], include_ontology=False)
    owl_class = URIRef("http://www.w3.org/2002/07/owl#Class")
    assert not list(g.subjects(None, owl_class))
    assert list(g.subjects(None, URIRef(YG + "WorkItem")))


# --------------------------------------------------------------------------- several notices


def other_notice(notice: dict, identifier: str, drop_first_agency: bool = False) -> dict:
    other = copy.deepcopy(notice)
    other["document"]["identifier"] = identifier
    other["document"]["sha256"] = hashlib.sha256(identifier.encode()).hexdigest()
    other["items"] = other["items"][:10]
    return other


def test_several_notices_share_agencies(notice) -> None:
    second = other_notice(notice, "粤府函〔2018〕99号")
    g = build_graph([notice, second])
    docs = {str(d) for (d,) in g.query(PREFIXES + "SELECT ?d WHERE { ?d a yg:PolicyDocument }")}
    assert len(docs) == 2
    items = g.query(PREFIXES + "SELECT (COUNT(?i) AS ?n) WHERE { ?i a yg:WorkItem }")
    assert next(iter(items))[0].toPython() == 87
    agencies_2 = {
        a for (a,) in g.query(PREFIXES + "SELECT DISTINCT ?a WHERE { ?i yg:responsibleAgency ?a }")
    }
    assert len(agencies_2) == 50
    # an agency of both notices is one node with items in both documents
    hmao = URIRef("https://w3id.org/yuegang/agency/gd-hmao")
    in_docs = {
        str(d)
        for (d,) in g.query(
            PREFIXES + "SELECT DISTINCT ?d WHERE { ?i yg:responsibleAgency ?a ; yg:inDocument ?d }",
            initBindings={"a": hmao},
        )
    }
    assert in_docs == docs
    assert item_iri("yuefuhan-2018-99", 8) in set(g.subjects())


def test_same_notice_twice_is_kept_once(notice) -> None:
    with pytest.warns(GraphWarning, match="given twice"):
        g = build_graph([notice, copy.deepcopy(notice)])
    assert len(g) == len(build_graph([notice]))


def test_same_identifier_from_another_file_is_an_error(notice) -> None:
    clash = copy.deepcopy(notice)
    clash["document"]["sha256"] = "0" * 64
    with pytest.raises(GraphInputError, match="粤府函〔2017〕38号"):
        build_graph([notice, clash])


def test_unknown_agency_is_kept_and_flagged(notice) -> None:
    odd = copy.deepcopy(notice)
    unit = {
        "name": "省某某办",
        "as_written": "某某办",
        "role": "support",
        "position": 9,
        "id": "unknown-16fa7e5a53",
        "known": False,
    }
    odd["items"][0]["agencies"].append(unit)
    g = build_graph([odd])
    agency = URIRef("https://w3id.org/yuegang/agency/unknown-16fa7e5a53")
    assert (agency, URIRef(YG + "known"), Literal(False)) in g
    assert (
        agency,
        URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
        Literal("省某某办", lang="zh"),
    ) in g
    item = item_iri(document_slug(notice["document"]), 1)
    assert (item, URIRef(YG + "supportAgency"), agency) in g
    assert (item, URIRef(YG + "responsibleAgency"), agency) in g


def test_unknown_place_or_theme_warns_and_is_not_linked(notice) -> None:
    odd = copy.deepcopy(notice)
    odd["items"][0]["places"] = ["火星"]
    odd["items"][0]["themes"] = ["不存在的专题"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = build_graph([odd])
    messages = [str(w.message) for w in caught if issubclass(w.category, GraphWarning)]
    assert any("火星" in m and "item 1" in m for m in messages)
    assert any("不存在的专题" in m for m in messages)
    item = item_iri(document_slug(notice["document"]), 1)
    assert not list(g.objects(item, URIRef(YG + "mentionsPlace")))


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda d: d["items"][0].pop("agencies"), "item 1.*agencies"),
        (lambda d: d.pop("items"), "items"),
        (lambda d: d["items"][0].update(span=[30, 5]), "span"),
        (lambda d: d["items"][0]["agencies"][0].update(role="boss"), "role 'boss'"),
    ],
)
def test_bad_extraction_is_a_clear_error(notice, broken, message: str) -> None:
    from graph.rdf.build import build_store

    bad = copy.deepcopy(notice)
    broken(bad)
    with pytest.raises(GraphInputError, match=message):
        build_graph([bad])
    # the store is loaded on a second thread: the error still reaches the caller
    with pytest.raises(GraphInputError, match=message):
        build_store([notice, {**bad, "document": {**bad["document"], "identifier": "x"}}])


def test_store_of_many_chunks_and_odd_text_holds_the_built_triples(notice, monkeypatch) -> None:
    """build_store loads chunk after chunk on a second thread with Oxigraph's lenient parser:
    the same triples as build_nt (strict parser), whatever the text and the chunk size."""
    import pyoxigraph as ox

    from graph.extract import gazetteer
    from graph.rdf import build

    odd = copy.deepcopy(notice)
    odd["document"]["identifier"] = "odd"
    odd["items"][0]["text"] = 'tab\t "quote" back\\slash\nline\r😀 <b>&amp;'
    odd["items"][0]["agencies"][0]["as_written"] = "x\u0001y\u007f"
    places = list(gazetteer.load_places())
    places[0] = dataclasses.replace(places[0], wikidata="Q1 <odd>")  # percent-encoded
    monkeypatch.setattr(build, "CHUNK", 7)
    store = build.build_store([notice, odd], include_ontology=False, places=places)
    nt = build.build_nt([notice, odd], include_ontology=False, places=places)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    xsd = "http://www.w3.org/2001/XMLSchema#"
    integer = ox.NamedNode(xsd + "integer")

    def terms(t) -> tuple[str, str, str]:
        o = t.object
        if isinstance(o, ox.Literal) and o.datatype.value == xsd + "nonNegativeInteger":
            o = ox.Literal(o.value, datatype=integer)  # Oxigraph's store keeps numbers by value
        return str(t.subject), str(t.predicate), str(o)

    stored = {terms(t) for t in ox.parse(dumped, format=ox.RdfFormat.N_TRIPLES)}
    built = {terms(t) for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES)}
    assert any("%3Codd%3E" in t[2] for t in built)
    assert len(stored) == len(built) > 5_000
    assert stored == built


# --------------------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("identifier", "slug"),
    [
        ("粤府函〔2017〕38号", "yuefuhan-2017-38"),
        ("粤府〔2019〕6号", "yuefu-2019-6"),
        ("粤府办〔2018〕12号", "yuefuban-2018-12"),
        ("粤府办函〔2020〕101号", "yuefubanhan-2020-101"),
        ("国发〔2015〕40号", "guofa-2015-40"),
        ("国办发〔2016〕7号", "guobanfa-2016-7"),
        ("国办函[2019]55号", "guobanhan-2019-55"),
        ("國函〔2008〕1號", "guohan-2008-1"),
        ("粵府函（2017）38号", "yuefuhan-2017-38"),
    ],
)
def test_document_slug_known_prefixes(identifier: str, slug: str) -> None:
    assert document_slug({"identifier": identifier}) == slug


def test_document_slug_fallbacks() -> None:
    odd = document_slug({"identifier": "深府〔2017〕1号"})
    assert odd.startswith("sha-") and len(odd) == 16
    assert odd == document_slug({"identifier": "深府〔2017〕1号"})
    assert (
        document_slug({"identifier": None, "sha256": "ABCDEF0123456789" * 4}) == "sha-abcdef012345"
    )
    with pytest.raises(ValueError):
        document_slug({"identifier": None, "sha256": None})


def test_ontology_describes_every_term_the_graph_uses(plain) -> None:
    """Every yg: class and property has labels @zh and @en and a comment; the graph uses no
    yg: term the ontology does not define."""
    onto = Graph().parse(Path(__file__).resolve().parent.parent / "ontology" / "yuegang.ttl")
    rdfs_label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    rdfs_comment = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
    defined = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(YG)}
    assert len(defined) > 40
    for term in defined:
        langs = {lit.language for lit in onto.objects(term, rdfs_label)}
        assert {"zh", "en"} <= langs, term
        assert list(onto.objects(term, rdfs_comment)), term
    used = {p for p in plain.predicates() if str(p).startswith(YG)}
    used |= {o for o in plain.objects(None, URIRef(RDF_TYPE)) if str(o).startswith(YG)}
    assert used <= defined, used - defined
    core = {
        "PolicyDocument",
        "Section",
        "WorkItem",
        "Agency",
        "Place",
        "City",
        "SpecialAdministrativeRegion",
        "Zone",
        "Assignment",
        "Themes",
        "number",
        "inSection",
        "inSubsection",
        "inDocument",
        "text",
        "responsibleAgency",
        "leadAgency",
        "supportAgency",
        "assignment",
        "agency",
        "role",
        "position",
        "asWritten",
        "mentionsPlace",
        "keyword",
        "targetYear",
        "fullName",
        "agencyKind",
        "locatedIn",
        "placeKind",
        "partOf",
        "known",
    }
    assert {URIRef(YG + c) for c in core} <= defined


# --------------------------------------------------------------------------- rdflib and Oxigraph paths


def _value_triples(triples) -> set[tuple[str, ...]]:
    """Triples as plain tuples (IRI text; literal lexical form, language, datatype), read with
    rdflib whatever wrote them."""
    out = set()
    for s, p, o in triples:
        if isinstance(o, Literal):
            obj: tuple = (str(o), o.language or "", str(o.datatype or ""))
        else:
            obj = (str(o),)
        out.add((str(s), str(p), *obj))
    return out


def test_rdflib_graph_and_ntriples_hold_the_same_triples(notice) -> None:
    from graph.rdf.build import build_nt

    g = build_graph([notice])
    nt = build_nt([notice])
    # rdflib's own N-Triples writer and parser on one side, Oxigraph's on the other
    via_rdflib = Graph().parse(data=g.serialize(format="nt"), format="nt")
    via_oxigraph = Graph().parse(data=nt.decode("utf-8"), format="nt")
    assert len(via_oxigraph) == len(g) > 5000
    assert _value_triples(via_rdflib) == _value_triples(via_oxigraph)


def test_oxigraph_store_holds_the_same_triples(notice) -> None:
    import pyoxigraph as ox

    from graph.rdf.build import build_nt, build_store

    store = build_store([notice])
    stored = Graph().parse(
        data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode(),
        format="nt",
    )
    built = Graph().parse(data=build_nt([notice]).decode("utf-8"), format="nt")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    # Oxigraph's store keeps numbers by value: nonNegativeInteger comes back as integer
    expected = {
        t[:4] + ((xsd + "integer",) if t[4:] == (xsd + "nonNegativeInteger",) else t[4:])
        for t in _value_triples(built)
    }
    assert any(t[4:] == (xsd + "nonNegativeInteger",) for t in _value_triples(built))
    assert len(store) == len(built)
    assert _value_triples(stored) == expected


def test_a_triple_part_added_to_the_build_shows_up(notice, monkeypatch) -> None:
    from graph.rdf import build

    def urgent(ctx, ref, item):
        if item.get("target_year"):
            yield ref.iri, build.YG.urgent, build.boolean(True)

    monkeypatch.setattr(build, "ITEM_PARTS", [*build.ITEM_PARTS, urgent])
    g = build_graph([notice], include_ontology=False)
    dated = {i["key"] for i in notice["items"] if i.get("target_year")}
    flagged = set(g.subjects(URIRef(YG + "urgent"), None))
    assert dated and flagged == {item_iri(document_slug(notice["document"]), k) for k in dated}
