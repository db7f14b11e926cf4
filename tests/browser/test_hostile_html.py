"""The hostile HTML corpus opened in Chromium: nothing runs, navigates, or phones home.

Each mail of tests/webmail/reading/hostile.py is put in alice's INBOX with "{evil}"
pointing at a local recording server. The payloads try alert(), changing the reading
page's title to "pwned", navigating the top page, and loading from the evil server.
"""
import pytest

from tests.webmail.reading.hostile import CORPUS, corpus
from tests.webmail.reading.mails import message, put
from tests.webmail.reading.recording_server import RecordingServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def evil():
    with RecordingServer() as server:
        yield server


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_hostile_mail_neither_runs_nor_navigates_nor_loads_anything(alice_page, alice, evil, web, name):
    page = alice_page
    dialogs, requests, navigations, popups = [], [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.on("popup", lambda popup: popups.append(popup.url))
    folder_id, uid = put(alice, message(subject=f"Hostile {name}", html=corpus(evil.url)[name]))
    message_url = f"{web}/mail/folder/{folder_id}/{uid}/"
    body_url = f"{web}/mail/folder/{folder_id}/{uid}/body/"

    page.goto(message_url)
    page.wait_for_load_state("networkidle")
    frame = page.frame_locator("iframe.rd-frame")
    frame.locator("body").wait_for()
    # Give event-handler payloads their chance: hover and click everything in the frame.
    for element in frame.locator("body *").all()[:40]:
        if element.is_visible():
            element.hover(timeout=2000)
    page.wait_for_timeout(300)

    assert dialogs == [] and popups == []
    assert page.title() == f"Hostile {name} · HopThu"
    assert page.evaluate("document.title") != "pwned"
    assert page.url == message_url
    assert navigations == [message_url, body_url]
    assert [f.url for f in page.frames] == [message_url, body_url]
    assert evil.requests == []
    assert [url for url in requests if not url.startswith(web)] == []
    assert page.errors == []
