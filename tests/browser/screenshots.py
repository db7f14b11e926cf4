"""Screenshots of pages under test, for the docs.

`screenshot(page, name)` writes a PNG of the whole page. With HOPTHU_SCREENSHOTS=docs in the
environment it goes to docs/img/<name>.png, the pictures the docs show (commit them);
otherwise to a temporary folder, so an ordinary test run leaves the tree clean but still
makes every picture (a page that cannot be drawn fails the test either way).

    HOPTHU_SCREENSHOTS=docs python -m pytest tests/browser/test_panel_dashboard_browser.py
"""
import os
import tempfile
from pathlib import Path

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    for_docs = os.environ.get("HOPTHU_SCREENSHOTS") == "docs"
    folder = DOCS_IMG if for_docs else Path(tempfile.gettempdir()) / "hopthu-shots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


def scrolls_sideways(page) -> bool:
    """Whether the document is wider than the window (the page scrolls horizontally)."""
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
