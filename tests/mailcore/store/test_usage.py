"""Disk figures for the dashboard: message bodies counted once however many mailboxes
share them, and the database's size on disk."""

import pytest
from django.db import connection

from mailcore.service.disk import database_bytes
from mailcore.store.append import append
from mailcore.store.usage import blob_bytes

RAW = b"From: a@example.test\r\nSubject: hi\r\n\r\n" + b"x" * 1000 + b"\r\n"


def test_a_body_shared_by_two_mailboxes_counts_once(alice, bob):
    assert blob_bytes() == 0
    append(alice.pk, "INBOX", RAW)
    append(bob.pk, "INBOX", RAW)
    assert blob_bytes() == len(RAW)


sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's files")


@sqlite_only
def test_the_database_size_is_its_file_with_the_wal(monkeypatch, tmp_path, db):
    (tmp_path / "hopthu.sqlite3").write_bytes(b"d" * 4096)
    (tmp_path / "hopthu.sqlite3-wal").write_bytes(b"w" * 1000)
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "hopthu.sqlite3"))
    assert database_bytes() == 5096


@sqlite_only
def test_an_in_memory_database_reports_no_size(monkeypatch, db):
    monkeypatch.setitem(connection.settings_dict, "NAME", "file:memorydb_default?mode=memory&cache=shared")
    assert database_bytes() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own figure")
def test_postgresql_reports_pg_database_size(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        expected = cursor.fetchone()[0]
    assert database_bytes() == expected > 0
