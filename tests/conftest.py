"""Shared fixtures: the bundled notice extracted once per session, and the reference annotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_fixtures import browser  # noqa: F401  (fixtures for every test module)
from listener import listener  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
# Carried in the repository (tests/data/README.md gives its provenance): tests never read ../shared.
REFERENCE = DATA / "reference" / "yuegang-2017-annotations.json"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def notice() -> dict:
    """The extraction dict of the bundled 2017 notice."""
    from graph.extract.notice import extract_file

    return extract_file(None)


@pytest.fixture(scope="session")
def reference() -> dict:
    """The hand-made reference annotation of the 2017 notice (tests/data/reference)."""
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def rdf_graph(notice):
    """The RDF graph of the bundled notice."""
    from graph.rdf.build import build_graph

    return build_graph([notice])
