"""The README as a user guide: every query it prints runs and answers as printed, the CLI
reference is current, the commands it gives are the ones CI runs and work in a fresh clone."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from rdflib import RDFS, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
SCRIPTS = ROOT / "scripts"


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _tokens():
    return MarkdownIt("commonmark").enable("table").parse(_readme())


def _section(title: str) -> str:
    """The README text under the ``## title`` heading, up to the next ``## ``."""
    text = _readme()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _tables(tokens, start: int = 0) -> list[tuple[int, list[list[str]]]]:
    """Tables from token *start* on: (index of table_open, rows of cell texts, header first)."""
    tables, rows, row, i = [], [], None, start
    begin = None
    while i < len(tokens):
        t = tokens[i]
        if t.type == "table_open":
            rows, begin = [], i
        elif t.type == "tr_open":
            row = []
        elif t.type == "inline" and row is not None:
            row.append(t.content)
        elif t.type == "tr_close":
            rows.append(row)
            row = None
        elif t.type == "table_close":
            tables.append((begin, rows))
        i += 1
    return tables


def answer_table(result) -> str:
    """A query result as the README prints it: a Markdown table of short cell values."""
    lines = [
        "| " + " | ".join(result.columns) + " |",
        "| " + " | ".join("---" for _ in result.columns) + " |",
    ]
    for row in result.rows:
        cells = ["" if c is None else c.short().replace("|", "\\|") for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def sparql_examples() -> list[tuple[str, list[list[str]]]]:
    """Each ```sparql block of the README with the first table after it (its printed answer)."""
    tokens = _tokens()
    tables = _tables(tokens)
    examples = []
    for i, t in enumerate(tokens):
        if t.type == "fence" and t.info.strip() == "sparql":
            after = [rows for begin, rows in tables if begin > i]
            assert after, f"no answer table after the query:\n{t.content}"
            examples.append((t.content, after[0]))
    return examples


@pytest.fixture(scope="module")
def store():
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph
    from graph.rdf.query import open_store

    return open_store(build_graph([extract_file(None)]))


def test_readme_has_five_example_queries():
    examples = sparql_examples()
    assert len(examples) == 5
    assert all(len(rows) >= 2 for _, rows in examples)  # a header and at least one answer


@pytest.mark.parametrize("n", range(5))
def test_readme_query_answers_as_printed(store, n):
    from graph.rdf.query import run_query

    query, printed = sparql_examples()[n]
    result = run_query(query, store)
    got = [result.columns] + [["" if c is None else c.short() for c in row] for row in result.rows]
    assert got == printed, (
        f"README query {n + 1} no longer answers as printed; its answer now:\n"
        + answer_table(result)
    )


def _cli_script():
    spec = importlib.util.spec_from_file_location(
        "render_readme_cli", SCRIPTS / "render_readme_cli.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_current():
    cli = _cli_script()
    text = _readme()
    assert text.count(cli.START) == 1 and text.count(cli.END) == 1
    assert cli.updated_readme(text, cli.render()) == text, (
        "the README's CLI reference is stale: run python3 scripts/render_readme_cli.py"
    )


def test_cli_reference_lists_every_command():
    from typer.testing import CliRunner

    from graph.cli import app

    section = _section("CLI at a glance")
    listed = set(re.findall(r"^\| `(yuegang[^`]*)` \|", section, flags=re.M))
    top = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200", "NO_COLOR": "1"}).output
    names = re.findall(r"^│ (\w[\w-]*)\s{2,}", top.split("Commands")[1], flags=re.M)
    assert names and {f"yuegang {n}" for n in names} <= listed


def test_cli_reference_check_detects_staleness(tmp_path, monkeypatch):
    cli = _cli_script()
    stale = _readme().replace(cli.END, "| `yuegang gone` | a removed command |\n" + cli.END)
    copy = tmp_path / "README.md"
    copy.write_text(stale, encoding="utf-8")
    monkeypatch.setattr(cli, "README", copy)
    assert cli.main(["--check"]) == 1
    assert cli.main([]) == 0 and cli.main(["--check"]) == 0
    assert "yuegang gone" not in copy.read_text(encoding="utf-8")


def _quick_start_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)\n```", _section("Quick start"), flags=re.S)
    return [b.strip() for b in blocks]


def test_quick_start_is_two_commands_and_ci_runs_the_second():
    first, second = _quick_start_commands()
    assert first == "python3 -m pip install -e . && yuegang build"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [line for line in ci if line.strip() and not line.lstrip().startswith("#")]
    assert second in commands, f".ci/run does not run the README's test command {second!r}"
    assert commands[-1] == second  # the last thing CI does


def test_vocabulary_table_matches_the_ontology():
    from graph.rdf.build import ontology_path

    onto = Graph().parse(ontology_path(), format="turtle")
    yg = "https://w3id.org/yuegang/ontology#"
    rows = re.findall(r"^\| `yg:(\w+)` \| ([^|]*) \|", _section("Vocabulary"), flags=re.M)
    assert len(rows) >= 12
    for local, zh in rows:
        labels = {
            str(lit) for lit in onto.objects(URIRef(yg + local), RDFS.label) if lit.language == "zh"
        }
        assert labels, f"yg:{local} is not defined in the ontology"
        assert zh.strip() in labels, (local, zh, labels)


def test_links_and_citation():
    text = _readme()
    for target in re.findall(r"\]\(((?!https?:)[^)#]+)\)", text):
        assert (ROOT / target).exists(), f"README links to a missing file: {target}"
    image = ROOT / "docs" / "images" / "agencies.png"
    assert image.stat().st_size < 300_000 and image.read_bytes()[:4] == b"\x89PNG"
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    title = re.search(r'^title: "(.*)"$', cff, flags=re.M)[1]
    version = re.search(r"^version: (\S+)$", cff, flags=re.M)[1]
    cite = _section("How to cite")
    assert title.split(": ", 1)[1] in cite.replace("\n> ", " ") and f"version {version}" in cite
    assert "MIT" in _section("Licence") and (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_data_dictionary_names_every_column_and_attribute(rdf_graph):
    from graph.cli.extract import CSV_COLUMNS
    from graph.network.exports import edges_frame, for_files, node_link
    from graph.network.measures import MEASURE_COLUMNS, network_summary, with_measures
    from graph.network.networks import (
        agency_network,
        bipartite_network,
        load_corpus,
        place_network,
        theme_network,
    )

    text = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([\w-]+)`", text))
    corpus = load_corpus(rdf_graph)
    A = with_measures(agency_network(corpus))
    expected = {"CSV_COLUMNS": set(CSV_COLUMNS), "MEASURE_COLUMNS": set(MEASURE_COLUMNS)}
    expected["edges CSV"] = set(edges_frame(A).columns)
    expected["summary"] = set(network_summary(A))
    expected["node-link"] = set(node_link(A)) | set(node_link(A)["graph"])
    for build in (agency_network, bipartite_network, theme_network, place_network):
        G = for_files(with_measures(A) if build is agency_network else build(corpus))
        expected[build.__name__] = (
            {k for _, d in G.nodes(data=True) for k in d}
            | {k for *_, d in G.edges(data=True) for k in d}
            | set(G.graph)
        )
    missing = {where: sorted(keys - named) for where, keys in expected.items() if keys - named}
    assert not missing, f"docs/data-dictionary.md does not describe: {missing}"


def _expand(pattern: str) -> list[str]:
    """``a.{x,y}`` → ``["a.x", "a.y"]`` (one brace group at a time, recursively)."""
    match = re.search(r"\{([^}]*)\}", pattern)
    if not match:
        return [pattern]
    return [
        p
        for alt in match[1].split(",")
        for p in _expand(pattern[: match.start()] + alt + pattern[match.end() :])
    ]


def build_outputs_listed() -> list[str]:
    """The paths the README's "What yuegang build writes" table names (globs kept)."""
    section = _section("What `yuegang build` writes")
    paths = []
    for cell in re.findall(r"^\| ([^|]+) \|", section, flags=re.M):
        for name in re.findall(r"`([^`]+)`", cell):
            paths += _expand(name)
    return paths


@pytest.mark.slow
def test_quick_start_works_in_a_fresh_clone(tmp_path):
    """The README's first command, followed literally in a fresh clone with a fresh venv."""
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    clone = tmp_path / "clone"
    subprocess.run([git, "clone", "--quiet", str(ROOT), str(clone)], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = dict(os.environ, VIRTUAL_ENV=str(venv), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    env.pop("PYTHONPATH", None)
    first = _quick_start_commands()[0]
    run = subprocess.run(
        ["bash", "-c", first], cwd=clone, env=env, capture_output=True, text=True, timeout=1200
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert shutil.which("yuegang", path=env["PATH"]) == str(venv / "bin" / "yuegang")
    printed = [w for w in run.stdout.split() if w.endswith("index.html")]
    assert printed, f"`yuegang build` printed no index.html path:\n{run.stdout[-2000:]}"
    index = Path(printed[-1]) if Path(printed[-1]).is_absolute() else clone / printed[-1]
    assert index.is_file() and index.name == "index.html"
    out = clone / "yuegang-out"
    for pattern in build_outputs_listed():
        assert list(out.glob(pattern)), f"the README says build writes {pattern}; it did not"
