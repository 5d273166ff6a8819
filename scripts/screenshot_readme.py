"""Take the README's screenshots of every view: ``docs/images/{agencies,bipartite,themes,places,index}.png``.

Builds the views of the bundled notice into a temporary folder, opens each page in headless
Chromium (Debian's ``/usr/bin/chromium`` through Playwright, every request but ``file:`` aborted)
and saves a 1280×760 screenshot, after doing what a reader would do first:

- ``agencies``: 省港澳办 searched (its partners highlighted, its items in the side panel);
- ``bipartite``: 一带一路 searched (the agencies of its items highlighted);
- ``themes``: 一带一路 selected (its narrower theme linked to it, its items with theirs);
- ``places``: the map as it opens;
- ``index``: the top of the start page.

A PNG over 280 KB is quantised to 256 colours (octree, which keeps the legend's colours) to keep the README light. Look at every image
after taking them (the fonts of the machine decide the pixels).

    python3 scripts/screenshot_readme.py [OUT_DIR]
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: page → (search query or None, node to select or None)
SHOTS = {
    "agencies": ("省港澳办", None),
    "bipartite": ("一带一路", None),
    "themes": (None, "theme:belt-and-road"),
    "places": (None, None),
    "index": (None, None),
}


def _shoot(page, html: Path, query: str | None, select: str | None) -> bytes:
    page.goto(html.as_uri())
    if html.name != "index.html":
        page.wait_for_function("window.ygView && window.ygView.ready === true", timeout=60_000)
    page.wait_for_timeout(500)  # let the first fit and redraw settle
    if query:
        page.fill("#yg-search", query)
        page.press("#yg-search", "Enter")
        page.wait_for_timeout(600)
    if select:
        page.evaluate("id => ygView.select(id)", select)
        page.wait_for_timeout(600)
    return page.screenshot()


def _save(png: bytes, out: Path) -> Path:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    if buffer.tell() > 280_000:  # keep the README light: fall back to a 256-colour palette
        buffer = io.BytesIO()
        quantized = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE)
        quantized.save(buffer, format="PNG", optimize=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out


def screenshots(out_dir: Path = OUT) -> list[Path]:
    """Write one PNG per entry of :data:`SHOTS` into *out_dir*; return their paths."""
    from playwright.sync_api import sync_playwright

    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph
    from graph.views.render import write_all_views

    written = []
    with tempfile.TemporaryDirectory() as tmp:
        index = write_all_views(build_graph([extract_file(None)]), Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
            )
            for name, (query, select) in SHOTS.items():
                png = _shoot(page, index.parent / f"{name}.html", query, select)
                written.append(_save(png, out_dir / f"{name}.png"))
            browser.close()
    return written


if __name__ == "__main__":
    for path in screenshots(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(f"{path} ({path.stat().st_size // 1024} KB)")
