"""Screenshots of the webmail and the panel for the docs (docs/img/*.png), made by the browser tests.

The tests that check a screen's layout call `screenshot(page, "name")` once the page is in the
state they asserted, so a picture in the docs shows a screen that passed its test. A normal run
writes them under the system's temporary directory (hopthu-screenshots/), so the helper runs every
time and leaves the work tree clean; with HOPTHU_SCREENSHOTS=docs they go to docs/img/ to be
committed:

    HOPTHU_SCREENSHOTS=docs .venv/bin/python -m pytest tests/browser/test_list_layout_browser.py

Shots are PNG, of the viewport the test set (1366×800 or 390×844), or of the whole page when
full_page is asked for; the caret and animations are frozen so two runs give the same picture
for the same page.
"""
import os
import tempfile
from pathlib import Path

DOCS_IMG = Path(__file__).resolve().parent.parent.parent / "docs" / "img"


def target_dir() -> Path:
    if os.environ.get("HOPTHU_SCREENSHOTS") == "docs":
        return DOCS_IMG
    return Path(tempfile.gettempdir()) / "hopthu-screenshots"


def screenshot(page, name: str, full_page: bool = False) -> Path:
    """Save a PNG of page as <name>.png; return its path."""
    if not name.replace("-", "").isalnum():
        raise ValueError(f"a screenshot name is letters, digits and dashes: {name!r}")
    folder = target_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="hide")
    return path
