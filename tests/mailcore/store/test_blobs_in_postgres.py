"""HOPTHU_BLOB_STORE="postgres" (issue 20): bodies in the database, so a cluster needs no
shared disk. Written with the rows that refer to them, read whole or by range, stored
once per content, collected with their Blob row; no file anywhere."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

from mailcore.delivery.queue import Envelope, enqueue
from mailcore.store import blobs
from mailcore.store.append import append
from mailcore.store.fetch import fetch_raw, get_message
from mailcore.store.gc import collect_garbage
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Blob, BlobData

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="bodies in PostgreSQL")
RAW = b"From: bob@example.test\r\nSubject: kept in the database\r\n\r\n" + b"0123456789" * 1000 + b"\r\n"


@pytest.fixture
def in_database(settings):
    settings.HOPTHU_BLOB_STORE = "postgres"


def _files(blob_dir):
    return [path for path in blob_dir.rglob("*") if path.is_file()] if blob_dir.exists() else []


@postgres_only
def test_an_appended_body_is_read_back_from_the_database_and_no_file_is_written(alice, in_database, blob_dir):
    appended = append(alice.pk, "INBOX", RAW)
    assert fetch_raw(get_message(alice.pk, "INBOX", appended.uid)) == RAW
    digest = Blob.objects.get().digest
    assert blobs.read_range(digest, 10, 30) == RAW[10:30]
    assert blobs.read_range(digest, len(RAW) - 5, len(RAW) + 100) == RAW[-5:]
    assert _files(blob_dir) == []


@postgres_only
def test_one_content_is_stored_once_for_the_queue_and_the_mailboxes(alice, bob, in_database):
    enqueue(RAW, Envelope("carol@example.net", ["alice@example.test"]))
    append(alice.pk, "INBOX", RAW)
    append(bob.pk, "INBOX", RAW)
    assert Blob.objects.count() == BlobData.objects.count() == 1


@postgres_only
def test_a_body_written_in_a_rolled_back_transaction_is_not_kept(alice, in_database):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        append(alice.pk, "INBOX", RAW)
        raise Undo
    assert not BlobData.objects.exists()


@postgres_only
def test_collection_deletes_the_bytes_with_the_blob(alice, in_database):
    append(alice.pk, "INBOX", RAW)
    digest = Blob.objects.get().digest
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    expunge(alice.pk, "INBOX", recoverable=False)  # not kept for recovery: collectable at once
    assert collect_garbage().blobs == 1
    assert not BlobData.objects.exists()
    with pytest.raises(FileNotFoundError):
        blobs.read(digest)


def test_bodies_in_the_database_need_postgresql(settings, db):
    settings.HOPTHU_BLOB_STORE = "postgres"
    if connection.vendor == "postgresql":
        assert blobs.in_database()
    else:
        with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
            blobs.in_database()
    settings.HOPTHU_BLOB_STORE = "s3"
    with pytest.raises(ImproperlyConfigured, match="filesystem"):
        blobs.in_database()
