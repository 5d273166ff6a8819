"""CLI commands of the network stage (placeholder until that stage lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to *app*."""
