"""CLI commands of the build stage (placeholder until that stage lands)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this stage's commands to *app*."""
