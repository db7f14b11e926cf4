"""Search results act like a folder list: the same bulk actions (across folders), a Folder
column when the results span folders, and one meaning of "date": arrival time."""
from datetime import UTC, datetime

import pytest

from mailcore.store.models import Folder, Message
from tests.test_translations import compiled_messages, restore_language  # noqa: F401 (fixtures)

from .conftest import make_raw

pytestmark = pytest.mark.django_db


def folder_of(alice, special_use):
    return Folder.objects.get(account=alice, special_use=special_use)


def found(*appended):
    return [f"{a.folder_id}:{a.uid}" for a in appended]


def act(client, action, messages, wants_json=False, **extra):
    headers = {"Accept": "application/json"} if wants_json else {}
    return client.post("/mail/search/act/", {"action": action, "message": messages, **extra}, headers=headers)


def subjects(response):
    return [row.subject for row in response.context["page"].rows]


def test_the_results_page_offers_the_folder_lists_bulk_actions(alice_client, put):
    put(subject="invoice one")
    body = alice_client.get("/mail/search/", {"q": "invoice"}).content.decode()
    assert 'id="bulk"' in body and 'action="/mail/search/act/"' in body
    for action in ("archive", "delete", "read", "unread", "flag", "unflag"):
        assert f'name="action" value="{action}"' in body
    assert 'name="move_to"' in body
    assert 'name="message" value="' in body


def test_mark_read_and_flag_reach_results_in_two_folders(alice_client, alice, put):
    in_inbox = put(subject="invoice inbox")
    in_archive = put(folder="Archive", subject="invoice archived")
    response = act(alice_client, "read", found(in_inbox, in_archive), next="/mail/search/?q=invoice")
    assert response.status_code == 302 and response["Location"] == "/mail/search/?q=invoice"
    act(alice_client, "flag", found(in_inbox, in_archive))
    for added in (in_inbox, in_archive):
        message = Message.objects.get(pk=added.message_id)
        assert (message.seen, message.flagged) == (True, True)
    act(alice_client, "unread", found(in_inbox, in_archive))
    assert not Message.objects.filter(pk__in=[in_inbox.message_id, in_archive.message_id], seen=True).exists()


def test_move_to_takes_results_from_two_folders_to_one(alice_client, alice, put):
    from mailcore.store.folders import create_folder

    target = create_folder(alice.pk, "Receipts")
    in_inbox = put(subject="invoice inbox")
    in_archive = put(folder="Archive", subject="invoice archived")
    response = act(alice_client, "", found(in_inbox, in_archive), move_to=target.pk)
    assert response.status_code == 302
    moved = Message.objects.filter(folder_id=target.pk)
    assert sorted(moved.values_list("subject", flat=True)) == ["invoice archived", "invoice inbox"]
    assert not Message.objects.filter(folder_id__in=[in_inbox.folder_id, in_archive.folder_id]).exists()


def test_delete_does_what_each_folder_does(alice_client, alice, put):
    in_inbox = put(subject="invoice inbox")
    in_trash = put(folder="Trash", subject="invoice trashed")
    act(alice_client, "delete", found(in_inbox, in_trash))
    trash = folder_of(alice, "\\Trash")
    # The Inbox's one goes to Trash; the one already in Trash is removed for good.
    assert list(Message.objects.filter(folder=trash).values_list("subject", flat=True)) == ["invoice inbox"]


def test_archive_moves_results_to_the_archive(alice_client, alice, put):
    in_inbox = put(subject="invoice inbox")
    act(alice_client, "archive", found(in_inbox))
    assert Message.objects.get(folder=folder_of(alice, "\\Archive")).subject == "invoice inbox"


def test_a_result_already_in_the_target_folder_stays_as_it_is(alice_client, alice, put):
    in_inbox = put(subject="invoice inbox")
    in_archive = put(folder="Archive", subject="invoice archived")
    response = act(alice_client, "archive", found(in_inbox, in_archive), wants_json=True)
    assert response.json()["done"] == 1
    assert Message.objects.get(pk=in_archive.message_id).uid == in_archive.uid  # not moved onto itself
    assert Message.objects.get(pk=in_inbox.message_id).folder.special_use == "\\Archive"


def test_answers_json_to_script(alice_client, put):
    added = put(subject="invoice")
    response = alice_client.post("/mail/search/act/", {"action": "read", "message": found(added)},
                                 HTTP_ACCEPT="application/json")
    assert response.json()["done"] == 1


def test_nothing_selected_or_empty_folder_is_refused(alice_client, put):
    added = put(subject="invoice")
    response = act(alice_client, "read", [], wants_json=True)
    assert response.status_code == 400
    response = alice_client.post("/mail/search/act/", {"action": "empty", "message": found(added)},
                                 HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert Message.objects.filter(pk=added.message_id).exists()


def test_hostile_values_are_ignored(alice_client, put):
    added = put(subject="invoice")
    response = act(alice_client, "read", ["x:1", ":", "1:", "-1:-1", "9" * 40 + ":1", f"{added.folder_id}:{added.uid}"],
                   wants_json=True)
    assert response.json()["done"] == 1


def test_another_accounts_messages_cannot_be_touched(bob_client, put):
    added = put(subject="secret")
    response = act(bob_client, "delete", found(added), wants_json=True)
    assert response.status_code == 400
    assert Message.objects.filter(pk=added.message_id).exists()


def test_a_folder_column_when_results_span_folders(alice_client, put):
    put(subject="invoice inbox")
    put(folder="Archive", subject="invoice archived")
    spanning = alice_client.get("/mail/search/", {"q": "invoice"})
    assert spanning.context["shows_folder"] is True
    body = spanning.content.decode()
    assert '<th class="folder" scope="col">Folder</th>' in body
    assert body.count('<td class="folder">') == 2 and "Archive</span></td>" in body and "Inbox</span></td>" in body
    one_folder = alice_client.get("/mail/search/", {"q": "invoice in:archive"})
    assert one_folder.context["shows_folder"] is False
    assert 'class="folder"' not in one_folder.content.decode()


def test_the_list_and_before_after_both_use_the_arrival_date(alice_client, alice):
    """The message's Date field says 2 November; it arrived on 20 October (a delayed or
    back-dated message). The list shows 20 October and before:/after: read that day."""
    from mailcore.store.append import append

    append(alice.pk, "INBOX", make_raw(subject="late invoice"), internal_date=datetime(2026, 10, 20, 12, tzinfo=UTC))
    page = alice_client.get("/mail/search/", {"q": "invoice"})
    assert '<time datetime="2026-10-20T12:00:00+00:00"' in page.content.decode()
    assert "Received" in page.content.decode()
    assert subjects(alice_client.get("/mail/search/", {"q": "invoice before:2026-10-21"})) == ["late invoice"]
    assert subjects(alice_client.get("/mail/search/", {"q": "invoice after:2026-10-20"})) == ["late invoice"]
    assert subjects(alice_client.get("/mail/search/", {"q": "invoice after:2026-10-21"})) == []
    # The Date field's day (2 November) is not what the filters read.
    assert subjects(alice_client.get("/mail/search/", {"q": "invoice after:2026-11-01"})) == []
    assert subjects(alice_client.get("/mail/search/", {"q": "invoice before:2026-10-20"})) == []


@pytest.mark.usefixtures("compiled_messages")
def test_the_results_speak_vietnamese(alice_client, alice, put):
    from webmail.models import preferences_for

    preferences = preferences_for(alice)
    preferences.language = "vi"
    preferences.save()
    put(subject="invoice inbox")
    put(folder="Archive", subject="invoice archived")
    html = alice_client.get("/mail/search/", {"q": "invoice"}).content.decode()
    assert "Ngày nhận" in html and '<th class="folder" scope="col">Thư mục</th>' in html
    assert "Thời điểm thư đến hộp thư này" in html and "Nhận lúc" in html
    assert "ngày thư đến" in alice_client.get("/mail/search/").content.decode()
