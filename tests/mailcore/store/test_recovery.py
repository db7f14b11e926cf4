"""Recoverable mail (docs/recovery.md): what an expunge or a folder's deletion removes is
kept HOPTHU_RECOVERY_DAYS outside every folder's UIDs, and comes back with a new UID
(RFC 3501 §2.3.1.1: a UID is never used again in a folder)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.store import blobs
from mailcore.store.append import Target, append
from mailcore.store.errors import QuotaExceeded
from mailcore.store.folders import create_folder, delete_folder, rename_folder
from mailcore.store.gc import collect_garbage
from mailcore.store.messages import expunge, quota_usage, store_flags
from mailcore.store.models import Blob, Folder, Message, RecoverableMessage
from mailcore.store.recovery import purge_aged, recover, recoverable
from mailcore.store.snapshot import folder_uids


def _expunge(account, folder, uid):
    store_flags(account.pk, folder, [uid], ["\\Deleted"])
    return expunge(account.pk, folder, [uid])


def test_an_expunged_message_is_kept_recoverable_outside_the_folder(alice, message):
    appended = append(alice.pk, "INBOX", message("gone"), flags=["\\Seen", "$Work"])
    _expunge(alice, "INBOX", appended.uid)
    assert not Message.objects.filter(account=alice).exists()
    row = RecoverableMessage.objects.get(account=alice)
    assert (row.subject, row.folder_name, row.flags) == ("gone", "INBOX", ["\\Seen", "$Work"])
    # It counts toward no quota while it waits.
    assert quota_usage(alice.pk)[0] == 0
    assert list(recoverable(alice.pk)) == [row]


def test_recovering_appends_it_again_with_a_new_uid_and_its_flags_and_date(alice, message):
    raw = message("back again")
    when = timezone.now() - timedelta(days=30)
    first = append(alice.pk, "INBOX", raw, flags=["\\Seen", "\\Flagged"], internal_date=when)
    _expunge(alice, "INBOX", first.uid)
    row = RecoverableMessage.objects.get()
    result = recover(alice.pk, [row.pk])
    assert result.refused is None
    [(pk, folder, uid)] = result.recovered
    assert (pk, folder) == (row.pk, "INBOX")
    assert uid > first.uid  # RFC 3501 §2.3.1.1: the expunged UID is never given again
    back = Message.objects.get(account=alice)
    assert (back.uid, back.seen, back.flagged, back.deleted) == (uid, True, True, False)
    assert back.internal_date == when
    assert blobs.read(back.blob.digest) == raw
    assert quota_usage(alice.pk)[0] == back.size
    assert not RecoverableMessage.objects.exists()


def test_a_message_is_recovered_once_even_if_asked_twice(alice, message):
    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("once")).uid)
    pk = RecoverableMessage.objects.get().pk
    assert len(recover(alice.pk, [pk]).recovered) == 1
    assert recover(alice.pk, [pk]).recovered == []
    assert Message.objects.filter(account=alice).count() == 1


def test_another_accounts_message_cannot_be_recovered(alice, bob, message):
    _expunge(bob, "INBOX", append(bob.pk, "INBOX", message("bob's")).uid)
    pk = RecoverableMessage.objects.get().pk
    assert recover(alice.pk, [pk]).recovered == []
    assert RecoverableMessage.objects.filter(pk=pk).exists()
    assert not Message.objects.filter(account=alice).exists()


def test_the_mail_of_a_deleted_folder_comes_back_into_the_folder_made_again(alice, message):
    create_folder(alice.pk, "Projects/2026")
    append(alice.pk, "Projects/2026", message("plan"))
    delete_folder(alice.pk, "Projects/2026")
    row = RecoverableMessage.objects.get()
    assert (row.folder_id, row.folder_name) == (None, "Projects/2026")
    [(_pk, folder, uid)] = recover(alice.pk, [row.pk]).recovered
    assert folder == "Projects/2026"
    assert Message.objects.get(account=alice).folder.name == "Projects/2026"
    assert uid == 1  # a new folder (a new UIDVALIDITY) starts its UIDs again


def test_a_message_goes_back_into_its_folder_under_the_folders_new_name(alice, message):
    create_folder(alice.pk, "Clients")
    _expunge(alice, "Clients", append(alice.pk, "Clients", message("client mail")).uid)
    rename_folder(alice.pk, "Clients", "Customers")
    [(_pk, folder, _uid)] = recover(alice.pk, [RecoverableMessage.objects.get().pk]).recovered
    assert folder == "Customers"
    assert not Folder.objects.filter(account=alice, name="Clients").exists()


def test_a_full_mailbox_refuses_the_recovery_and_keeps_the_message_recoverable(alice, message):
    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("big", body="x" * 5000)).uid)
    alice.quota = 1000
    alice.save(update_fields=["quota"])
    result = recover(alice.pk, [RecoverableMessage.objects.get().pk])
    assert result.recovered == []
    assert isinstance(result.refused, QuotaExceeded)
    assert RecoverableMessage.objects.count() == 1
    assert not Message.objects.filter(account=alice).exists()


def test_search_finds_by_subject_and_sender(alice, message):
    for subject, sender in (("Hóa đơn tháng 11", "billing@shop.test"), ("Lunch", "bob@example.test")):
        _expunge(alice, "INBOX", append(alice.pk, "INBOX", message(subject, sender=sender)).uid)
    assert [r.subject for r in recoverable(alice.pk, "đơn")] == ["Hóa đơn tháng 11"]
    assert [r.subject for r in recoverable(alice.pk, "BILLING@")] == ["Hóa đơn tháng 11"]
    assert {r.subject for r in recoverable(alice.pk, "")} == {"Hóa đơn tháng 11", "Lunch"}


def test_the_blob_of_a_recoverable_message_is_kept_until_it_ages_out(alice, message):
    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("kept body")).uid)
    digest = Blob.objects.get().digest
    assert collect_garbage().blobs == 0
    assert blobs.blob_path(digest).exists()
    assert purge_aged(timezone.now() + timedelta(days=13)) == 0
    assert collect_garbage().blobs == 0
    assert purge_aged(timezone.now() + timedelta(days=14, seconds=1)) == 1
    assert collect_garbage().blobs == 1
    assert not blobs.blob_path(digest).exists()


def test_the_beat_task_purges_aged_recoverable_mail(alice, message):
    from mailcore.store.tasks import purge_recoverable

    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("old")).uid)
    RecoverableMessage.objects.update(removed=timezone.now() - timedelta(days=15))
    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("new")).uid)
    assert purge_recoverable() == 1
    assert list(RecoverableMessage.objects.values_list("subject", flat=True)) == ["new"]


def test_recovery_days_zero_keeps_nothing(alice, message, settings):
    settings.HOPTHU_RECOVERY_DAYS = 0
    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("not kept")).uid)
    assert not RecoverableMessage.objects.exists()
    assert collect_garbage().blobs == 1


def test_the_recovered_message_is_in_the_imap_snapshot_under_its_new_uid_only(alice, message):
    first = append(alice.pk, "INBOX", message("seen by imap"))
    _expunge(alice, "INBOX", first.uid)
    inbox = Folder.objects.get(account=alice, name="INBOX")
    assert list(folder_uids(inbox.pk)) == []
    [(_pk, _folder, uid)] = recover(alice.pk, [RecoverableMessage.objects.get().pk]).recovered
    assert list(folder_uids(inbox.pk)) == [uid]


@pytest.mark.parametrize("count", [3])
def test_several_are_recovered_together(alice, message, count):
    for n in range(count):
        _expunge(alice, "INBOX", append(alice.pk, "INBOX", message(f"m{n}")).uid)
    ids = list(RecoverableMessage.objects.values_list("pk", flat=True))
    assert len(recover(alice.pk, ids).recovered) == count
    assert Message.objects.filter(account=alice).count() == count


def test_an_account_deleted_takes_its_recoverable_mail_with_it(alice, message):
    from mailcore.directory.services import remove_account

    _expunge(alice, "INBOX", append(alice.pk, "INBOX", message("going")).uid)
    remove_account(alice.address)
    assert not RecoverableMessage.objects.exists()
    assert collect_garbage().blobs == 1


def test_target_keeps_trace_fields_of_the_copy(alice, message):
    from mailcore.store.append import append_many

    [appended] = append_many(message("traced"), [Target(alice.pk, trace=b"Delivered-To: alice@example.test\r\n")])
    _expunge(alice, "INBOX", appended.uid)
    recover(alice.pk, [RecoverableMessage.objects.get().pk])
    assert bytes(Message.objects.get(account=alice).trace) == b"Delivered-To: alice@example.test\r\n"
