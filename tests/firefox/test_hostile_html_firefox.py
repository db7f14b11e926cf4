"""Hostile HTML mail opened in Firefox: nothing runs, navigates, or phones home.

Each mail is one entry of the shared corpus (tests/webmail/reading/hostile.py, whose
payloads try to retitle or navigate the top page and to load from "{evil}", here a local
recording server), plus a payload of the same kind that would leave a mark we can read:
a data-ran attribute on the frame's <html> and a window.ran global. The sanitiser should
remove them; the frame's sandbox and CSP must stop whatever it missed, in Firefox too.
"""
import time

import pytest

from tests.webmail.reading.hostile import corpus
from tests.webmail.reading.mails import message, put
from tests.webmail.reading.recording_server import RecordingServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

MARK = "document.documentElement.setAttribute('data-ran','yes');window.ran=1;top.document.title='pwned'"
MARKING = {
    "script": f"<script>{MARK}</script>",
    "img_onerror": f"<img src=\"x\" onerror=\"{MARK}\" alt=\"broken\">",
    "javascript_links": f"<a href=\"javascript:{MARK}\">click me</a>",
    "meta_refresh": "<meta http-equiv=\"refresh\" content=\"0;url=javascript:" + MARK.replace("'", "%27") + "\">",
}


@pytest.fixture
def evil():
    with RecordingServer() as server:
        yield server


def test_the_marks_are_made_where_scripts_may_run(tab):
    """The control: the same payloads do run in an ordinary page, so the checks below
    would see them if they ran in the reading page."""
    tab.goto("data:text/html,<title>control</title>" + MARKING["img_onerror"])
    tab.wait_for("document.documentElement.getAttribute('data-ran') === 'yes'", timeout=5)
    assert tab.evaluate("window.ran") == 1


def click_mail_links(tab, frame):
    """Hover every element of the mail with the mouse, and click the marking link (what is
    left of it: the sanitiser strips ids and javascript: hrefs), through the frame."""
    offset = tab.evaluate("(r => [r.left, r.top])(document.querySelector('iframe.rd-frame').getBoundingClientRect())")
    boxes = tab.evaluate("Array.from(document.querySelectorAll('body *')).slice(0, 40).map(e => {"
                         "const r = e.getBoundingClientRect();"
                         "return [e.textContent === 'click me', r.left + r.width / 2, r.top + r.height / 2]})",
                         frame=frame, sandbox="test")
    clicked = 0
    for marking_link, x, y in boxes:
        tab.pointer_at(offset[0] + x, offset[1] + y, click=marking_link)
        clicked += marking_link
    return clicked


@pytest.mark.parametrize("name", sorted(MARKING))
def test_a_hostile_mail_neither_runs_nor_navigates_nor_loads_anything(alice_tab, alice, evil, web, name):
    tab = alice_tab
    folder_id, uid = put(alice, message(subject=f"Hostile {name}",
                                        html=corpus(evil.url)[name] + MARKING[name]))
    message_url = f"{web}/mail/folder/{folder_id}/{uid}/"
    body_url = f"{message_url}body/"

    tab.goto(message_url)
    (frame,) = tab.frames()
    assert frame["url"] == body_url
    clicked = click_mail_links(tab, frame["context"])
    assert clicked == (name == "javascript_links")
    time.sleep(0.3)  # a zero-second meta refresh, had it survived, fires by now

    assert tab.evaluate("document.title") == f"Hostile {name} · HopThu"
    assert tab.url == message_url
    assert tab.frames() == [{"context": frame["context"], "url": body_url}]
    assert tab.evaluate("document.documentElement.getAttribute('data-ran')", frame=frame["context"]) is None
    assert tab.evaluate("window.ran", frame=frame["context"]) is None
    assert tab.dialogs() == [] and tab.popups() == []
    assert evil.requests == []
    # data: URLs (the webmail's own fonts, say) reach no server; anything else must be ours.
    assert [request for request in tab.requests() if not request.split(" ", 1)[1].startswith((web, "data:"))] == []
    assert tab.errors() == []
