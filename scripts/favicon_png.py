"""Render static/favicon.svg to the PNG icons beside it, with Debian's Chromium.

Browsers that take no SVG icon (Safari's tabs, iOS home screens, older Firefox ESR) use
the PNGs: favicon.png (32×32) and apple-touch-icon.png (180×180). Run after changing the
SVG: `.venv/bin/python scripts/favicon_png.py`; commit the PNGs it writes. Playwright is a
development tool (requirements-dev.txt: `make venv-dev`), not installed by `make run`.
"""
import shutil
from pathlib import Path

from playwright.sync_api import sync_playwright

STATIC = Path(__file__).resolve().parent.parent / "static"
# name: (size, square corners: iOS rounds the home-screen icon itself and shows
# transparent corners as black)
SIZES = {"favicon.png": (32, False), "apple-touch-icon.png": (180, True)}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def main():
    svg = (STATIC / "favicon.svg").read_text()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for name, (size, square) in SIZES.items():
            page = browser.new_page(viewport={"width": size, "height": size})
            sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
            if square:
                sized = sized.replace('rx="7"', 'rx="0"', 1)
            page.set_content(f"<html><body style='margin:0;background:transparent'>{sized}</body></html>")
            page.locator("svg").screenshot(path=str(STATIC / name), omit_background=True)
            page.close()
        browser.close()
    print("wrote", ", ".join(SIZES))


if __name__ == "__main__":
    main()
