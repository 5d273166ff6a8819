"""The network report: Markdown + self-contained, escaped, reproducible HTML."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from browser_fixtures import CHROMIUM_ARGS, chromium_or_skip
from rdflib import Graph
from typer.testing import CliRunner

from graph.network import figures
from graph.network.report import build_report, render_markdown, write_report

SMALL = Path(__file__).parent / "fixtures" / "networks" / "small.ttl"


@pytest.fixture(scope="module")
def notice_ttl(tmp_path_factory) -> Path:
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    path = tmp_path_factory.mktemp("graph") / "graph.ttl"
    build_graph([extract_file(None)]).serialize(path, format="turtle")
    return path


@pytest.fixture(scope="module")
def notice_report(notice_ttl, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write_report(Graph().parse(notice_ttl), out)
    return out


def test_report_files(notice_report):
    md = (notice_report / "report.md").read_text(encoding="utf-8")
    html = (notice_report / "report.html").read_text(encoding="utf-8")
    for figure in ("network", "top-weighted-degree", "top-betweenness"):
        assert (notice_report / "figures" / f"{figure}.png").is_file()
        assert (notice_report / "figures" / f"{figure}.svg").is_file()
        assert f"](figures/{figure}.png)" in md
    assert html.count('src="data:image/png;base64,') == 3
    for text in (md, html):
        assert "粤府函〔2017〕38号" in text
        assert "省港澳办" in text and "省商务厅" in text
        assert "Top agencies by weighted degree" in text and "Top agencies by betweenness" in text
    assert "| 事项 items | 77 |" in md
    assert "| 多单位事项 items with several agencies | 32 (41.6%) |" in md
    assert (
        (notice_report / "measures.csv")
        .read_text(encoding="utf-8")
        .startswith("name,full_name,kind,items,")
    )


def test_html_loads_nothing_from_outside(notice_report):
    html = (notice_report / "report.html").read_text(encoding="utf-8")
    assert (
        "http:" not in html
        and "https:" not in html
        and "//" not in re.sub(r"base64,[A-Za-z0-9+/=]+", "", html)
    )
    assert "<script" not in html and "<link" not in html
    assert set(re.findall(r'src="([a-z]+):', html)) == {"data"}


def test_text_is_escaped_and_output_reproducible(tmp_path):
    g = Graph().parse(SMALL)
    a = write_report(g, tmp_path / "a")
    b = write_report(g, tmp_path / "b")
    html = a["html"].read_text(encoding="utf-8")
    assert "戊&lt;办&gt;" in html and "戊<办>" not in html
    assert "戊\\<办\\>" in a["markdown"].read_text(encoding="utf-8")  # not read as an HTML tag
    for key in ("html", "markdown", "measures"):
        assert a[key].read_bytes() == b[key].read_bytes(), key


def test_report_without_cjk_font_warns_and_skips_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("YUEGANG_FIGURE_CACHE", "0")  # figures drawn before would be copied
    monkeypatch.setattr(figures, "CJK_FAMILIES", ("No Such Font SC",))
    monkeypatch.setattr(figures, "BUNDLED_FONT", tmp_path / "missing.ttc")
    with pytest.warns(UserWarning, match="without figures: no font with Chinese glyphs"):
        written = write_report(Graph().parse(SMALL), tmp_path)
    assert "figure:network" not in written
    assert "data:image" not in written["html"].read_text(encoding="utf-8")


def test_report_content_follows_filters():
    report = build_report(Graph().parse(SMALL), section=1)
    assert report["filters"] == {"section": "1"}
    names = [row[0] for row in report["tables"]["weighted_degree"]["rows"]]
    assert names == ["省甲", "省乙", "丙市政府"]  # weighted degree 3, 3 (tie by id), 2


def test_cli_report(notice_ttl, tmp_path):
    import typer

    from graph.cli import network

    app = typer.Typer()
    network.register(app)

    @app.callback()
    def main() -> None:
        """Root (so that 'report' stays a sub-command)."""

    result = CliRunner().invoke(
        app, ["report", "--out", str(tmp_path / "r"), "--graph", str(notice_ttl)]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "report.html").is_file() and (tmp_path / "r" / "report.md").is_file()


@pytest.mark.browser
def test_report_renders_offline_in_chromium(notice_report):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = chromium_or_skip()
    requests, errors = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((notice_report / "report.html").as_uri())
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        heading = page.inner_text("h1")
        rows = page.eval_on_selector_all("table tr", "els => els.length")
        browser.close()
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
    assert errors == []
    assert len(widths) == 3 and min(widths) > 500
    assert "责任单位合作网络" in heading and rows > 30


def test_community_count_and_table_agree():
    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        report = build_report(build_graph([extract_file(None)]))
    G = report["graph"]
    sizes: dict[int, int] = {}
    for _, d in G.nodes(data=True):
        sizes[d["community"]] = sizes.get(d["community"], 0) + 1
    (overview,) = [v for k, v in report["overview"] if k.startswith("社区")]
    assert overview.startswith(f"{len(sizes)} (")
    rows = report["communities"]
    several = [r for r in rows if r[0] != "–"]
    assert [r[1] for r in several] == sorted((n for n in sizes.values() if n > 1), reverse=True)
    alone = sum(1 for n in sizes.values() if n == 1)
    assert alone and rows[-1][1] == f"{alone} × 1"  # the one-agency communities, in one row
    shown = {m for r in rows for m in r[2].split(": ")[-1].split("、")}
    assert shown == {d["name"] for _, d in G.nodes(data=True)}  # every agency is in the table
    assert report["communities_note"].startswith(f"{len(sizes)} 个社区")
    assert f"{alone} of one agency each" in report["communities_note"]
    md = render_markdown(report)
    assert report["communities_note"] in md
