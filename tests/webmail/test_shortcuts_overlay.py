"""The "?" overlay lists every keyboard shortcut the pages offer, in both languages
(the browser side: tests/browser/test_shell_browser.py, tests/firefox/test_layout_firefox.py)."""
import re
from pathlib import Path

import pytest

from tests.test_translations import compiled_messages, restore_language  # noqa: F401 (fixtures)

ROOT = Path(__file__).resolve().parent.parent.parent
OVERLAY = ROOT / "webmail" / "templates" / "webmail" / "shortcuts.html"
SCRIPT = ROOT / "webmail" / "static" / "webmail" / "webmail.js"


def listed_keys() -> set[str]:
    return set(re.findall(r"<kbd>([^<]+)</kbd>", OVERLAY.read_text()))


def test_every_shortcut_of_a_template_is_in_the_overlay():
    offered = set()
    for path in (ROOT / "webmail" / "templates").rglob("*.html"):
        for keys in re.findall(r'data-shortcut="([^"{]+)"', path.read_text()):
            offered.update(keys.split())
    assert {"c", "/", "e", "#", "r", "a", "f", "j", "k", "n", "p", "u"} <= offered
    assert offered <= listed_keys(), f"not in the overlay: {sorted(offered - listed_keys())}"


def test_the_list_keys_of_the_script_are_in_the_overlay():
    script = SCRIPT.read_text()
    handled = set(re.findall(r'key === "([^"]+)"', script)) - {"Escape", "?"}
    assert {"j", "k", "o", "Enter", "x", "s"} <= handled
    assert handled <= listed_keys()
    assert {"?", "Esc"} <= listed_keys()


@pytest.mark.django_db
def test_every_webmail_page_carries_the_overlay(alice_client):
    html = alice_client.get("/mail/", follow=True).content.decode()
    assert '<dialog id="wm-shortcuts"' in html and "data-shortcuts-open" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("compiled_messages")
def test_the_overlay_speaks_vietnamese(alice_client, alice):
    from webmail.models import preferences_for

    preferences = preferences_for(alice)
    preferences.language = "vi"
    preferences.save()
    html = alice_client.get("/mail/", follow=True).content.decode()
    assert "Phím tắt" in html
