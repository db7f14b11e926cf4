"""Each domain sets when its accounts are held; the counts are kept at enqueue time."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mailcore.delivery.models import QueueRecipient
from mailcore.delivery.queue import Envelope, Source, enqueue, enqueue_batch
from mailcore.delivery.remote import _claim
from mailcore.sending_alerts import watch
from mailcore.sending_alerts.baseline import hour_of
from mailcore.sending_alerts.models import KnownRecipient, SendingHour, SendingState

RAW = b"From: alice@example.test\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.fixture(autouse=True)
def fresh_memory():
    watch.forget_usual()
    yield
    watch.forget_usual()


def send(account, recipients, source=Source.SUBMISSION):
    return enqueue(RAW, Envelope("alice@example.test", recipients, source=source, account_id=account.pk))


def held(account) -> bool:
    return SendingState.objects.filter(account=account, held=True).exists()


def test_one_counter_row_per_hour_counts_messages_recipients_and_new_recipients(alice):
    send(alice, ["a@example.net", "b@example.net"])
    send(alice, ["A@example.net", "c@example.net"])
    row = SendingHour.objects.get(account=alice)
    assert (row.messages, row.recipients, row.new_recipients) == (2, 4, 3)
    assert set(KnownRecipient.objects.values_list("address", flat=True)) == {"a@example.net", "b@example.net",
                                                                             "c@example.net"}


def test_counting_costs_the_same_queries_for_one_recipient_or_fifty(alice):
    send(alice, ["warm@example.net"])
    with CaptureQueriesContext(connection) as one:
        send(alice, ["x1@example.net"])
    with CaptureQueriesContext(connection) as fifty:
        send(alice, [f"y{n}@example.net" for n in range(40)])
    assert len(fifty) == len(one)


def test_mail_from_the_mx_and_forwards_is_not_counted(alice):
    send(alice, ["a@example.net"], source=Source.MX)
    send(alice, ["a@example.net"], source=Source.FORWARD)
    assert not SendingHour.objects.exists()


def test_the_domains_new_recipient_threshold_holds_the_account(alice, domain):
    domain.send_alert_new_recipients = 5
    domain.save()
    for n in range(5):
        send(alice, [f"r{n}@example.net"])
    assert not held(alice)
    send(alice, ["r5@example.net"])
    state = SendingState.objects.get(account=alice)
    assert state.held and state.reason == "new_recipients"


def test_the_domains_floor_holds_a_quiet_account_sending_to_known_people(alice, domain):
    domain.send_alert_floor, domain.send_alert_new_recipients = 10, 0
    domain.save()
    for _n in range(10):
        send(alice, ["friend@example.net"])
    assert not held(alice)
    send(alice, ["friend@example.net"])
    assert SendingState.objects.get(account=alice).reason == "volume"


def test_a_busy_history_raises_the_limit_to_factor_times_p95(alice, domain):
    domain.send_alert_floor, domain.send_alert_factor, domain.send_alert_new_recipients = 10, 2, 0
    domain.save()
    past = hour_of(timezone.now())
    SendingHour.objects.bulk_create([SendingHour(account=alice, hour=past - timedelta(hours=h), messages=8,
                                                 recipients=8) for h in range(1, 40)])
    batch = [(RAW, Envelope("alice@example.test", ["friend@example.net"], source=Source.WEBMAIL,
                            account_id=alice.pk)) for _n in range(16)]
    enqueue_batch(batch)
    assert not held(alice)  # 16 = 2 × 8
    send(alice, ["friend@example.net"])
    assert held(alice)


def test_zero_turns_each_rule_off(alice, domain):
    domain.send_alert_factor, domain.send_alert_new_recipients = 0, 0
    domain.save()
    enqueue_batch([(RAW, Envelope("alice@example.test", [f"n{n}@example.net"], source=Source.RELAY,
                                  account_id=alice.pk)) for n in range(300)])
    assert not held(alice)


def test_a_held_accounts_remote_mail_is_not_claimed_but_others_are(alice, bob):
    SendingState.objects.create(account=alice, held=True, reason="volume")
    send(alice, ["a@example.net"])
    send(bob, ["b@example.net"])
    enqueue(RAW, Envelope("", ["bounce@example.net"], source=Source.BOUNCE))  # no account at all
    claimed = {r.address for r in _claim(100, None)}
    assert claimed == {"b@example.net", "bounce@example.net"}
    assert QueueRecipient.objects.get(address="a@example.net").status == "queued"


def test_a_counting_failure_never_refuses_the_mail(alice, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("counter table gone")

    monkeypatch.setattr("mailcore.sending_alerts.watch._note_account", broken)
    send(alice, ["a@example.net"])
    assert QueueRecipient.objects.filter(address="a@example.net", status="queued").exists()
    assert "could not count what was sent" in caplog.text
