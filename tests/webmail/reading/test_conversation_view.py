"""Opening a conversation: its messages stacked for reading, oldest first; the newest and the
unread ones open, the others folded; what was opened is marked read through the store."""
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from mailcore.store.models import Message
from tests.webmail.reading.mails import message, put

pytestmark = pytest.mark.django_db

START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def conversation(alice, size=4, unread=(), html_at=()):
    """A chain of replies (References, RFC 5322 §3.6.4); returns (folder_id, uids, thread)."""
    uids, ids, folder_id = [], [], None
    for n in range(size):
        html = n in html_at
        raw = message(subject="Kế hoạch" if n == 0 else "Re: Kế hoạch", sender=f"Người {n} <p{n}@example.org>",
                      text=None if html else f"Nội dung số {n}", html=f"<p>HTML số {n}</p>" if html else None)
        headers = f"In-Reply-To: {ids[-1]}\r\nReferences: {' '.join(ids)}\r\n".encode() if ids else b""
        own_id = f"<c{n}@example.org>"
        raw = headers + re.sub(rb"Message-ID: <[^>]+>", f"Message-ID: {own_id}".encode(), raw)
        ids.append(own_id)
        flags = () if n in unread else ["\\Seen"]
        folder_id, uid = put(alice, raw, flags=flags, internal_date=START + timedelta(hours=n))
        uids.append(uid)
    thread = Message.objects.get(folder_id=folder_id, uid=uids[0]).thread
    assert Message.objects.filter(thread=thread).count() == size
    return folder_id, uids, thread


def url(folder_id, thread):
    return reverse("webmail:thread", args=[folder_id, thread])


def opened(html):
    return [bool(flag) for flag in re.findall(r'<details class="th-message[^"]*"( open)?', html)]


def test_the_newest_message_is_open_and_the_older_ones_folded(alice_client, alice):
    folder_id, _uids, thread = conversation(alice)
    html = alice_client.get(url(folder_id, thread)).content.decode()
    assert opened(html) == [False, False, False, True]
    assert html.index("Người 0") < html.index("Người 3")  # oldest first, top to bottom
    bodies = re.findall(r'<div class="rd-plain">([^<]*)', html)  # every body, folded or not:
    assert [body.strip() for body in bodies] == [f"Nội dung số {n}" for n in range(4)]  # opening needs no request
    assert "4 messages in this conversation" in html


def test_unread_messages_open_and_become_read_in_the_store(alice_client, alice):
    folder_id, _uids, thread = conversation(alice, unread=(1, 3))
    html = alice_client.get(url(folder_id, thread)).content.decode()
    assert opened(html) == [False, True, False, True]
    assert html.count('class="th-message unread"') == 2  # marked as new on this visit
    assert not Message.objects.filter(folder_id=folder_id, seen=False).exists()


def test_only_the_newest_message_takes_the_reply_shortcuts(alice_client, alice):
    folder_id, uids, thread = conversation(alice, size=3)
    html = alice_client.get(url(folder_id, thread)).content.decode()
    for key, name in (("r", "reply"), ("a", "reply_all"), ("f", "forward")):
        assert html.count(f'data-shortcut="{key}"') == 1
        newest = reverse(f"webmail:{name}", args=[folder_id, uids[-1]])
        assert re.search(rf'href="{re.escape(newest)}" data-shortcut="{key}"', html)


def test_html_bodies_come_in_lazy_sandboxed_frames(alice_client, alice):
    folder_id, _uids, thread = conversation(alice, size=3, html_at=(0, 2))
    html = alice_client.get(url(folder_id, thread)).content.decode()
    frames = re.findall(r"<iframe [^>]*>", html)
    assert len(frames) == 2
    for frame in frames:
        assert 'loading="lazy"' in frame and 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in frame
    assert "allow-scripts" not in html and "allow-same-origin" not in html


def test_a_very_long_conversation_loads_only_its_newest_bodies(alice_client, alice, monkeypatch):
    from webmail.reading import thread as thread_view

    monkeypatch.setattr(thread_view, "MAX_BODIES", 2)
    folder_id, uids, thread = conversation(alice, size=4)
    html = alice_client.get(url(folder_id, thread)).content.decode()
    bodies = re.findall(r'<div class="rd-plain">([^<]*)', html)
    assert [body.strip() for body in bodies] == ["Nội dung số 2", "Nội dung số 3"]
    older = reverse("webmail:message", args=[folder_id, uids[0]])
    assert f'<p class="th-body th-older"><a href="{older}">' in html


def test_conversation_actions_act_on_every_message(alice_client, alice):
    folder_id, _uids, thread = conversation(alice, size=3)
    html = alice_client.get(url(folder_id, thread)).content.decode()
    assert f'<input type="hidden" name="thread" value="{thread}">' in html
    alice_client.post(reverse("webmail:act", args=[folder_id]), {"thread": thread, "action": "archive"})
    assert set(Message.objects.filter(thread=thread).values_list("folder__special_use", flat=True)) == {"\\Archive"}


def test_an_unknown_conversation_goes_back_to_the_folder(alice_client, alice):
    folder_id, _uid = put(alice, message(text="x"))
    response = alice_client.get(url(folder_id, "nosuchthread"))
    assert response.status_code == 302 and response["Location"] == reverse("webmail:folder", args=[folder_id])


def test_another_accounts_conversation_is_not_found(alice, charlie):
    from django.test import Client

    folder_id, uids, thread = conversation(alice, size=2, unread=(1,))
    client = Client()
    client.force_login(charlie.user)
    assert client.get(url(folder_id, thread)).status_code == 404
    assert Message.objects.get(folder_id=folder_id, uid=uids[1]).seen is False  # nothing was marked
