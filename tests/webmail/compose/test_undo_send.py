"""Undo send: with a delay, Send waits as a scheduled message and Undo takes it back."""
import datetime as dt

from django.utils import timezone

from mailcore.delivery.models import QueuedMessage, ScheduledMessage
from mailcore.smtp import scheduled
from webmail.models import preferences_for

from .conftest import form, in_folder


def test_send_waits_for_the_delay_and_the_notice_offers_undo(alice_client, alice):
    preferences_for(alice)  # the default delay: 10 seconds
    before = timezone.now()
    response = alice_client.post("/mail/compose/", form(to="carol@example.net"), follow=True)
    row = ScheduledMessage.objects.get()
    assert before + dt.timedelta(seconds=9) < row.send_at <= timezone.now() + dt.timedelta(seconds=10)
    assert not QueuedMessage.objects.exists()
    page = response.content.decode()
    assert f'action="/mail/compose/undo/{row.pk}/"' in page and ">Undo</button>" in page


def test_undo_brings_the_draft_back_and_nothing_leaves(alice_client, alice):
    alice_client.post("/mail/compose/", form(to="carol@example.net", subject="Oops"))
    row = ScheduledMessage.objects.get()
    response = alice_client.post(f"/mail/compose/undo/{row.pk}/")
    (draft,) = in_folder(alice, "\\Drafts")
    assert response.url == f"/mail/compose/draft/{draft.uid}/"
    assert alice_client.get(response.url).context["form"].initial["subject"] == "Oops"
    assert scheduled.send_due(timezone.now() + dt.timedelta(minutes=1)) == 0
    assert not QueuedMessage.objects.exists()


def test_undo_after_it_left_says_so(alice_client, alice):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    row = ScheduledMessage.objects.get()
    scheduled.send_due(row.send_at)
    response = alice_client.post(f"/mail/compose/undo/{row.pk}/", follow=True)
    assert "already been sent" in response.content.decode()
    assert in_folder(alice, "\\Drafts") == []


def test_no_delay_sends_at_once(alice_client, send_at_once):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    assert QueuedMessage.objects.count() == 1 and not ScheduledMessage.objects.exists()


def test_another_account_cannot_undo(alice_client, alice, bob_client, bob):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    row = ScheduledMessage.objects.get()
    bob_client.post(f"/mail/compose/undo/{row.pk}/")
    assert ScheduledMessage.objects.filter(pk=row.pk, status="waiting").exists()


def test_the_notice_tells_the_page_where_to_ask_whether_the_message_left(alice_client, alice):
    response = alice_client.post("/mail/compose/", form(to="carol@example.net"), follow=True)
    row = ScheduledMessage.objects.get()
    page = response.content.decode()
    assert f'data-status-url="/mail/scheduled/{row.pk}/status/"' in page
    seconds = float(page.split('data-seconds-left="', 1)[1].split('"', 1)[0])
    assert 8 < seconds <= 10
    assert "/static/webmail/undo-send.js" in page


def test_the_status_says_waiting_then_sent(alice_client, alice):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    row = ScheduledMessage.objects.get()
    waiting = alice_client.get(f"/mail/scheduled/{row.pk}/status/").json()
    assert waiting["status"] == "waiting" and 0 < waiting["seconds_left"] <= 10
    scheduled.send_due(row.send_at)
    answer = alice_client.get(f"/mail/scheduled/{row.pk}/status/").json()
    assert (answer["status"], answer["error"]) == ("sent", "")


def test_the_status_of_an_undone_message_is_gone(alice_client, alice):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    row = ScheduledMessage.objects.get()
    alice_client.post(f"/mail/compose/undo/{row.pk}/")
    assert alice_client.get(f"/mail/scheduled/{row.pk}/status/").status_code == 404


def test_the_status_says_why_a_message_failed(alice_client, alice):
    alice_client.post("/mail/compose/", form(to="carol@example.net"))
    row = ScheduledMessage.objects.get()
    # A recipient that went away meanwhile: submission refuses the message when it is due.
    ScheduledMessage.objects.filter(pk=row.pk).update(recipients=["gone@example.test"])
    scheduled.send_due(row.send_at)
    answer = alice_client.get(f"/mail/scheduled/{row.pk}/status/").json()
    row.refresh_from_db()
    assert answer["status"] == "failed" == row.status
    assert answer["error"] == row.error and "gone@example.test" in row.error
