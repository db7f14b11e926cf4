"""Blobs: content-addressed, shared by all recipients, collected when unreferenced."""
import os
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from mailcore.store import blobs
from mailcore.store.append import Target, append, append_many
from mailcore.store.gc import collect_garbage
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Blob, Message
from mailcore.store.recovery import purge_aged


def test_one_blob_serves_every_recipient(alice, bob, charlie, message):
    append_many(message("all"), [Target(alice.pk), Target(bob.pk), Target(charlie.pk)])
    assert Blob.objects.count() == 1
    assert Message.objects.count() == 3
    assert len(set(Message.objects.values_list("blob", flat=True))) == 1


def test_the_same_content_appended_twice_is_stored_once(alice, message, blob_dir):
    raw = message("same")
    append(alice.pk, "INBOX", raw)
    append(alice.pk, "Archive", raw)
    assert Blob.objects.count() == 1
    files = [p for p in blob_dir.rglob("*") if p.is_file()]
    assert len(files) == 1
    assert files[0].name == Blob.objects.get().digest


def test_no_temp_file_is_left_behind(alice, message, blob_dir):
    append(alice.pk, "INBOX", message("a"))
    append(alice.pk, "INBOX", message("a"))
    assert list((blob_dir / "tmp").iterdir()) == []


def test_a_blob_is_collected_only_when_nothing_refers_to_it(alice, bob, message):
    append_many(message("shared"), [Target(alice.pk), Target(bob.pk)])
    digest = Blob.objects.get().digest
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    assert collect_garbage().blobs == 0
    assert blobs.blob_path(digest).exists()
    store_flags(bob.pk, "INBOX", [1], ["\\Deleted"])
    expunge(bob.pk, "INBOX")
    # Both expunged copies stay recoverable (docs/recovery.md) until they age out.
    assert collect_garbage().blobs == 0
    purge_aged(timezone.now() + timedelta(days=settings.HOPTHU_RECOVERY_DAYS, seconds=1))
    assert collect_garbage().blobs == 1
    assert not Blob.objects.exists()
    assert not blobs.blob_path(digest).exists()


def test_stray_files_are_removed_after_the_grace_period_only(alice, message, blob_dir):
    append(alice.pk, "INBOX", message("kept"))
    kept = blobs.blob_path(Blob.objects.get().digest)
    stray_temp, _digest = blobs.write_temp(b"left by a crash")
    orphan = blobs.blob_path("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"installed, never committed")
    assert collect_garbage(grace_seconds=3600).stray_files == 0
    old = time.time() - 7200
    for path in (stray_temp, orphan, kept):
        os.utime(path, (old, old))
    assert collect_garbage(grace_seconds=3600).stray_files == 2
    assert kept.exists()
    assert not stray_temp.exists()
    assert not orphan.exists()


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "ab", "A" * 64, "0" * 63 + "/",
                                  "0" * 63 + "\x00", "0" * 65])
def test_a_blob_name_is_only_ever_a_sha256_digest(name):
    """Blob files are named by their content's SHA-256 (docs/store.md); no other name
    reaches the filesystem (issue 16 review: blob names found sound, kept so)."""
    from mailcore.store import blobs

    with pytest.raises(ValueError):
        blobs.read(name)
