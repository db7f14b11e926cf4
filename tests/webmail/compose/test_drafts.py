"""Drafts: saved to Drafts with \\Draft and \\Seen, each save replacing the last,
reopened for editing, and removed when the message is sent."""
from django.core.files.uploadedfile import SimpleUploadedFile

from mailcore.store.models import Message

from .conftest import form, in_folder, parsed_copy, queued

JSON = {"HTTP_ACCEPT": "application/json"}


def save(client, **fields):
    response = client.post("/mail/compose/", form(action="save", **fields), **JSON)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_draft_is_kept_in_drafts_and_each_save_replaces_it(alice_client, alice):
    first = save(alice_client, to="carol@example.net", subject="Plan", body="v1")
    (draft,) = in_folder(alice, "\\Drafts")
    assert (draft.uid, draft.draft, draft.seen) == (first["uid"], True, True)
    second = save(alice_client, to="carol@example.net", subject="Plan", body="v2", draft_uid=str(first["uid"]))
    (draft,) = in_folder(alice, "\\Drafts")
    assert draft.uid == second["uid"] > first["uid"]
    assert parsed_copy(draft).get_body(("plain",)).get_content().strip() == "v2"


def test_a_draft_may_be_unfinished(alice_client, alice):
    save(alice_client, to="", subject="", body="just an idea")
    assert len(in_folder(alice, "\\Drafts")) == 1


def test_a_bad_address_is_still_refused_in_a_draft(alice_client, alice):
    response = alice_client.post("/mail/compose/", form(action="save", cc="not an address"), **JSON)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cc"]


def test_without_script_save_draft_opens_the_draft(alice_client, alice):
    response = alice_client.post("/mail/compose/", form(action="save", to="carol@example.net"))
    (draft,) = in_folder(alice, "\\Drafts")
    assert response.url == f"/mail/compose/draft/{draft.uid}/"


def test_a_reopened_draft_continues_with_its_fields_and_attachments(alice_client, alice):
    upload = SimpleUploadedFile("notes.txt", b"remember the milk", content_type="text/plain")
    saved = alice_client.post("/mail/compose/", {**form(
        action="save", to="Carol <carol@example.net>", bcc="dan@example.net", subject="Về dự án",
        body="Draft body\n", in_reply_to="<orig@example.net>"), "attachments": [upload]}, **JSON).json()
    assert saved["attachments"] == [{"index": 0, "name": "notes.txt", "size": 17}]
    page = alice_client.get(f"/mail/compose/draft/{saved['uid']}/")
    initial = page.context["form"].initial
    assert initial["to"] == "Carol <carol@example.net>" and initial["bcc"] == "dan@example.net"
    assert initial["subject"] == "Về dự án" and initial["body"] == "Draft body\n"
    assert initial["in_reply_to"] == "<orig@example.net>"
    assert initial["draft_uid"] == saved["uid"] and initial["source"] == saved["source"]
    assert "notes.txt" in page.content.decode()


def test_saving_again_keeps_the_attachments_of_the_previous_version(alice_client, alice):
    upload = SimpleUploadedFile("notes.txt", b"remember the milk", content_type="text/plain")
    first = alice_client.post("/mail/compose/", {**form(action="save"), "attachments": [upload]}, **JSON).json()
    second = save(alice_client, draft_uid=str(first["uid"]), source=first["source"], keep=["0"], body="more")
    assert second["attachments"] == [{"index": 0, "name": "notes.txt", "size": 17}]
    (draft,) = in_folder(alice, "\\Drafts")
    (attachment,) = parsed_copy(draft).iter_attachments()
    assert attachment.get_payload(decode=True) == b"remember the milk"


def test_sending_a_draft_removes_it(alice_client, alice, send_at_once):
    saved = save(alice_client, to="carol@example.net", body="almost")
    alice_client.post("/mail/compose/", form(to="carol@example.net", body="done", draft_uid=str(saved["uid"]),
                                             source=saved["source"]))
    assert in_folder(alice, "\\Drafts") == []
    message, _recipients = queued()
    assert message.get_body(("plain",)).get_content().strip() == "done"


def test_another_accounts_draft_is_not_found(alice_client, alice, bob_client, bob):
    saved = save(alice_client, to="carol@example.net")
    assert bob_client.get(f"/mail/compose/draft/{saved['uid']}/").status_code == 404
    # Bob naming alice's draft uid only ever reaches his own Drafts folder.
    bob_client.post("/mail/compose/", form(action="save", from_address="bob@example.test",
                                           draft_uid=str(saved["uid"])), **JSON)
    assert Message.objects.filter(account=alice, uid=saved["uid"], folder__special_use="\\Drafts").exists()
