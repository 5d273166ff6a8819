"""Headless Chromium for the view tests: the system browser, the network blocked and watched.

Import the fixtures into a test module (``from browser_fixtures import browser, open_page``).
Without ``/usr/bin/chromium`` the browser tests skip with a reason, unless the environment
variable ``CI`` is set: then they fail, so a CI image without the browser cannot pass silently.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("YUEGANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_or_skip() -> str:
    """Path of the system Chromium; skip (or fail under CI) when it is missing."""
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set, so this is an error)")
    pytest.skip(message)


@dataclass
class PageLog:
    """What a page tried to do: requests other than file:/data:/blob:, console errors, alerts."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium per test module."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def open_view(browser: Any, url: str, *, width: int = 1400, height: int = 900) -> tuple[Any, PageLog]:
    """Open *url* with every non-local request aborted and logged; wait for the view's ready flag.

    ``window.alert``/``confirm``/``prompt`` are replaced before any page script runs, so an
    injected payload sets ``window.__ygPwned`` instead of blocking on a dialog.
    """
    log = PageLog()
    context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
    context.add_init_script(
        "window.__ygPwned = [];"
        "for (const f of ['alert', 'confirm', 'prompt'])"
        "  window[f] = (m) => { window.__ygPwned.push(f + ':' + m); };"
    )

    def route(r: Any) -> None:
        if r.request.url.split(":", 1)[0] in ("file", "data", "blob"):
            r.continue_()
        else:
            log.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.errors.append(str(e)))
    page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    if "index.html" not in url:
        page.wait_for_function("window.ygView && window.ygView.ready === true", timeout=60_000)
    return page, log
