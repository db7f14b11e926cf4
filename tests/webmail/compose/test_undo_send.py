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
