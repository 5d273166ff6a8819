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


def open_view(
    browser: Any, url: str, *, width: int = 1400, height: int = 900, ready: bool | None = None
) -> tuple[Any, PageLog]:
    """Open *url* with every non-local request aborted and logged; wait for the view's ready flag
    (unless *ready* is False; by default not for ``index.html``).

    ``window.alert``/``confirm``/``prompt`` are replaced before any page script runs, so an
    injected payload sets ``window.__ygPwned`` instead of blocking on a dialog.
    """
    log = PageLog()
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
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
    if ready is None:
        ready = "index.html" not in url
    if ready:
        page.wait_for_function("window.ygView && window.ygView.ready === true", timeout=60_000)
    return page, log


# ---- synthetic networks with the attributes of docs/architecture.md ("Networks") ----------------

XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_FULL = '<script>window.__ygPwned.push("script")</script>'
XSS_EN = '<a href="javascript:alert(2)">click</a>'
XSS_TEXT = 'see <a href="javascript:alert(4)">this</a> <script>alert(3)</script> <img src=x onerror=alert(5)> & co'

AGENCIES = {
    "gd-hmao": ("省港澳办", "广东省人民政府港澳事务办公室",
                "Hong Kong and Macao Affairs Office of Guangdong", "provincial-office", True),
    "gd-commerce": ("省商务厅", "广东省商务厅", "Department of Commerce of Guangdong Province",
                    "provincial-department", True),
    "shenzhen-gov": ("深圳市政府", "深圳市人民政府", "Shenzhen Municipal People's Government",
                     "municipal-government", True),
    "xss-agency": (XSS_NAME, XSS_FULL, XSS_EN, "other", True),
    "unknown-0123456789": ("未登记单位", "未登记单位", "", "other", False),
}  # fmt: skip
SECTIONS = {1: "跨界基础设施", 2: "现代服务业", 3: "合作机制"}
# number: (section, text, themes, places, [(agency, role)])
ITEMS = {
    1: (1, "推进港珠澳大桥建设。", ["港珠澳大桥"], ["香港", "珠海"],
        [("gd-hmao", "lead"), ("gd-commerce", "support")]),
    2: (2, XSS_TEXT, ["CEPA", XSS_NAME], ["香港"],
        [("gd-commerce", "lead"), ("xss-agency", "support"), ("shenzhen-gov", "support")]),
    3: (2, "深化粤港服务贸易自由化。", [], ["深圳"], [("shenzhen-gov", "responsible")]),
    4: (1, "落实CEPA及其补充协议。", ["CEPA"], ["澳门"],
        [("gd-hmao", "lead"), ("shenzhen-gov", "support")]),
    5: (3, "与北京有关单位对接。", [], ["北京"], [("unknown-0123456789", "responsible")]),
}  # fmt: skip
THEMES = {"港珠澳大桥": ("hzmb", "HZMB"), "CEPA": ("cepa", "CEPA"), XSS_NAME: ("xss", XSS_EN)}
PLACES = {
    "香港": ("hk", "Hong Kong", 22.3193, 114.1694),
    "珠海": ("zhuhai", "Zhuhai", 22.2707, 113.5767),
    "深圳": ("shenzhen", "Shenzhen", 22.5431, 114.0579),
    "澳门": ("macao", "Macao", 22.1987, 113.5439),
    "北京": ("beijing", "Beijing", 39.9042, 116.4074),
}
BASE = "https://w3id.org/yuegang/"


def _agency_attrs(aid: str) -> dict:
    name, full, en, kind, known = AGENCIES[aid]
    labels = sorted((str(n) for n, it in ITEMS.items() if aid in {a for a, _ in it[4]}), key=int)
    return {"iri": f"{BASE}agency/{aid}", "name": name, "full_name": full, "label_en": en,
            "kind": kind, "known": known, "items": len(labels), "item_labels": labels}  # fmt: skip


def synthetic_networks() -> dict[str, Any]:
    """Agency (with measures), bipartite, theme and place networks of a 5-item toy notice."""
    import itertools

    import networkx as nx

    A, B, T, P = nx.Graph(), nx.Graph(), nx.Graph(), nx.Graph()
    for aid in AGENCIES:
        A.add_node(aid, **_agency_attrs(aid))
        B.add_node(aid, bipartite=0, **_agency_attrs(aid))
    for n, (sec, text, themes, places, ags) in ITEMS.items():
        B.add_node(f"item:{n}", bipartite=1, iri=f"{BASE}doc/toy/item/{n}", number=n,
                   label=str(n), text=text, section=sec, section_title=SECTIONS[sec],
                   subsection=None, themes=themes, places=places, document="toy")  # fmt: skip
        for pos, (aid, role) in enumerate(ags, 1):
            B.add_edge(aid, f"item:{n}", role=role, position=pos)
        for a, b in itertools.combinations(sorted(a for a, _ in ags), 2):
            if A.has_edge(a, b):
                A.edges[a, b]["weight"] += 1
                A.edges[a, b]["items"].append(str(n))
            else:
                A.add_edge(a, b, weight=1, items=[str(n)], newman=0.5)
        for graph, names, table, prefix in (
            (T, themes, THEMES, "theme"),
            (P, places, PLACES, "place"),
        ):
            for name in names:
                key = f"{prefix}:{table[name][0]}"
                attrs = {
                    "name": name,
                    "label_en": table[name][1],
                    "iri": f"{BASE}{prefix}/{table[name][0]}",
                }
                if prefix == "place":
                    attrs |= {"lat": table[name][2], "long": table[name][3]}
                graph.add_node(key, bipartite=1, **attrs)
                for aid, _ in ags:
                    graph.add_node(aid, bipartite=0, **_agency_attrs(aid))
                    if graph.has_edge(aid, key):
                        graph.edges[aid, key]["weight"] += 1
                        graph.edges[aid, key]["items"].append(str(n))
                    else:
                        graph.add_edge(aid, key, weight=1, items=[str(n)])
    for i, aid in enumerate(sorted(A)):
        A.nodes[aid].update(partners=A.degree(aid), weighted_degree=A.degree(aid, weight="weight"),
                            betweenness=round(0.1 * i, 3), community=i % 2)  # fmt: skip
    return {"A": A, "B": B, "T": T, "P": P}
