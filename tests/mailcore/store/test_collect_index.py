"""Index entries of messages removed with their account are collected."""
from django.db import connection

from mailcore.directory.services import remove_account
from mailcore.store.append import append
from mailcore.store.gc import collect_garbage
from mailcore.store.models import Blob


def index_rows():
    from mailcore.store.search import postgres, sqlite

    table = postgres.TABLE if connection.vendor == "postgresql" else sqlite.TABLE
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def test_removing_an_account_leaves_nothing_after_collection(alice, bob, message):
    append(alice.pk, "INBOX", message("alice's"))
    append(bob.pk, "INBOX", message("bob's"))
    remove_account("alice@example.test")
    collected = collect_garbage()
    assert collected.index_entries == 1
    assert collected.blobs == 1
    assert index_rows() == 1
    assert Blob.objects.count() == 1
