"""``python -m graph`` runs the ``yuegang`` command line."""

from graph.cli import main

main()
