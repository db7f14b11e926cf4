"""The page's action forms post to the mailbox's act endpoint and work there."""
import re

from django.urls import reverse

from mailcore.store.models import Folder, Message
from tests.webmail.reading.mails import message, put


def form_for(html, action):
    """Return (action URL, fields) of the page's form with this action value."""
    for form in re.findall(r"<form method=\"post\" action=\"([^\"]*)\"[^>]*>(.*?)</form>", html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[1]))
        if fields.get("action") == action:
            return form[0], fields
    raise AssertionError(f"no {action} form")


def test_archive_from_the_page_moves_the_message_and_returns_to_the_folder(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    url, fields = form_for(html, "archive")
    assert url == reverse("webmail:act", args=[folder_id])
    response = alice_client.post(url, fields)
    assert response.status_code == 302 and response["Location"] == reverse("webmail:folder", args=[folder_id])
    archive = Folder.objects.get(account=alice, special_use="\\Archive")
    assert Message.objects.filter(folder=archive).count() == 1
    assert not Message.objects.filter(folder_id=folder_id).exists()


def test_move_from_the_page_offers_the_other_folders(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    sent = Folder.objects.get(account=alice, special_use="\\Sent")
    assert f'name="move_to" value="{sent.pk}"' in html
    assert f'name="move_to" value="{folder_id}"' not in html
    (form,) = re.findall(r'<form method="post" action="([^"]*)" class="inline rd-move">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form[1]))
    alice_client.post(form[0], {**fields, "move_to": sent.pk})  # the menu entry's button
    assert Message.objects.filter(folder=sent).count() == 1


def test_the_older_target_field_still_moves(alice_client, alice):
    """A form or script that posts action=move with target=<id> (as before the menu) works."""
    folder_id, uid = put(alice, message(text="x"))
    sent = Folder.objects.get(account=alice, special_use="\\Sent")
    alice_client.post(reverse("webmail:act", args=[folder_id]), {"uid": uid, "action": "move", "target": sent.pk})
    assert Message.objects.filter(folder=sent).count() == 1


def test_mark_unread_from_the_page_clears_seen(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    html = alice_client.get(reverse("webmail:message", args=[folder_id, uid])).content.decode()
    assert Message.objects.get(folder_id=folder_id, uid=uid).seen
    url, fields = form_for(html, "unread")
    alice_client.post(url, fields)
    assert not Message.objects.get(folder_id=folder_id, uid=uid).seen
