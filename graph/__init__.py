"""yuegang-graph: Chinese government cooperation "key work" notices → a knowledge graph.

One sub-package per stage of the pipeline, each taking the previous stage's output
(see ``docs/architecture.md``):

- :mod:`graph.extract`: a notice's text → items, sections, responsible units with roles
- :mod:`graph.rdf`: items → an RDF graph (ontology, SHACL, SPARQL, ontology page)
- :mod:`graph.network`: the RDF graph → networkx networks, measures, exports, figures, report
- :mod:`graph.views`: networks → offline interactive HTML views (and Jupyter display)
- :mod:`graph.endpoint`: the RDF graph → a read-only SPARQL endpoint; push to another store

:func:`graph.pipeline.build_all` runs them all; the ``yuegang`` command line is :mod:`graph.cli`;
:mod:`graph.errors` holds the errors every stage raises.
"""


def __getattr__(name: str) -> str:
    """``graph.__version__``, read from the installed metadata when first asked for
    (importlib.metadata costs 30 ms at start-up, which every command would pay)."""
    if name != "__version__":
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        value = version("yuegang-graph")
    except PackageNotFoundError:  # running from a source tree that is not installed
        value = "0.0.0"
    globals()["__version__"] = value
    return value
