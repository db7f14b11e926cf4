"""Opening a message marks it \\Seen in the store, where IMAP sees it."""
from django.urls import reverse

from mailcore.store.fetch import get_message
from tests.webmail.reading.mails import message, put


def test_opening_an_unseen_message_marks_it_seen_with_a_new_modseq(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"))
    before = get_message(alice.pk, folder_id, uid)
    assert "\\Seen" not in before.flags
    alice_client.get(reverse("webmail:message", args=[folder_id, uid]))
    after = get_message(alice.pk, folder_id, uid)
    assert "\\Seen" in after.flags
    assert after.modseq > before.modseq  # so CONDSTORE clients pick the change up


def test_opening_a_seen_message_changes_nothing(alice_client, alice):
    folder_id, uid = put(alice, message(text="x"), flags=["\\Seen"])
    before = get_message(alice.pk, folder_id, uid)
    alice_client.get(reverse("webmail:message", args=[folder_id, uid]))
    assert get_message(alice.pk, folder_id, uid).modseq == before.modseq


def test_the_body_frame_and_raw_source_do_not_mark_it_seen(alice_client, alice):
    folder_id, uid = put(alice, message(html="<p>x</p>"))
    alice_client.get(reverse("webmail:body", args=[folder_id, uid]))
    alice_client.get(reverse("webmail:raw", args=[folder_id, uid]))
    assert "\\Seen" not in get_message(alice.pk, folder_id, uid).flags
