"""The package layout is the pipeline: one sub-package per stage, imports only go down.

Stages, in pipeline order: extract → rdf → network → views → endpoint. A stage may import
the stages before it (and the shared ``graph.errors`` / ``graph._lazy`` / ``graph._workers`` /
``graph._cache``), never one after it;
``graph.pipeline`` and ``graph.cli`` sit on top and may import every stage.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"
STAGES = ["extract", "rdf", "network", "views", "endpoint"]
BASE = {"graph", "graph.errors", "graph._lazy", "graph._workers", "graph._cache", "graph.ontology"}


def _stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "graph" and parts[1] in STAGES else None


def _imports(path: Path, package: str) -> set[str]:
    """Every ``graph…`` module that *path* imports, at any depth (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                found.add(node.module)
    return {m for m in found if m == "graph" or m.startswith("graph.")}


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        out.append((name, path))
    return out


def test_top_level_lists_the_stages():
    entries = {p.name for p in PACKAGE.iterdir() if not p.name.startswith("__")}
    assert set(STAGES) <= entries
    loose = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    assert loose <= {"errors", "pipeline"}, f"modules outside a stage: {sorted(loose)}"


@pytest.mark.parametrize("stage", STAGES)
def test_stage_docstring_says_input_and_output(stage):
    module = importlib.import_module(f"graph.{stage}")
    doc = module.__doc__ or ""
    assert "In:" in doc and "Out:" in doc, f"graph.{stage} docstring must say In: … Out: …"
    assert module.__all__, f"graph.{stage} names no public API"
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_no_stage_imports_a_later_stage():
    wrong = []
    for name, path in _modules():
        stage = _stage_of(name)
        if stage is None:
            continue
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for target in _imports(path, package):
            other = _stage_of(target)
            if other and STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{name} imports {target}")
            if other is None and target not in BASE and not target.startswith("graph."):
                wrong.append(f"{name} imports {target}")
            if other is None and target.split(".")[:2] in (["graph", "pipeline"], ["graph", "cli"]):
                wrong.append(f"{name} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles_between_modules():
    import networkx as nx

    names = {name for name, _ in _modules()}
    D = nx.DiGraph()
    for name, path in _modules():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        D.add_node(name)
        for target in _imports(path, package):
            # "from graph.x import y" may name a module graph.x.y or a function in graph.x
            while target not in names and "." in target:
                target = target.rsplit(".", 1)[0]
            if target != name and not name.startswith(target + ".") and target != "graph":
                if not (path.name == "__init__.py"):
                    D.add_edge(name, target)
    cycles = list(nx.simple_cycles(D))
    assert not cycles, f"import cycles: {cycles[:5]}"
