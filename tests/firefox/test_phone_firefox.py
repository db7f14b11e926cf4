"""The webmail at phone width in Firefox: no sideways scrolling, the folders behind a menu."""
import pytest

from tests.firefox.conftest import sign_in
from tests.webmail.reading.mails import message, put

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTH = 375  # an iPhone SE / small Android, in CSS pixels

SCROLL_WIDTH = "document.documentElement.scrollWidth"


def test_the_list_the_message_and_compose_fit_a_phone(tab, alice):
    tab.set_viewport(WIDTH, 740)
    sign_in(tab, "alice@example.test")
    folder_id, uid = put(alice, message(
        subject="A rather long subject line that would not fit on one line of a small phone",
        html="<p>" + "Averyveryverylongwordwithoutanyspaces" * 4 + "</p>"
             "<table width=900><tr><td>wide</td></tr></table>"))
    tab.goto(f"/mail/folder/{folder_id}/")
    assert tab.evaluate("window.innerWidth") == WIDTH
    assert tab.evaluate(SCROLL_WIDTH) <= WIDTH
    assert not tab.visible("#wm-sidebar")
    tab.click(".wm-menu")
    tab.wait_for("document.querySelector('.wm-menu').getAttribute('aria-expanded') === 'true'")
    assert tab.visible("#wm-sidebar")

    tab.goto(f"/mail/folder/{folder_id}/{uid}/")
    assert tab.evaluate(SCROLL_WIDTH) <= WIDTH  # a wide mail scrolls inside its frame, not the page
    tab.goto("/mail/compose/")
    assert tab.evaluate(SCROLL_WIDTH) <= WIDTH
    assert tab.errors() == []
