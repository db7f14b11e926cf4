"""Folders: defaults, nesting, rename, delete, names."""
import pytest

from mailcore.store.append import append
from mailcore.store.errors import FolderExists, FolderInUse, FolderNotFound, InvalidFolderName
from mailcore.store.folders import create_folder, delete_folder, list_folders, rename_folder
from mailcore.store.messages import quota_usage
from mailcore.store.models import Folder, Message


def names(account):
    return [f.name for f in list_folders(account.pk)]


def test_a_new_account_has_inbox_and_the_special_use_folders(alice):
    uses = dict(Folder.objects.filter(account=alice).values_list("name", "special_use"))
    assert uses == {"INBOX": "", "Sent": "\\Sent", "Drafts": "\\Drafts", "Junk": "\\Junk",
                    "Trash": "\\Trash", "Archive": "\\Archive"}
    validities = Folder.objects.filter(account=alice).values_list("uidvalidity", flat=True)
    assert len(set(validities)) == 6


def test_creating_a_nested_folder_creates_its_parents(alice):
    create_folder(alice.pk, "Work/Clients/Hà Nội")
    assert {"Work", "Work/Clients", "Work/Clients/Hà Nội"} <= set(names(alice))


def test_creating_an_existing_folder_is_refused(alice):
    with pytest.raises(FolderExists):
        create_folder(alice.pk, "Sent")
    with pytest.raises(FolderExists):
        create_folder(alice.pk, "inbox")


@pytest.mark.parametrize("bad", ["", " lead", "a//b", "/top", "end/", "new\nline", "tab\there", "del\x7f",
                                 "c1\x85", "nul\x00", "x" * 501, "/".join(["d"] * 40)])
def test_invalid_folder_names_are_refused(alice, bad):
    with pytest.raises(InvalidFolderName):
        create_folder(alice.pk, bad)


def test_renaming_moves_children_and_changes_uidvalidity(alice, message):
    create_folder(alice.pk, "Work/Old")
    append(alice.pk, "Work/Old", message())
    before = Folder.objects.get(account=alice, name="Work/Old").uidvalidity
    rename_folder(alice.pk, "Work", "Jobs")
    assert "Jobs/Old" in names(alice) and "Work" not in names(alice)
    moved = Folder.objects.get(account=alice, name="Jobs/Old")
    assert moved.uidvalidity != before
    assert moved.messages.count() == 1


def test_renaming_inbox_moves_its_mail_and_keeps_inbox(alice, message):
    append(alice.pk, "INBOX", message("a"))
    append(alice.pk, "INBOX", message("b"))
    rename_folder(alice.pk, "INBOX", "Old Inbox")
    assert Message.objects.filter(folder__name="INBOX").count() == 0
    assert Message.objects.filter(folder__name="Old Inbox").count() == 2
    assert "INBOX" in names(alice)


def test_renaming_onto_an_existing_name_or_inside_itself_is_refused(alice):
    create_folder(alice.pk, "A")
    with pytest.raises(FolderExists):
        rename_folder(alice.pk, "A", "Sent")
    with pytest.raises(InvalidFolderName):
        rename_folder(alice.pk, "A", "A/B")
    with pytest.raises(FolderNotFound):
        rename_folder(alice.pk, "Missing", "B")


def test_deleting_a_folder_removes_its_mail_and_frees_quota(alice, message):
    create_folder(alice.pk, "Tmp")
    append(alice.pk, "Tmp", message())
    delete_folder(alice.pk, "Tmp")
    assert "Tmp" not in names(alice)
    assert quota_usage(alice.pk)[0] == 0


def test_inbox_and_folders_with_children_cannot_be_deleted(alice):
    with pytest.raises(FolderInUse):
        delete_folder(alice.pk, "INBOX")
    create_folder(alice.pk, "P/C")
    with pytest.raises(FolderInUse):
        delete_folder(alice.pk, "P")


def test_a_deleted_name_recreated_gets_a_new_uidvalidity(alice):
    first = create_folder(alice.pk, "Again").uidvalidity
    delete_folder(alice.pk, "Again")
    assert create_folder(alice.pk, "Again").uidvalidity != first


@pytest.mark.parametrize("name", ['quo"te', "back\\slash", "wild*", "per%cent", "[Gmail]", "Ngân hàng {1}"])
def test_rfc9051_5_1_any_character_but_the_delimiter_may_name_a_folder(alice, name):
    create_folder(alice.pk, f"Work/{name}")
    assert f"Work/{name}" in names(alice)
