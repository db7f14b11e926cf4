"""Blob collection keeps the body of held mail and collects it once the hold is gone."""
from datetime import timedelta

from django.utils import timezone

from mailcore.filters.quarantine import delete, expire, hold
from mailcore.store import blobs
from mailcore.store.gc import collect_blobs

RAW = b"From: x@example.net\r\nSubject: held\r\n\r\nbody\r\n"

def _hold(recipients, raw=RAW):
    return hold(raw, mail_from="x@example.net", recipients=recipients, kind="spam", reason="score 22.0")


def test_a_held_message_keeps_its_body_through_collection(alice):
    message = _hold([alice.address])
    assert collect_blobs() == 0
    assert blobs.read(message.blob.digest) == RAW


def test_only_the_deleted_ones_body_is_collected(alice):
    kept, doomed = _hold([alice.address]), _hold([alice.address], RAW + b"other\r\n")
    delete(doomed, None)
    assert collect_blobs() == 1
    assert blobs.read(kept.blob.digest) == RAW


def test_an_expired_messages_body_is_collected(alice):
    digest = _hold([alice.address]).blob.digest
    assert expire(timezone.now() + timedelta(days=365)) == 1
    assert collect_blobs() == 1 and not blobs.blob_path(digest).exists()
