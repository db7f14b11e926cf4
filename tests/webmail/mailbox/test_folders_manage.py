"""Creating, renaming and deleting folders from the webmail."""
import pytest

from mailcore.store.models import Folder

pytestmark = pytest.mark.django_db


def names(alice):
    return set(Folder.objects.filter(account=alice).values_list("name", flat=True))


def test_create_a_nested_folder(alice_client, alice):
    from mailcore.store.folders import create_folder

    create_folder(alice.pk, "Work")
    response = alice_client.post("/mail/folders/", {"action": "create", "name": "Dự án", "parent": "Work"})
    assert response.status_code == 302
    assert "Work/Dự án" in names(alice)


def test_a_name_with_the_delimiter_is_refused_on_the_field(alice_client, alice):
    response = alice_client.post("/mail/folders/", {"action": "create", "name": "a/b", "parent": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert "a/b" not in names(alice)


def test_an_existing_name_is_refused_on_the_field(alice_client, alice):
    response = alice_client.post("/mail/folders/", {"action": "create", "name": "Sent", "parent": ""})
    assert "already exists" in str(response.context["form"].errors["name"])


def test_rename_keeps_the_parent(alice_client, alice):
    from mailcore.store.folders import create_folder

    child = create_folder(alice.pk, "Work/Old")
    alice_client.post("/mail/folders/", {"action": "rename", "folder": child.pk, "name": "New"})
    assert "Work/New" in names(alice) and "Work/Old" not in names(alice)


def test_delete_removes_the_folder_and_its_mail(alice_client, alice, put):
    from mailcore.store.folders import create_folder

    folder = create_folder(alice.pk, "Old")
    put("Old")
    alice_client.post("/mail/folders/", {"action": "delete", "folder": folder.pk})
    assert "Old" not in names(alice)
    alice.refresh_from_db()
    assert alice.message_count == 0


def test_a_folder_deleted_in_the_webmail_leaves_no_subscription_for_imap(alice_client, alice):
    from mailcore.store.folders import create_folder
    from mailcore.store.subscriptions import folder_tree

    folder = create_folder(alice.pk, "Old")  # the webmail subscribes what it creates
    alice_client.post("/mail/folders/", {"action": "delete", "folder": folder.pk})
    assert "Old" not in folder_tree(alice.pk).subscribed


@pytest.mark.parametrize("name", ["INBOX", "Sent", "Trash"])
def test_special_folders_cannot_be_renamed_or_deleted(alice_client, alice, name):
    folder = Folder.objects.get(account=alice, name=name)
    response = alice_client.post("/mail/folders/", {"action": "delete", "folder": folder.pk}, follow=True)
    assert name in names(alice)
    assert "Only your own folders" in response.content.decode()


def test_another_accounts_folder_cannot_be_touched(alice_client, bob):
    from mailcore.store.folders import create_folder

    folder = create_folder(bob.pk, "Private")
    alice_client.post("/mail/folders/", {"action": "delete", "folder": folder.pk})
    assert Folder.objects.filter(pk=folder.pk).exists()


def test_the_sidebar_lists_special_folders_first_then_nested_ones(alice_client, alice, inbox):
    from mailcore.store.folders import create_folder

    create_folder(alice.pk, "Archive/2025")
    create_folder(alice.pk, "Alpha")
    entries = alice_client.get(f"/mail/folder/{inbox.pk}/").context["sidebar"]
    labels = [(entry.label, entry.depth) for entry in entries]
    assert labels == [("Inbox", 0), ("Drafts", 0), ("Sent", 0), ("Archive", 0), ("2025", 1), ("Junk", 0),
                      ("Trash", 0), ("Alpha", 0)]
