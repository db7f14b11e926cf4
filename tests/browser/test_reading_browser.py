"""Reading mail in Chromium: remote images wait for the reader, inline images show,
keyboard shortcuts move between messages."""
import re
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.webmail.reading.mails import PNG, message, put
from tests.webmail.reading.recording_server import RecordingServer

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sender_server():
    with RecordingServer() as server:
        yield server


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_no_request_reaches_the_senders_server_until_show_images(alice_page, alice, sender_server):
    page = alice_page
    html = f'<p>Our news</p><img src="{sender_server.url}/pixel.png?who=alice" alt="pixel" id="pixel">'
    folder_id, uid = put(alice, message(subject="Newsletter", html=html, sender="news@shop.example"))
    page.goto(f"/mail/folder/{folder_id}/{uid}/")
    frame = page.frame_locator("iframe.rd-frame")
    frame.locator("text=Our news").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.locator(".rd-remote-bar").is_visible()
    assert sender_server.requests == []

    page.click("text=Show images")
    page.frame_locator("iframe.rd-frame").locator("text=Our news").wait_for()
    assert wait_for(lambda: sender_server.requests), "the image was never requested"
    assert sender_server.requests == ["/pixel.png?who=alice"]
    assert page.locator(".rd-remote-bar").count() == 0
    assert page.errors == []


def test_always_show_from_a_sender_loads_their_images_next_time(alice_page, alice, sender_server):
    page = alice_page
    html = f'<p>Hello</p><img src="{sender_server.url}/a.png" alt="a">'
    first = put(alice, message(subject="one", html=html, sender="news@shop.example"))
    second = put(alice, message(subject="two", html=html, sender="news@shop.example"))
    page.goto("/mail/folder/{}/{}/".format(*first))
    page.click("text=Always show from news@shop.example")
    assert wait_for(lambda: len(sender_server.requests) == 1)
    page.goto("/mail/folder/{}/{}/".format(*second))
    assert wait_for(lambda: len(sender_server.requests) == 2)


def test_inline_cid_images_are_shown(alice_page, alice):
    page = alice_page
    html = '<p>Logo:</p><img src="cid:logo@example.test" alt="logo" width="20" height="20">'
    folder_id, uid = put(alice, message(html=html, inline_images=[("logo@example.test", PNG)]))
    page.goto(f"/mail/folder/{folder_id}/{uid}/")
    image = page.frame_locator("iframe.rd-frame").locator("img[alt=logo]")
    image.wait_for()
    assert wait_for(lambda: image.evaluate("img => img.complete && img.naturalWidth") == 1)


def test_j_and_k_move_between_messages_and_opening_marks_read(alice_page, alice):
    page = alice_page
    day = datetime(2026, 11, 1, tzinfo=UTC)
    older = put(alice, message(subject="Older one", text="o"), internal_date=day)
    newer = put(alice, message(subject="Newer one", text="n"), internal_date=day + timedelta(hours=1))
    page.goto("/mail/folder/{}/{}/".format(*newer))
    page.keyboard.press("j")
    page.wait_for_url("**/mail/folder/{}/{}/".format(*older))
    assert page.locator("h1.rd-subject").inner_text() == "Older one"
    page.keyboard.press("k")
    page.wait_for_url("**/mail/folder/{}/{}/".format(*newer))
    from mailcore.store.fetch import get_message

    assert get_message(alice.pk, *older).seen


def test_e_archives_the_open_message_and_r_opens_the_reply(alice_page, alice):
    page = alice_page
    first = put(alice, message(subject="Keep me", text="k"))
    second = put(alice, message(subject="Archive me", text="a"))
    page.goto("/mail/folder/{}/{}/".format(*first))
    page.keyboard.press("r")
    page.wait_for_url(re.compile(r"/reply/$|\?reply="))  # compose's route, or the fallback
    page.goto("/mail/folder/{}/{}/".format(*second))
    page.keyboard.press("e")
    page.wait_for_url(f"**/mail/folder/{second[0]}/")
    from mailcore.store.models import Folder, Message

    archive = Folder.objects.get(account=alice, special_use="\\Archive")
    assert list(Message.objects.filter(folder=archive).values_list("subject", flat=True)) == ["Archive me"]
