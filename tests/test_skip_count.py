"""``scripts/skip_count.py``, which ``.ci/run`` calls after the tests: it counts the skips of a
pytest JUnit report and names their reasons."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_counts_skips_and_names_their_reasons(tmp_path):
    (tmp_path / "test_some.py").write_text(
        "import pytest\n"
        "def test_runs(): pass\n"
        "@pytest.mark.skip(reason='needs a file outside the repository')\n"
        "def test_a(): pass\n"
        "@pytest.mark.skip(reason='needs a file outside the repository')\n"
        "def test_b(): pass\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.xml"
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}  # CI sets its own report
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
         str(tmp_path / "test_some.py")],
        cwd=tmp_path, capture_output=True, check=True, env=env,
    )  # fmt: skip
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "skip_count.py"), str(report)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.splitlines()[0] == "skipped tests: 2"
    assert "2  needs a file outside the repository" in out


def test_ci_reports_skips_after_the_readme_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "--junitxml=" in ci and "scripts/skip_count.py" in ci and "trap " in ci
