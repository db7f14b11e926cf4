"""Release lets the held mail go and quiets the account for the rest of the hour; Release and
trust also raises its baseline to this hour's figures, so the same volume holds it no more."""
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from mailcore.audit.models import AuditEntry
from mailcore.delivery.queue import Envelope, Source, enqueue
from mailcore.sending_alerts import watch
from mailcore.sending_alerts.holds import release
from mailcore.sending_alerts.models import SendingState

RAW = b"From: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.fixture(autouse=True)
def fresh_memory():
    watch.forget_usual()
    yield
    watch.forget_usual()


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("root", email="root@example.test", password="x" * 20)


def burst(account, start, count):
    for n in range(start, start + count):
        enqueue(RAW, Envelope("alice@example.test", [f"r{n}@example.net"], source=Source.SUBMISSION,
                              account_id=account.pk))


def state_of(account):
    return SendingState.objects.get(account=account)


def test_release_quiets_the_account_until_the_next_hour(alice, domain, admin):
    domain.send_alert_new_recipients = 5
    domain.save()
    burst(alice, 0, 6)
    assert state_of(alice).held
    assert release(alice, admin)
    burst(alice, 6, 10)  # the same hour: already looked at
    assert not state_of(alice).held
    later = timezone.now() + timedelta(hours=1)
    watch.note_sent([(alice.pk, [f"x{n}@example.net" for n in range(6)])], now=later)
    assert state_of(alice).held  # a new hour, a new burst: held again


def test_release_and_trust_raises_the_limits_to_this_hours_figures(alice, domain, admin):
    domain.send_alert_new_recipients = 5
    domain.save()
    burst(alice, 0, 6)
    assert release(alice, admin, trust=True, ip="192.0.2.1")
    state = state_of(alice)
    assert (state.trusted_new_recipients, state.trusted_messages) == (6, 6)
    later = timezone.now() + timedelta(hours=1)
    watch.note_sent([(alice.pk, [f"x{n}@example.net" for n in range(6)])], now=later)
    assert not state_of(alice).held  # 6 new recipients are now within what was trusted
    watch.note_sent([(alice.pk, ["y@example.net"])], now=later)
    assert state_of(alice).held
    entry = AuditEntry.objects.get(action="account.sending_released_trusted")
    assert (entry.actor_name, entry.ip, entry.after["trusted_new_recipients"]) == ("root", "192.0.2.1", 6)


def test_releasing_an_account_that_is_not_held_does_nothing(alice, admin):
    assert not release(alice, admin)
    assert not AuditEntry.objects.exists()
