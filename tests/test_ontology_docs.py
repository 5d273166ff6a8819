"""The ontology documentation page: every term with its labels and comments, offline, escaped."""

from __future__ import annotations

import html
import re

import pytest
from browser_fixtures import browser  # noqa: F401 - pytest fixture
from markupsafe import escape
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from graph.rdf.build import ontology_path
from graph.rdf.ontology_docs import ontology_terms, render_ontology_html, write_ontology_docs

NAMESPACES = {
    "yg": "https://w3id.org/yuegang/ontology#",
    "agencykind": "https://w3id.org/yuegang/agency-kind/",
    "placekind": "https://w3id.org/yuegang/place-kind/",
    "role": "https://w3id.org/yuegang/role/",
}
OURS = tuple(NAMESPACES.values())


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


@pytest.fixture(scope="module")
def page() -> str:
    return render_ontology_html()


def _section(page: str, anchor: str) -> str:
    start = page.index(f'<section class="term" id="{anchor}">')
    return page[start : page.index("</section>", start)]


def _defined(g: Graph) -> list[URIRef]:
    return sorted(
        {s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(OURS)}
    )


def test_every_term_has_a_section_with_its_labels_and_comments(ontology, page):
    defined = _defined(ontology)
    assert len(defined) >= 60  # the ontology's classes, properties, schemes and concepts
    for term in defined:
        iri = str(term)
        prefix, ns = next((p, ns) for p, ns in NAMESPACES.items() if iri.startswith(ns))
        section = _section(page, f"{prefix}-{iri[len(ns) :]}")
        assert f"<code>{html.escape(iri)}</code>" in section
        labels = list(ontology.objects(term, RDFS.label))
        assert {lit.language for lit in labels} >= {"zh", "en"}, term
        for literal in [*labels, *ontology.objects(term, RDFS.comment)]:
            assert str(escape(str(literal))) in section, (term, str(literal))


def test_sections_follow_the_owl_types(ontology, page):
    classes = {s for s in ontology.subjects(RDF.type, OWL.Class) if str(s).startswith(OURS[0])}
    groups = {t.iri: t.group for t in ontology_terms(ontology)}
    assert {groups[str(c)] for c in classes} == {"class"}
    assert groups[OURS[0] + "leadAgency"] == "object-property"
    assert groups[OURS[0] + "text"] == "datatype-property"
    assert groups[OURS[0] + "Themes"] == "scheme"
    assert groups[OURS[3] + "lead"] == "concept"
    lead = _section(page, "yg-leadAgency")
    assert '<a href="#yg-responsibleAgency">' in lead  # sub-property of, linked inside the page
    assert '<a href="#yg-WorkItem">' in lead and '<a href="#yg-Agency">' in lead


def test_page_loads_nothing_and_links_only_inside_itself(page):
    targets = re.findall(r'\b(?:href|src|action|data)\s*=\s*"([^"]*)"', page, flags=re.I)
    assert targets and all(t.startswith("#") for t in targets), targets
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "url(" not in page and "@import" not in page


def test_text_is_escaped_and_output_deterministic(tmp_path, ontology):
    g = Graph()
    for triple in ontology:
        g.add(triple)
    evil = URIRef(OURS[0] + "Evil")
    g.add((evil, RDF.type, OWL.Class))
    g.add((evil, RDFS.label, Literal("<script>alert(1)</script>", lang="en")))
    g.add((evil, RDFS.label, Literal("坏<img src=x onerror=alert(1)>", lang="zh")))
    g.add((evil, RDFS.comment, Literal('"quoted" & <b>bold</b>', lang="en")))
    out = render_ontology_html(g)
    assert "<script>alert" not in out and "<img src=x" not in out and "<b>bold" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    a = write_ontology_docs(tmp_path / "a" / "ontology.html").read_bytes()
    b = write_ontology_docs(tmp_path / "b.html", ontology_path()).read_bytes()
    assert a == b == render_ontology_html().encode("utf-8")


@pytest.mark.browser
def test_page_renders_offline_in_chromium(browser, tmp_path):  # noqa: F811
    path = write_ontology_docs(tmp_path / "ontology.html")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    requests: list[str] = []
    errors: list[str] = []

    def route(r):
        if not r.request.url.startswith(("file:", "data:", "about:")):
            requests.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    heading = page.locator("#yg-WorkItem h3").inner_text()
    assert "工作事项" in heading and "work item" in heading
    page.click('a[href="#yg-Agency"] >> nth=0')
    assert page.evaluate("location.hash") == "#yg-Agency"
    context.close()
    assert requests == [] and errors == []
