"""`make screenshots`: build the collection into a scratch project, serve it, and save a
screenshot of each page type (tests/page_types.py) at 1280 px (the whole page) and at 390 px
(the first screen) into docs/screenshots/. A page longer than MAX_HEIGHT is cut there, to keep
the repository small; the pages' heights are printed."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from memorial_graph.build import build
from memorial_graph.config import Config
from tests.conftest import ROOT, copy_project
from tests.page_types import PAGE_TYPES, settle
from tests.server import running_server

OUT = ROOT / "docs" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
MAX_HEIGHT = 3000
SIZES = {"desktop": ({"width": 1280, "height": 900}, True), "phone": ({"width": 390, "height": 844}, False)}


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch))
        build(Config.for_project(project))
        with running_server(project) as base, sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                          args=["--no-sandbox", "--disable-gpu"])
            for size, (viewport, full_page) in SIZES.items():
                context = chromium.new_context(base_url=base, viewport=viewport, locale="en-GB")
                page = context.new_page()
                for name, path in PAGE_TYPES.items():
                    page.goto(path)
                    settle(page, name)
                    target = OUT / f"{name}-{size}.png"
                    height = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": viewport["width"],
                            "height": min(height, MAX_HEIGHT) if full_page else viewport["height"]}
                    page.screenshot(path=str(target), full_page=full_page, clip=clip)
                    print(f"{target.relative_to(ROOT)}  (page {height} px tall)")
                context.close()
            chromium.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
