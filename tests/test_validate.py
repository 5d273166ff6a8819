"""SHACL validation: the built graph conforms; broken graphs do not, with a message saying why."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from graph.cli import app
from graph.rdf.build import write_graph
from graph.rdf.iris import SKOS, YG, agency_iri, document_slug, item_iri, section_iri
from graph.rdf.validate import shapes_path, validate

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology" / "yuegang.ttl"


@pytest.fixture
def broken(rdf_graph) -> Graph:
    """A fresh copy of the built graph to break."""
    g = Graph()
    for triple in rdf_graph:
        g.add(triple)
    return g


def first_item(notice) -> URIRef:
    return item_iri(document_slug(notice["document"]), notice["items"][0]["key"])


def test_built_graph_conforms(rdf_graph) -> None:
    conforms, report = validate(rdf_graph)
    assert conforms, report


def test_plain_pyshacl_on_the_written_turtle_conforms(rdf_graph, tmp_path) -> None:
    """Without project code: pyshacl, the Turtle file, the shapes and the ontology files."""
    ttl = write_graph(rdf_graph, tmp_path)["ttl"]
    conforms, _, report = pyshacl.validate(
        Graph().parse(ttl),
        shacl_graph=Graph().parse(shapes_path()),
        ont_graph=Graph().parse(ONTOLOGY),
    )
    assert conforms, report


def test_item_missing_its_agency_is_kept_with_a_warning(broken, notice, rdf_graph) -> None:
    # an item whose list was not read still belongs in the graph: a SHACL warning, not a violation
    item = first_item(notice)
    broken.remove((item, YG.responsibleAgency, None))
    broken.remove((item, YG.assignment, None))
    conforms, report = validate(broken)
    assert conforms
    assert "at least one yg:responsibleAgency" in report and "sh:Warning" in report
    assert str(item) in report
    assert "sh:Warning" not in validate(rdf_graph)[1]  # control: the whole graph warns of nothing


def test_item_links_and_assignments_must_agree(broken, notice) -> None:
    item = first_item(notice)
    agency = next(broken.objects(item, YG.responsibleAgency))
    broken.remove((item, YG.responsibleAgency, agency))
    conforms, report = validate(broken)
    assert not conforms and "differ from its yg:responsibleAgency" in report


def test_agency_without_label_or_kind_does_not_conform(broken) -> None:
    hmao = agency_iri("gd-hmao")
    broken.remove((hmao, SKOS.prefLabel, None))
    conforms, report = validate(broken)
    assert not conforms and "skos:prefLabel" in report
    broken.remove((hmao, YG.agencyKind, None))
    assert "yg:agencyKind" in validate(broken)[1]


def test_item_without_text_or_with_two_numbers(broken, notice) -> None:
    item = first_item(notice)
    broken.remove((item, YG.text, None))
    conforms, report = validate(broken)
    assert not conforms and "yg:text" in report
    broken.add((item, YG.number, Literal(99)))
    assert "exactly one yg:number" in validate(broken)[1]


def test_subsection_of_another_section(broken, notice) -> None:
    slug = document_slug(notice["document"])
    item = next(i for i in notice["items"] if i["subsection"] is not None)
    iri = item_iri(slug, item["key"])
    broken.set((iri, YG.inSection, section_iri(slug, item["section"] + 1)))
    conforms, report = validate(broken)
    assert not conforms and "not part of its section" in report


def test_bad_role_and_span(broken, notice) -> None:
    slug = document_slug(notice["document"])
    key = notice["items"][0]["key"]
    broken.set((URIRef(f"{item_iri(slug, key)}/assignment/1"), YG.role, URIRef("urn:boss")))
    conforms, report = validate(broken)
    assert not conforms and "yg:role" in report


def test_cli_validate(rdf_graph, broken, notice, tmp_path) -> None:
    runner = CliRunner()
    good = write_graph(rdf_graph, tmp_path / "good")["ttl"]
    out = runner.invoke(app, ["validate", "--graph", str(good)])
    assert out.exit_code == 0 and "conforms" in out.stdout
    item = first_item(notice)
    broken.remove((item, YG.responsibleAgency, None))
    bad = write_graph(broken, tmp_path / "bad")["ttl"]
    out = runner.invoke(app, ["validate", "--graph", str(bad)])
    assert out.exit_code == 1
    assert "does NOT conform" in out.stderr and str(item) in out.stdout
    out = runner.invoke(app, ["validate", "--graph", str(tmp_path / "none.ttl")])
    assert out.exit_code == 2 and "not found" in out.stderr
