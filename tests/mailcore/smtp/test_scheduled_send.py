"""Scheduled send and undo send (smtp/scheduled.py): nothing leaves early, everything due
leaves once, and a cancelled message comes back whole."""
import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from mailcore.delivery.models import QueueRecipient, ScheduledMessage
from mailcore.directory.services import remove_account
from mailcore.smtp import scheduled, submission
from mailcore.store.gc import collect_blobs
from mailcore.store.models import Message

RAW = b"From: alice@example.test\r\nTo: bob@example.test\r\nSubject: Later\r\n\r\nSee you tomorrow.\r\n"


@pytest.fixture
def later():
    return timezone.now() + dt.timedelta(hours=1)


def test_a_scheduled_message_leaves_at_its_time_and_only_once(alice, bob, later):
    row = scheduled.schedule(alice, RAW, ["bob@example.test", "carol@example.net"], later, client_ip="192.0.2.7")
    assert scheduled.send_due() == 0  # not yet
    assert not QueueRecipient.objects.exists()
    assert scheduled.send_due(later) == 1
    row.refresh_from_db()
    assert row.status == "sent"
    assert set(QueueRecipient.objects.filter(message_id=row.queued_message_id).values_list("address", flat=True)) \
        == {"bob@example.test", "carol@example.net"}
    assert Message.objects.filter(account=alice, folder__special_use="\\Sent").count() == 1
    assert scheduled.send_due(later + dt.timedelta(days=1)) == 0  # sent once, whatever runs again


def test_cancel_gives_the_body_back_until_it_leaves(alice, bob, later):
    row = scheduled.schedule(alice, RAW, ["bob@example.test"], later)
    assert scheduled.cancel(alice, row.pk) == RAW  # undo send: the draft comes back
    assert scheduled.send_due(later) == 0
    assert collect_blobs() == 1  # its body is collected with the row gone
    sent = scheduled.schedule(alice, RAW, ["bob@example.test"], later)
    scheduled.send_due(later)
    with pytest.raises(ValidationError):
        scheduled.cancel(alice, sent.pk)


def test_another_account_cannot_cancel_it(alice, bob, later):
    row = scheduled.schedule(alice, RAW, ["bob@example.test"], later)
    with pytest.raises(ValidationError):
        scheduled.cancel(bob, row.pk)


def test_what_submission_refuses_is_refused_when_scheduling(alice, later):
    with pytest.raises(ValidationError) as refused:
        scheduled.schedule(alice, RAW.replace(b"From: alice@", b"From: ceo@"), ["carol@example.net"], later)
    assert "from" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        scheduled.schedule(alice, RAW, ["nobody@example.test"], later)
    assert "recipients" in refused.value.message_dict
    assert not ScheduledMessage.objects.exists()


def test_a_message_that_can_no_longer_be_sent_is_marked_failed(alice, bob, later):
    row = scheduled.schedule(alice, RAW, ["bob@example.test"], later)
    remove_account("bob@example.test")
    scheduled.send_due(later)
    row.refresh_from_db()
    assert row.status == "failed" and "bob@example.test cannot receive mail" in row.error
    assert not QueueRecipient.objects.exists()


def test_a_crash_while_sending_leaves_it_waiting_with_nothing_queued(alice, bob, later, monkeypatch):
    row = scheduled.schedule(alice, RAW, ["bob@example.test"], later)
    real_keep = submission._keep_sent_copy

    def crash(*_args):
        raise RuntimeError("the process died here")  # after the queue rows were written

    monkeypatch.setattr(submission, "_keep_sent_copy", crash)
    assert scheduled.send_due(later) == 0  # logged, rolled back, tried again at the next sweep
    row.refresh_from_db()
    assert row.status == "waiting" and not QueueRecipient.objects.exists()
    monkeypatch.setattr(submission, "_keep_sent_copy", real_keep)
    assert scheduled.send_due(later) == 1  # the next sweep sends it, once
    assert QueueRecipient.objects.count() == 1


def test_beat_sweeps_often_enough_for_the_30_second_promise():
    sweep = settings.CELERY_BEAT_SCHEDULE["scheduled-send-sweep"]
    assert sweep["task"] == scheduled.send_scheduled.name and sweep["schedule"] <= 30


def test_a_message_whose_body_is_lost_fails_without_holding_back_the_others(alice, bob, later):
    from mailcore.store import blobs

    broken = scheduled.schedule(alice, RAW.replace(b"Later", b"Lost"), ["bob@example.test"], later)
    fine = scheduled.schedule(alice, RAW, ["bob@example.test"], later + dt.timedelta(seconds=1))
    blobs.blob_path(broken.blob.digest).unlink()
    assert scheduled.send_due(later + dt.timedelta(minutes=1)) == 2
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert (broken.status, fine.status) == ("failed", "sent")
    assert "missing" in broken.error


def test_an_unexpected_error_on_one_message_leaves_it_waiting_and_sends_the_rest(alice, bob, later, monkeypatch):
    first = scheduled.schedule(alice, RAW.replace(b"Later", b"First"), ["bob@example.test"], later)
    second = scheduled.schedule(alice, RAW, ["bob@example.test"], later + dt.timedelta(seconds=1))
    real_submit = submission.submit

    def submit_failing_first(account, raw, *args, **kwargs):
        if b"First" in raw:
            raise OSError("disk full")
        return real_submit(account, raw, *args, **kwargs)

    monkeypatch.setattr(submission, "submit", submit_failing_first)
    assert scheduled.send_due(later + dt.timedelta(minutes=1)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("waiting", "sent")
