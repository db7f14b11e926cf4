"""COPY, MOVE and EXPUNGE: UIDs, MODSEQ, expunge records, shared blobs."""
import pytest

from mailcore.store.append import append
from mailcore.store.messages import copy_messages, expunge, move_messages, store_flags
from mailcore.store.models import Expunged, Folder, Message


@pytest.fixture
def three(alice, message):
    return [append(alice.pk, "INBOX", message(f"m{i}")) for i in range(3)]


def uids(account, folder):
    return list(Message.objects.filter(account=account, folder__name=folder).order_by("uid")
                .values_list("uid", flat=True))


def test_copy_gives_new_uids_and_shares_the_blob(alice, three):
    append(alice.pk, "Archive", b"Subject: already there\r\n\r\nx\r\n")
    pairs = copy_messages(alice.pk, "INBOX", [1, 3], "Archive")
    assert pairs == [(1, 2), (3, 3)]
    assert uids(alice, "INBOX") == [1, 2, 3]
    assert uids(alice, "Archive") == [1, 2, 3]
    original = Message.objects.get(folder__name="INBOX", uid=1)
    copy = Message.objects.get(folder__name="Archive", uid=2)
    assert copy.blob_id == original.blob_id
    assert copy.subject == original.subject


def test_copy_keeps_flags(alice, three):
    store_flags(alice.pk, "INBOX", [2], ["\\Flagged", "Work"])
    copy_messages(alice.pk, "INBOX", [2], "Archive")
    assert Message.objects.get(folder__name="Archive", uid=1).flags == ["\\Flagged", "Work"]


def test_move_renumbers_in_the_target_and_records_the_expunge(alice, three):
    inbox_before = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    pairs = move_messages(alice.pk, "INBOX", [2], "Archive")
    assert pairs == [(2, 1)]
    assert uids(alice, "INBOX") == [1, 3]
    assert uids(alice, "Archive") == [1]
    inbox = Folder.objects.get(account=alice, name="INBOX")
    assert inbox.highestmodseq > inbox_before
    gone = Expunged.objects.get(folder=inbox)
    assert (gone.uid, gone.modseq) == (2, inbox.highestmodseq)


def test_expunge_removes_only_deleted_messages(alice, three):
    store_flags(alice.pk, "INBOX", [1, 3], ["\\Deleted"])
    assert expunge(alice.pk, "INBOX") == [1, 3]
    assert uids(alice, "INBOX") == [2]
    assert sorted(Expunged.objects.values_list("uid", flat=True)) == [1, 3]


def test_uid_expunge_removes_only_the_given_uids(alice, three):
    store_flags(alice.pk, "INBOX", [1, 2, 3], ["\\Deleted"])
    assert expunge(alice.pk, "INBOX", uids=[2]) == [2]
    assert uids(alice, "INBOX") == [1, 3]


def test_expunge_with_nothing_deleted_changes_nothing(alice, three):
    before = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    assert expunge(alice.pk, "INBOX") == []
    assert Folder.objects.get(account=alice, name="INBOX").highestmodseq == before


def test_new_uids_never_reuse_expunged_ones(alice, three, message):
    store_flags(alice.pk, "INBOX", [3], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    assert append(alice.pk, "INBOX", message("new")).uid == 4


def test_rfc6851_3_3_move_within_the_same_folder_gives_new_uids(alice, three):
    assert move_messages(alice.pk, "INBOX", [1, 2], "INBOX") == [(1, 4), (2, 5)]
    assert uids(alice, "INBOX") == [3, 4, 5]
    inbox = Folder.objects.get(account=alice, name="INBOX")
    assert sorted(Expunged.objects.filter(folder=inbox).values_list("uid", flat=True)) == [1, 2]
    assert inbox.uidnext == 6 and Message.objects.filter(account=alice).count() == 3
