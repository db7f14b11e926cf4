"""The subscription list: names, kept apart from folders (RFC 3501 §6.3.6, RFC 5258 §3.4)."""
import pytest

from mailcore.store.errors import FolderNotFound
from mailcore.store.folders import create_folder, delete_folder, rename_folder
from mailcore.store.subscriptions import folder_tree, subscribe, unsubscribe


def subscribed(account):
    return folder_tree(account.pk).subscribed


def test_a_new_account_is_subscribed_to_its_default_folders(alice):
    assert subscribed(alice) == {"INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive"}


def test_the_webmail_subscribes_what_it_creates_and_imap_create_does_not(alice):
    create_folder(alice.pk, "Web/Child")
    create_folder(alice.pk, "Imap/Child", subscribe=False)
    assert {"Web", "Web/Child"} <= subscribed(alice)
    assert not {"Imap", "Imap/Child"} & subscribed(alice)


def test_rfc3501_6_3_6_a_subscription_outlives_the_folders_delete(alice):
    create_folder(alice.pk, "Gone")
    delete_folder(alice.pk, "Gone")
    assert "Gone" in subscribed(alice) and "Gone" not in folder_tree(alice.pk).folders
    unsubscribe(alice.pk, "Gone")
    assert "Gone" not in subscribed(alice)


def test_rfc9051_6_3_7_subscribing_to_a_missing_folder_is_refused(alice):
    with pytest.raises(FolderNotFound):
        subscribe(alice.pk, "Nowhere")


def test_unsubscribing_a_name_not_on_the_list_succeeds(alice):
    unsubscribe(alice.pk, "Nowhere")
    unsubscribe(alice.pk, "inbox")
    assert "INBOX" not in subscribed(alice)


def test_rename_carries_the_subscriptions_of_the_folder_and_its_children(alice):
    create_folder(alice.pk, "Old/Kid", subscribe=False)
    subscribe(alice.pk, "Old")
    subscribe(alice.pk, "Old/Kid")
    rename_folder(alice.pk, "Old", "New")
    assert {"New", "New/Kid"} <= subscribed(alice)
    assert not {"Old", "Old/Kid"} & subscribed(alice)
