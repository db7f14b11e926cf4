"""delete() and expire() drop held mail, and blob collection then removes the body."""
from datetime import timedelta

from django.utils import timezone

from mailcore.filters.models import QuarantinedMessage, QuarantineRecipient
from mailcore.filters.quarantine import delete, expire, hold, release
from mailcore.filters.tasks import expire_quarantine
from mailcore.store import blobs
from mailcore.store.gc import collect_blobs
from mailcore.store.models import Blob

RAW = b"From: x@example.net\r\nSubject: spam\r\n\r\ncheap pills\r\n"


def _hold(recipients, raw=RAW):
    return hold(raw, mail_from="x@example.net", recipients=recipients, kind="spam", reason="score 22.0", score=22.0)


def test_deleting_removes_the_message_and_gc_collects_its_body(alice):
    message = _hold([alice.address])
    digest = message.blob.digest
    assert delete(message, None)
    assert not QuarantinedMessage.objects.exists() and not QuarantineRecipient.objects.exists()
    assert collect_blobs() == 1
    assert not Blob.objects.filter(digest=digest).exists() and not blobs.blob_path(digest).exists()


def test_deleting_twice_is_harmless(alice):
    message = _hold([alice.address])
    assert delete(message, None)
    assert not delete(message, None)


def test_a_released_message_cannot_be_deleted_after_the_fact(alice):
    message = _hold([alice.address])
    release(message, None)
    assert not delete(message, None)
    assert QuarantinedMessage.objects.get().status == QuarantinedMessage.Status.RELEASED


def test_a_user_deletes_only_their_own_copy(alice, bob):
    message = _hold([alice.address, bob.address])
    assert delete(message, None, account=alice)
    message.refresh_from_db()
    assert message.status == QuarantinedMessage.Status.HELD
    assert list(message.recipients.values_list("account_id", flat=True)) == [bob.pk]


def test_expire_removes_messages_past_their_date_only(alice):
    old, new = _hold([alice.address], RAW + b"old\r\n"), _hold([alice.address])
    QuarantinedMessage.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert expire() == 1
    assert list(QuarantinedMessage.objects.values_list("pk", flat=True)) == [new.pk]


def test_expire_takes_a_time_to_test_the_future(alice):
    _hold([alice.address])
    assert expire(timezone.now() + timedelta(days=29)) == 0
    assert expire(timezone.now() + timedelta(days=31)) == 1


def test_released_messages_expire_too_so_their_body_can_go(alice):
    message = _hold([alice.address])
    release(message, None)
    assert expire(timezone.now() + timedelta(days=31)) == 1


def test_the_beat_task_expires(alice):
    message = _hold([alice.address])
    QuarantinedMessage.objects.filter(pk=message.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert expire_quarantine() == 1
