"""The proofreading page in headless Chromium (Debian's), from file:// with the network blocked:
it loads nothing, logs no error, runs no injected markup, its filter shows exactly the flagged
(or corrected) items, and every marked span holds the source characters of its offsets.

Screenshots go to /tmp/shots (outside the repository).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_fixtures import browser, open_view  # noqa: F401  (pytest fixture)

from graph.extract.corrections import apply_corrections, read_corrections
from graph.extract.notice import bundled_notice_path, extract_file, extract_text
from graph.extract.text import read_file
from graph.views.proof import write_proof_pages

pytestmark = pytest.mark.browser
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FLAGS = FIXTURES / "notices" / "proof-flags.txt"
FLAGS_FIXES = FIXTURES / "corrections" / "proof-flags.csv"
# enough Chinese text around the payloads for the notice to read as one
FILLER = "现将重点工作印发给你们，请认真贯彻执行，并按分工抓好落实。" * 6
SHOTS = Path("/tmp/shots")
PAYLOAD = '<img src=x onerror=alert(1)><script>window.__ygPwned.push("script")</script>'
HOSTILE = (
    f"关于{PAYLOAD}的通知\n\n{FILLER}\n\n一、{PAYLOAD}\n\n"
    f"1. 推进{PAYLOAD}工作。（省商务厅、<img src=x onerror=alert(3)>局）\n\n"
    f"2. 深化合作。（省科技厅）\n"
)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("proof")
    flags = extract_file(FLAGS, keywords=False)
    flags_text = read_file(FLAGS).text
    corrected, _ = apply_corrections([flags], read_corrections(FLAGS_FIXES))
    hostile = extract_text(HOSTILE, "hostile.txt", keywords=False)
    fix = FIXTURES / "corrections" / "hostile.csv"
    hostile_fixed, _ = (
        apply_corrections([hostile], read_corrections(fix)) if fix.exists() else ([hostile], [])
    )
    sets = {
        "bundled": [(extract_file(None, keywords=False), read_file(bundled_notice_path()).text)],
        "flags": [(flags, flags_text)],
        "corrected": [(corrected[0], flags_text)],
        "hostile": [(hostile_fixed[0], HOSTILE)],
    }
    found = {}
    for name, pairs in sets.items():
        (page,) = write_proof_pages(pairs, out / name)
        found[name] = {"url": page.path.as_uri(), "text": pairs[0][1], "page": page}
    return found


def load(browser, pages, name):  # noqa: F811
    page, log = open_view(browser, pages[name]["url"], ready=False)
    page.wait_for_function("window.ygProof && window.ygProof.ready === true", timeout=30_000)
    return page, log


def shown(page) -> list[str]:
    return page.evaluate(
        "[...document.querySelectorAll('section.yg-item')]"
        ".filter(s => s.offsetParent !== null).map(s => s.dataset.item)"
    )


@pytest.mark.parametrize("name", ["bundled", "flags", "corrected", "hostile"])
def test_page_loads_offline_without_errors(browser, pages, name):  # noqa: F811
    page, log = load(browser, pages, name)
    try:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"proof-{name}.png"))
        assert log.blocked == [] and log.errors == [] and log.dialogs == []
        assert page.evaluate("window.__ygPwned") == []
    finally:
        page.context.close()


@pytest.mark.parametrize("name", ["bundled", "flags", "hostile"])
def test_marked_spans_are_the_source_characters(browser, pages, name):  # noqa: F811
    page, _ = load(browser, pages, name)
    text = pages[name]["text"]
    try:
        bad = page.evaluate(
            """text => [...document.querySelectorAll('mark[data-start]')]
                 .filter(m => m.textContent !== text.slice(+m.dataset.start, +m.dataset.end))
                 .map(m => m.dataset.item + ':' + m.dataset.part)""",
            text,
        )
        assert bad == []
        n = page.evaluate("document.querySelectorAll('mark[data-start]').length")
        assert n >= 3 * pages[name]["page"].items  # number, text and list of every item
        lines = page.evaluate("[...document.querySelectorAll('.yg-tx')].map(l => l.textContent)")
        assert "\n".join(lines) == text
    finally:
        page.context.close()


def test_bundled_page_counts(browser, pages):  # noqa: F811
    page, _ = load(browser, pages, "bundled")
    try:
        assert page.evaluate("[ygProof.items, ygProof.flagged, ygProof.corrected]") == [77, 0, 0]
        assert page.evaluate("document.querySelectorAll('tr.yg-unit').length") == 148
        assert page.inner_text("#yg-flag-count") == "0"
        page.select_option("#yg-proof-filter", "attention")
        assert shown(page) == []
    finally:
        page.context.close()


def test_the_filter_shows_only_flagged_or_corrected_items(browser, pages):  # noqa: F811
    page, _ = load(browser, pages, "flags")
    try:
        assert shown(page) == ["1", "2", "3", "4", "5"]
        assert page.inner_text("#yg-flag-count") == "2"
        page.select_option("#yg-proof-filter", "attention")
        assert shown(page) == ["2", "4"]
        assert "2 / 5" in page.inner_text("#yg-shown")
        page.select_option("#yg-proof-filter", "corrected")
        assert shown(page) == []
        page.select_option("#yg-proof-filter", "all")
        assert len(shown(page)) == 5
        # the flagged list jumps to the item
        page.select_option("#yg-proof-filter", "attention")
        page.click("nav.yg-flagged a >> text=4")
        assert page.evaluate("location.hash") == "#item-4"
    finally:
        page.context.close()
    page, _ = load(browser, pages, "corrected")
    try:
        page.select_option("#yg-proof-filter", "corrected")
        assert shown(page) == ["2", "4"]
        page.select_option("#yg-proof-filter", "attention")
        assert shown(page) == []
        names = page.evaluate(
            "[...document.querySelectorAll('#item-2 .yg-compare > div')].map(d =>"
            " [d.querySelector('h3').textContent,"
            "  [...d.querySelectorAll('tr[data-name]')].map(r => r.dataset.name)])"
        )
        assert names == [
            ["提取 extracted", ["省商务厅", "港澳办"]],
            ["校正 corrected", ["省商务厅", "省港澳办"]],
        ]
    finally:
        page.context.close()


def test_hostile_text_is_inert(browser, pages):  # noqa: F811
    page, log = load(browser, pages, "hostile")
    try:
        body = page.inner_text("main")
        assert PAYLOAD in body and "<img src=x onerror=alert(3)>局" in body
        assert 'window.__ygPwned.push("note")' in body  # the correction note, as text
        page.select_option("#yg-proof-filter", "attention")  # the unknown unit is flagged
        assert shown(page) == ["1"]
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ygPwned") == []
        assert page.evaluate("document.querySelectorAll('img, iframe, b').length") == 0
        assert page.evaluate("document.scripts.length") == 1
        assert log.dialogs == [] and log.blocked == []
    finally:
        page.context.close()


def test_the_payload_would_have_fired_through_innerhtml(browser, pages):  # noqa: F811
    """Control: the hooks catch the payload when markup IS parsed, so the test above can fail."""
    page, _ = load(browser, pages, "hostile")
    try:
        page.evaluate(
            "p => { const d = document.createElement('div'); d.innerHTML = p;"
            " document.body.appendChild(d); }",
            PAYLOAD,
        )
        page.wait_for_function("window.__ygPwned.length > 0")
        assert page.evaluate("window.__ygPwned") == ["alert:1"]
    finally:
        page.context.close()
