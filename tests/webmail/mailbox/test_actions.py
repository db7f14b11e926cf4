"""Actions on selected messages, done through the store so IMAP sees them at once."""
import pytest

from mailcore.store.models import Folder, Message

pytestmark = pytest.mark.django_db


def act(client, folder, action, uids=(), **extra):
    return client.post(f"/mail/folder/{folder.pk}/act/", {"action": action, "uid": list(uids), **extra})


def folder_of(alice, special_use):
    return Folder.objects.get(account=alice, special_use=special_use)


@pytest.mark.parametrize(("action", "field", "value"), [
    ("read", "seen", True), ("flag", "flagged", True),
])
def test_flag_actions_change_the_flag_and_the_modseq(alice_client, put, inbox, action, field, value):
    added = put()
    before = Folder.objects.get(pk=inbox.pk).highestmodseq
    response = act(alice_client, inbox, action, [added.uid])
    assert response.status_code == 302
    message = Message.objects.get(pk=added.message_id)
    assert getattr(message, field) is value
    assert message.modseq > before


def test_unread_and_unflag_take_the_flags_back(alice_client, put, inbox):
    added = put(flags=["\\Seen", "\\Flagged"])
    act(alice_client, inbox, "unread", [added.uid])
    act(alice_client, inbox, "unflag", [added.uid])
    message = Message.objects.get(pk=added.message_id)
    assert (message.seen, message.flagged) == (False, False)


def test_delete_moves_to_trash_and_delete_in_trash_removes_for_good(alice_client, alice, put, inbox):
    added = put(subject="doomed")
    act(alice_client, inbox, "delete", [added.uid])
    trash = folder_of(alice, "\\Trash")
    in_trash = Message.objects.get(folder=trash, subject="doomed")
    assert not Message.objects.filter(folder=inbox).exists()
    act(alice_client, trash, "delete", [in_trash.uid])
    assert not Message.objects.filter(subject="doomed").exists()


@pytest.mark.parametrize(("action", "special_use"), [("archive", "\\Archive"), ("spam", "\\Junk")])
def test_archive_and_report_spam_move_to_their_folders(alice_client, alice, put, inbox, action, special_use):
    added = put(subject="moving")
    act(alice_client, inbox, action, [added.uid])
    assert Message.objects.get(subject="moving").folder == folder_of(alice, special_use)


def test_not_spam_moves_back_to_the_inbox(alice_client, alice, put, inbox):
    added = put("Junk", subject="ham")
    act(alice_client, folder_of(alice, "\\Junk"), "notspam", [added.uid])
    assert Message.objects.get(subject="ham").folder == inbox


def test_move_to_a_chosen_folder(alice_client, alice, put, inbox):
    from mailcore.store.folders import create_folder

    work = create_folder(alice.pk, "Work")
    added = put(subject="report")
    act(alice_client, inbox, "move", [added.uid], target=work.pk)
    assert Message.objects.get(subject="report").folder == work


def test_move_to_another_accounts_folder_is_refused(alice_client, bob, put, inbox):
    bobs_inbox = Folder.objects.get(account=bob, name="INBOX")
    added = put(subject="stay")
    response = act(alice_client, inbox, "move", [added.uid], target=bobs_inbox.pk)
    assert response.status_code == 302
    assert Message.objects.get(subject="stay").folder == inbox
    assert not Message.objects.filter(folder=bobs_inbox).exists()


def test_empty_trash_removes_everything_in_it(alice_client, alice, put):
    for _n in range(3):
        put("Trash")
    trash = folder_of(alice, "\\Trash")
    act(alice_client, trash, "empty")
    assert not Message.objects.filter(folder=trash).exists()
    alice.refresh_from_db()
    assert alice.message_count == 0


def test_the_inbox_cannot_be_emptied(alice_client, put, inbox):
    put()
    response = act(alice_client, inbox, "empty", follow=False)
    assert response.status_code == 302
    assert Message.objects.filter(folder=inbox).count() == 1


def test_a_conversation_selected_acts_on_all_its_messages(alice_client, alice, put, inbox):
    root = put(subject="plan", message_id="<root@example.test>")
    put(subject="Re: plan", in_reply_to="<root@example.test>", references="<root@example.test>")
    thread = Message.objects.get(pk=root.message_id).thread
    alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"action": "archive", "thread": thread})
    assert Message.objects.filter(folder=folder_of(alice, "\\Archive")).count() == 2


def test_json_callers_get_the_count_and_errors(alice_client, put, inbox):
    added = put()
    headers = {"HTTP_ACCEPT": "application/json"}
    done = alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"action": "read", "uid": added.uid}, **headers)
    assert done.json()["done"] == 1
    refused = alice_client.post(f"/mail/folder/{inbox.pk}/act/", {"action": "read"}, **headers)
    assert refused.status_code == 400
    assert "Select" in refused.json()["error"]


def test_an_outside_next_url_is_not_followed(alice_client, put, inbox):
    added = put()
    response = act(alice_client, inbox, "read", [added.uid], next="https://evil.example/")
    assert response["Location"] == f"/mail/folder/{inbox.pk}/"


def test_get_is_not_allowed(alice_client, inbox):
    assert alice_client.get(f"/mail/folder/{inbox.pk}/act/").status_code == 405


def test_changes_are_seen_over_imap_semantics(alice_client, put, inbox):
    from mailcore.store.models import Expunged

    added = put()
    act(alice_client, inbox, "archive", [added.uid])
    assert Expunged.objects.filter(folder=inbox, uid=added.uid).exists()
