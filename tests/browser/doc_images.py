"""Screenshots for docs/: a browser test calls `keep(page, "name")`; with
HOPTHU_DOC_IMAGES=1 in the environment the page is saved as docs/img/<name>.png (then
committed), otherwise nothing is written, so ordinary runs leave the tree alone."""
import os
from pathlib import Path

DOCS_IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def keep(page, name: str) -> None:
    if os.environ.get("HOPTHU_DOC_IMAGES") != "1":
        return
    DOCS_IMG.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS_IMG / f"{name}.png"))
