"""Take the README's screenshot of the agency view: ``docs/images/agencies.png``.

Builds the views of the bundled notice into a temporary folder, opens ``agencies.html`` in
headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright, network blocked) and saves
a 1280×760 screenshot with 省港澳办 searched (its details in the side panel) (quantised to 256 colours
only if the PNG would exceed 280 KB, to keep the README light).

    python3 scripts/screenshot_readme.py [OUT.png]
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "images" / "agencies.png"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def screenshot(out: Path = OUT) -> Path:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    from graph.extract.notice import extract_file
    from graph.rdf.build import build_graph
    from graph.views.render import write_all_views

    with tempfile.TemporaryDirectory() as tmp:
        index = write_all_views(build_graph([extract_file(None)]), Path(tmp))
        page_path = index.parent / "agencies.html"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS, headless=True
            )
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort(),
            )
            page.goto(page_path.as_uri())
            page.wait_for_timeout(1500)  # let vis-network draw
            search = page.get_by_placeholder("名称", exact=False)
            search.fill("省港澳办")  # select an agency so the side panel shows its items
            search.press("Enter")
            page.wait_for_timeout(800)
            png = page.screenshot()
            browser.close()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    if len(png) > 280_000:  # keep the README light: fall back to a 256-colour palette
        image = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out.parent.mkdir(parents=True, exist_ok=True)
    image.save(out, optimize=True)
    return out


if __name__ == "__main__":
    path = screenshot(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"{path} ({path.stat().st_size // 1024} KB)")
