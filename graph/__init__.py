"""yuegang-graph: Chinese government cooperation "key work" notices → a knowledge graph.

The pipeline, one module per stage (see ``docs/architecture.md``):

- text → :mod:`graph.text` (decode, normalise for matching)
- items → :mod:`graph.items`, :mod:`graph.responsibility`, :mod:`graph.extract`
  (with the reference data of :mod:`graph.register`, :mod:`graph.gazetteer`, :mod:`graph.keywords`)
- RDF → :mod:`graph.rdf`, :mod:`graph.iris`, :mod:`graph.validate`, :mod:`graph.query`
- networks → :mod:`graph.networks`, :mod:`graph.measures`, :mod:`graph.exports`,
  :mod:`graph.figures`, :mod:`graph.report`
- views → :mod:`graph.views`, :mod:`graph.notebook`
- endpoint → :mod:`graph.serve`, :mod:`graph.push`

:func:`graph.pipeline.build_all` runs them all; the ``yuegang`` command line is :mod:`graph.cli`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("yuegang-graph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
