"""STORE semantics: add, remove, replace, MODSEQ, UNCHANGEDSINCE."""
import pytest

from mailcore.store.append import append
from mailcore.store.errors import InvalidFlag
from mailcore.store.messages import store_flags
from mailcore.store.models import Folder, Message


@pytest.fixture
def two(alice, message):
    return [append(alice.pk, "INBOX", message(f"m{i}")) for i in range(2)]


def flags_of(uid):
    return Message.objects.get(folder__name="INBOX", uid=uid).flags


def test_adding_flags_bumps_modseq_once_for_the_whole_change(alice, two):
    before = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    changed, failed = store_flags(alice.pk, "INBOX", [1, 2], ["\\Seen", "Work"])
    assert failed == []
    assert {c.uid for c in changed} == {1, 2}
    assert {c.modseq for c in changed} == {before + 1}
    assert flags_of(1) == ["\\Seen", "Work"]
    assert Folder.objects.get(account=alice, name="INBOX").highestmodseq == before + 1


def test_an_unchanged_message_keeps_its_modseq(alice, two):
    store_flags(alice.pk, "INBOX", [1], ["\\Seen"])
    modseq = Message.objects.get(folder__name="INBOX", uid=1).modseq
    changed, _failed = store_flags(alice.pk, "INBOX", [1], ["\\Seen"])
    assert changed == []
    assert Message.objects.get(folder__name="INBOX", uid=1).modseq == modseq


def test_removing_and_replacing_flags(alice, two):
    store_flags(alice.pk, "INBOX", [1], ["\\Seen", "\\Flagged", "Work", "Home"])
    store_flags(alice.pk, "INBOX", [1], ["\\Flagged", "work"], mode="remove")
    assert flags_of(1) == ["\\Seen", "Home"]
    store_flags(alice.pk, "INBOX", [1], ["\\Draft"], mode="replace")
    assert flags_of(1) == ["\\Draft"]


def test_unchanged_since_refuses_messages_changed_later(alice, two):
    highest = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    changed, failed = store_flags(alice.pk, "INBOX", [1, 2], ["\\Flagged"], unchanged_since=highest)
    assert [c.uid for c in changed] == [1]
    assert failed == [2]
    assert "\\Flagged" not in flags_of(2)


def test_unknown_uids_are_ignored(alice, two):
    changed, failed = store_flags(alice.pk, "INBOX", [99], ["\\Seen"])
    assert (changed, failed) == ([], [])


def test_invalid_flags_change_nothing(alice, two):
    with pytest.raises(InvalidFlag):
        store_flags(alice.pk, "INBOX", [1], ["\\Seen", "\\Recent"])
    assert flags_of(1) == []


def test_another_accounts_folder_is_not_reachable_by_id(alice, charlie, two):
    from mailcore.store.errors import FolderNotFound

    inbox = Folder.objects.get(account=alice, name="INBOX")
    with pytest.raises(FolderNotFound):
        store_flags(charlie.pk, inbox.pk, [1], ["\\Seen"])
