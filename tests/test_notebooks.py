"""The notebooks: paired with their jupytext form, stored without outputs, and run end to end.

Each notebook runs on a fresh kernel in a copy of the ``notebooks`` folder, as a user runs it
from the clone: it must leave that folder as it found it (files go to a scratch folder the
notebook prints: ``files written to …``). A cell that raises (and every notebook ends with
assertions on what it showed) fails the test.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NAMES = [
    "01-quickstart",
    "02-who-works-with-whom",
    "03-themes-and-places",
    "04-your-own-notice",
    "05-your-own-view-with-pyvis",
]


def _cells(notebook) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_every_notebook_has_both_forms():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.py")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_ipynb_and_py_are_in_sync(name):
    ipynb = jupytext.read(NOTEBOOKS / f"{name}.ipynb")
    percent = jupytext.read(NOTEBOOKS / f"{name}.py")
    assert _cells(ipynb) == _cells(percent), (
        f"{name}.ipynb and {name}.py differ: run `jupytext --sync notebooks/{name}.py`"
    )
    assert ipynb.metadata.get("jupytext", {}).get("formats") == "ipynb,py:percent"


@pytest.mark.parametrize("name", NAMES)
def test_stored_without_outputs_and_ending_with_checks(name):
    nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert code[-1].source.count("assert ") >= 3  # ends with checks of what it showed


def _run(name: str, workdir: Path):
    from nbclient import NotebookClient

    nb = nbformat.read(workdir / f"{name}.ipynb", as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
    )
    client.execute()  # raises CellExecutionError when a cell raises
    return nb


def _outputs(nb, mime: str) -> list[str]:
    found = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and mime == "text/plain":
                found.append(out.get("text", ""))
            data = out.get("data", {})
            if mime in data:
                found.append(data[mime])
    return found


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if ".ipynb_checkpoints" not in p.parts}


def _written_to(nb) -> Path | None:
    """The scratch folder a notebook printed (``files written to …``), or None."""
    found = re.search(r"files written to (\S+)", "".join(_outputs(nb, "text/plain")))
    return Path(found[1]) if found else None


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_on_a_fresh_kernel(name, tmp_path):
    before = _files(NOTEBOOKS)
    workdir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    copied = _files(workdir)
    nb = _run(name, workdir)
    scratch = _written_to(nb)
    try:
        _check_notebook(name, nb, workdir, copied, scratch)
    finally:
        if scratch and scratch.name.startswith("yuegang-notebook-"):
            shutil.rmtree(scratch, ignore_errors=True)
    assert _files(NOTEBOOKS) == before  # nothing written into the repository


def _check_notebook(name: str, nb, workdir: Path, copied: set[Path], scratch: Path | None) -> None:
    # nothing left next to the notebooks (no both-out/, figures/, yuegang-out/)
    assert _files(workdir) == copied, sorted(map(str, _files(workdir) - copied))
    if name != "03-themes-and-places":  # 03 writes no file
        assert scratch is not None and scratch.is_dir() and workdir not in scratch.parents
    errors = [
        out for cell in nb.cells for out in cell.get("outputs", []) if out.output_type == "error"
    ]
    assert errors == []
    text = "".join(_outputs(nb, "text/plain"))
    last = nb.cells[-1]
    assert last.outputs and last.outputs[-1].output_type == "stream"  # the final summary line
    if name == "01-quickstart":
        assert (scratch / "yuegang-out" / "graph.ttl").is_file()
        assert "粤府函〔2017〕38号" in text
    if name == "02-who-works-with-whom":
        html = "".join(_outputs(nb, "text/html"))
        assert "<iframe srcdoc=" in html and "vis-network" in html  # the inline view
        assert _outputs(nb, "image/png")  # the static figure
        assert sorted(p.suffix for p in (scratch / "figures").iterdir()) == [".png", ".svg"]
    if name == "05-your-own-view-with-pyvis":
        html = "".join(_outputs(nb, "text/html"))
        assert "<iframe srcdoc=" in html and "自定颜色 own colours" in html  # pyvis colours, inline
        assert "communities among" in text
    if name == "04-your-own-notice":
        assert (scratch / "both-out" / "graph.ttl").is_file()
