"""Quota accounting: counters move with appends, copies, expunges and folder deletes."""
import pytest

from mailcore.directory.services import set_quota
from mailcore.store.append import Target, append, append_many
from mailcore.store.errors import QuotaExceeded
from mailcore.store.folders import create_folder, delete_folder
from mailcore.store.messages import copy_messages, expunge, quota_usage, recount_usage, store_flags
from mailcore.store.models import Message


def test_usage_follows_every_change(alice, message):
    raw = message("counted")
    append(alice.pk, "INBOX", raw)
    assert quota_usage(alice.pk)[::2] == (len(raw), 1)
    copy_messages(alice.pk, "INBOX", [1], "Archive")
    assert quota_usage(alice.pk)[::2] == (2 * len(raw), 2)
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    assert quota_usage(alice.pk)[::2] == (len(raw), 1)
    create_folder(alice.pk, "Projects")
    append(alice.pk, "Projects", raw)
    delete_folder(alice.pk, "Projects")
    assert quota_usage(alice.pk)[::2] == (len(raw), 1)
    assert recount_usage(alice.pk) == (len(raw), 1)


def test_an_append_over_quota_is_refused_and_writes_nothing(alice, message):
    raw = message("big", "x" * 500)
    set_quota(alice.user.username, len(raw) + 10)
    append(alice.pk, "INBOX", raw)
    with pytest.raises(QuotaExceeded):
        append(alice.pk, "INBOX", message("second", "x" * 500))
    assert Message.objects.count() == 1
    assert quota_usage(alice.pk)[0] == len(raw)


def test_a_copy_over_quota_is_refused(alice, message):
    raw = message("big", "x" * 500)
    set_quota(alice.user.username, len(raw) + 10)
    append(alice.pk, "INBOX", raw)
    with pytest.raises(QuotaExceeded):
        copy_messages(alice.pk, "INBOX", [1], "Archive")
    assert Message.objects.count() == 1


def test_delivery_skips_only_the_full_mailbox(alice, bob, message):
    set_quota(bob.user.username, 10)
    results = append_many(message("to both"), [Target(alice.pk), Target(bob.pk)], skip_over_quota=True)
    assert results[0].uid == 1
    assert isinstance(results[1], QuotaExceeded)
    assert Message.objects.filter(account=bob).count() == 0
