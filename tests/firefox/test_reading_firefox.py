"""Reading a message in Firefox: its HTML body shows in the sandboxed frame, and its links
open in a new tab."""
import time

import pytest

from tests.webmail.reading.mails import message, put
from tests.webmail.reading.recording_server import RecordingServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_an_html_message_shows_its_body_in_the_sandboxed_frame(alice_tab, alice, web):
    tab = alice_tab
    folder_id, uid = put(alice, message(subject="Quarterly report", text="Numbers are up.",
                                        html="<p>Numbers are <b>up</b> this quarter.</p>"))
    tab.goto(f"/mail/folder/{folder_id}/")
    tab.click(f"a[href='/mail/folder/{folder_id}/{uid}/']")  # from the list, as a reader would
    tab.wait_for_url(f"/mail/folder/{folder_id}/{uid}/")
    assert tab.text("h1.rd-subject") == "Quarterly report"
    assert tab.evaluate("document.querySelector('iframe.rd-frame').sandbox.value") == \
        "allow-popups allow-popups-to-escape-sandbox"
    (frame,) = tab.frames()
    assert frame["url"] == f"{web}/mail/folder/{folder_id}/{uid}/body/"
    # Read through a sandbox realm: the frame itself may run no script at all.
    assert tab.evaluate("document.body.innerText", frame=frame["context"], sandbox="test").strip() == \
        "Numbers are up this quarter."
    assert tab.evaluate("document.querySelector('b').textContent", frame=frame["context"], sandbox="test") == "up"
    # Its opaque origin keeps the page (and so the mail) apart from the webmail's.
    assert tab.evaluate("document.querySelector('iframe.rd-frame').contentDocument") is None
    assert tab.errors() == []


def test_a_link_in_the_mail_opens_in_a_new_tab(alice_tab, alice):
    tab = alice_tab
    with RecordingServer() as site:
        html = f'<p><a href="{site.url}/rsvp">Reply here</a></p>'
        folder_id, uid = put(alice, message(subject="Invitation", html=html))
        tab.goto(f"/mail/folder/{folder_id}/{uid}/")
        (frame,) = tab.frames()
        tab.pointer_at(*tab.point_in_frame("iframe.rd-frame", frame["context"], "a"), click=True)
        deadline = time.monotonic() + 5
        while not site.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert site.requests == ["/rsvp"]
    assert len(tab.popups()) == 1  # created as about:blank, then navigated to the link
    assert tab.url.endswith(f"/mail/folder/{folder_id}/{uid}/")  # the webmail stays where it was
