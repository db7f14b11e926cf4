"""Editing a scheduled message keeps its send time: the compose form shows the time, the
message stays scheduled as it was until the edit is sent, and Schedule (or Send now)
replaces it in one transaction, so exactly one version ever leaves."""
import datetime as dt
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.smtp import scheduled
from mailcore.store import blobs
from webmail.models import preferences_for

from .conftest import form, in_folder, parse, queued

JSON = {"HTTP_ACCEPT": "application/json"}
ZONE = "Asia/Ho_Chi_Minh"


def local_input(when):
    return timezone.localtime(when, zoneinfo.ZoneInfo(ZONE)).strftime("%Y-%m-%dT%H:%M")


def schedule(client, when, **fields):
    response = client.post("/mail/compose/", form(action="send_later", send_at=local_input(when), **fields))
    assert response.status_code == 302, response.content
    return ScheduledMessage.objects.latest("pk")


def in_two_hours():
    return (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)


def setup_zone(account, undo_seconds=10):
    preferences = preferences_for(account)
    preferences.time_zone, preferences.undo_send_seconds = ZONE, undo_seconds
    preferences.save()


def edit_fields(page, **changes):
    """The edit form's fields as the browser would post them back."""
    form_ = page.context["form"]
    data = {name: form_[name].value() or "" for name in
            ("from_address", "to", "cc", "bcc", "subject", "body", "html", "source", "draft_uid", "scheduled",
             "in_reply_to", "references")}
    data["send_at"] = form_["send_at"].value().strftime("%Y-%m-%dT%H:%M")
    data["keep"] = [str(index) for index in form_.initial.get("keep", [])]
    data.update(changes)
    return data


def body_of(row) -> str:
    return parse(blobs.read(row.blob.digest)).get_body(("plain",)).get_content()


def test_edit_shows_the_message_and_its_send_time_and_leaves_it_scheduled(alice_client, alice):
    setup_zone(alice)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net", subject="Báo cáo", body="Version 1\n")
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    assert page.status_code == 200
    fields = page.context["form"]
    assert fields["subject"].value() == "Báo cáo" and fields["to"].value() == "carol@example.net"
    assert fields["scheduled"].value() == row.pk
    assert fields["send_at"].value() == timezone.localtime(when, zoneinfo.ZoneInfo(ZONE)).replace(tzinfo=None)
    html = page.content.decode()
    assert local_input(when).replace("T", " ") in html and f"({ZONE})" in html  # the notice names the time
    assert 'value="send_later" class="button primary"' in html  # Schedule is the main action
    # Opening the edit changed nothing: still one waiting row, no draft.
    assert ScheduledMessage.objects.get().status == "waiting"
    assert in_folder(alice, "\\Drafts") == []


def test_schedule_keeps_the_time_and_replaces_the_message(alice_client, alice):
    setup_zone(alice)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net", body="Version 1\n")
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    response = alice_client.post("/mail/compose/", edit_fields(page, action="send_later", body="Version 2\n"))
    assert response.url == "/mail/scheduled/"
    (replacement,) = ScheduledMessage.objects.all()
    assert replacement.pk != row.pk and replacement.send_at == when
    assert body_of(replacement).strip() == "Version 2"
    assert scheduled.send_due(when) == 1
    message, recipients = queued()
    assert recipients == {"carol@example.net"}
    assert message.get_body(("plain",)).get_content().strip() == "Version 2"


def test_a_changed_time_is_kept(alice_client, alice):
    setup_zone(alice)
    row = schedule(alice_client, in_two_hours(), to="carol@example.net")
    later = in_two_hours() + dt.timedelta(days=1)
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    alice_client.post("/mail/compose/", edit_fields(page, action="send_later", send_at=local_input(later)))
    assert ScheduledMessage.objects.get().send_at == later


def test_send_now_sends_the_edit_and_not_the_earlier_version(alice_client, alice):
    setup_zone(alice, undo_seconds=0)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net", body="Version 1\n")
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    alice_client.post("/mail/compose/", edit_fields(page, action="send", body="Version 2\n"))
    assert not ScheduledMessage.objects.exists()
    message, _recipients = queued()
    assert message.get_body(("plain",)).get_content().strip() == "Version 2"
    assert scheduled.send_due(when) == 0 and QueuedMessage.objects.count() == 1


def test_a_draft_of_the_edit_keeps_pointing_at_the_scheduled_message(alice_client, alice):
    setup_zone(alice)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net", body="Version 1\n")
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    # Autosave (script) and Save draft (no script) keep the edit in Drafts; the earlier
    # version stays scheduled meanwhile, so leaving the page loses nothing and sends it as it was.
    saved = alice_client.post("/mail/compose/", edit_fields(page, action="save", body="Version 2\n"), **JSON).json()
    assert ScheduledMessage.objects.get().pk == row.pk
    response = alice_client.post("/mail/compose/", edit_fields(
        page, action="save", body="Version 3\n", draft_uid=str(saved["uid"]), source=saved["source"]))
    (draft,) = in_folder(alice, "\\Drafts")
    assert response.url == f"/mail/compose/draft/{draft.uid}/?scheduled={row.pk}"
    reopened = alice_client.get(response.url)
    assert reopened.context["form"]["scheduled"].value() == row.pk
    assert f"({ZONE})" in reopened.content.decode()
    alice_client.post("/mail/compose/", edit_fields(reopened, action="send_later"))
    (replacement,) = ScheduledMessage.objects.all()
    assert replacement.send_at == when and body_of(replacement).strip() == "Version 3"
    assert in_folder(alice, "\\Drafts") == []  # sent drafts are removed


def test_the_attachments_of_the_scheduled_message_come_along(alice_client, alice):
    setup_zone(alice)
    upload = SimpleUploadedFile("plan.txt", b"the plan", content_type="text/plain")
    response = alice_client.post("/mail/compose/", {**form(action="send_later", to="carol@example.net",
                                                           send_at=local_input(in_two_hours())),
                                                    "attachments": [upload]})
    assert response.status_code == 302
    row = ScheduledMessage.objects.get()
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    assert [a["name"] for a in page.context["carried"]] == ["plan.txt"]
    alice_client.post("/mail/compose/", edit_fields(page, action="send_later", subject="With the plan"))
    (attachment,) = parse(blobs.read(ScheduledMessage.objects.get().blob.digest)).iter_attachments()
    assert attachment.get_filename() == "plan.txt" and attachment.get_payload(decode=True) == b"the plan"


def test_an_edit_sent_after_the_earlier_version_left_is_refused_not_sent_twice(alice_client, alice):
    setup_zone(alice)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net", body="Version 1\n")
    page = alice_client.get(f"/mail/scheduled/{row.pk}/edit/")
    assert scheduled.send_due(when) == 1  # the time came while the user was editing
    response = alice_client.post("/mail/compose/", edit_fields(
        page, action="send_later", send_at=local_input(when + dt.timedelta(hours=1)), body="Version 2\n"))
    assert response.status_code == 400
    assert "already been sent" in str(response.context["form"].non_field_errors())
    assert response.context["form"]["scheduled"].value() == ""  # sending it again is a new message
    assert QueuedMessage.objects.count() == 1
    assert not ScheduledMessage.objects.filter(status="waiting").exists()


def test_editing_a_message_that_already_left_says_so(alice_client, alice):
    setup_zone(alice)
    when = in_two_hours()
    row = schedule(alice_client, when, to="carol@example.net")
    scheduled.send_due(when)
    response = alice_client.get(f"/mail/scheduled/{row.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == "/mail/scheduled/"
    assert "already been sent" in response.content.decode()


def test_another_accounts_scheduled_message_cannot_be_edited_or_replaced(alice_client, alice, bob_client, bob):
    setup_zone(alice)
    row = schedule(alice_client, in_two_hours(), to="carol@example.net", body="Alice's\n")
    assert bob_client.get(f"/mail/scheduled/{row.pk}/edit/").status_code == 404
    response = bob_client.post("/mail/compose/", form(
        from_address="bob@example.test", to="carol@example.net", action="send_later",
        send_at=local_input(in_two_hours()), scheduled=str(row.pk), body="Bob's\n"))
    assert response.status_code == 400  # bob's form names a row that is not his: refused
    assert ScheduledMessage.objects.get().pk == row.pk and body_of(row).strip() == "Alice's"
