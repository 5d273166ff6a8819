"""``yuegang extract`` as a user runs it: formats, several files, errors, quiet stderr."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from graph.extract.notice import bundled_notice_path


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "graph", *args], capture_output=True, text=True, encoding="utf-8"
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_json_of_the_bundled_notice_and_a_quiet_terminal():
    result = run("extract")
    data = json.loads(result.stdout)
    assert data["document"]["identifier"] == "粤府函〔2017〕38号"
    assert len(data["items"]) == 77
    assert result.stderr == ""  # jieba's load messages do not reach the terminal


def test_several_files_give_a_list_or_json_lines(tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_bytes(bundled_notice_path().read_bytes())
    listed = json.loads(
        run("extract", str(bundled_notice_path()), str(copy), "--no-keywords").stdout
    )
    assert [len(d["items"]) for d in listed] == [77, 77]
    lines = run(
        "extract", str(bundled_notice_path()), str(copy), "--format", "jsonl", "--no-keywords"
    ).stdout.splitlines()
    assert [json.loads(line)["document"]["source"] for line in lines] == [
        bundled_notice_path().name,
        "copy.txt",
    ]


def test_csv_has_one_row_per_item_and_unit():
    rows = list(
        csv.DictReader(io.StringIO(run("extract", "--format", "csv", "--no-keywords").stdout))
    )
    assert len(rows) == 148
    assert {r["item"] for r in rows} == {str(n) for n in range(1, 78)}
    first = rows[1]
    assert (first["agency"], first["as_written"], first["role"]) == (
        "省公安厅",
        "公安厅",
        "responsible",
    )


def test_output_file(tmp_path):
    out = tmp_path / "notice.json"
    run("extract", "--output", str(out), "--no-keywords")
    assert json.loads(out.read_text(encoding="utf-8"))["items"][0]["number"] == 1


def test_unreadable_input_is_a_clear_error(tmp_path):
    bad = tmp_path / "picture.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run("extract", str(bad), check=False)
    assert result.returncode == 2
    assert str(bad) in result.stderr and "error:" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_a_clear_error(tmp_path):
    result = run("extract", str(tmp_path / "nope.txt"), check=False)
    assert result.returncode == 2
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr
