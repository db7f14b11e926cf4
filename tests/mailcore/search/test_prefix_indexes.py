"""SQLite: an index made before prefix indexes is rebuilt with them, its entries kept."""
import pytest
from django.db import connection

from mailcore.store.append import append
from mailcore.store.models import Message
from mailcore.store.search import SearchQuery, filter_messages, split_terms
from mailcore.store.search import sqlite as fts

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 only")


def table_sql(cursor):
    cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [fts.TABLE])
    return cursor.fetchone()[0]


def test_an_index_without_prefix_indexes_is_rebuilt_with_its_entries(alice):
    append(alice.pk, "INBOX", "Subject: Hóa đơn tháng 11\r\n\r\nxin chào\r\n".encode())
    with connection.cursor() as cursor:
        old_sql = fts.CREATE_SQL.replace(", prefix = '1 2 3'", "").replace(fts.TABLE, "fts_before")
        cursor.execute(old_sql)
        cursor.execute(f"INSERT INTO fts_before (rowid, acct, sender, recipients, subject, body) "
                       f"SELECT rowid, acct, sender, recipients, subject, body FROM {fts.TABLE}")
        cursor.execute(f"DROP TABLE {fts.TABLE}")
        cursor.execute(f"ALTER TABLE fts_before RENAME TO {fts.TABLE}")
        assert "prefix" not in table_sql(cursor)

        fts.add_prefix_indexes(cursor)
        assert "prefix = '1 2 3'" in table_sql(cursor)
        fts.add_prefix_indexes(cursor)  # a second run changes nothing
    base = Message.objects.filter(account_id=alice.pk)
    assert filter_messages(base, alice.pk, SearchQuery(text=split_terms("hoa d"))).count() == 1
    assert filter_messages(base, alice.pk, SearchQuery(subject=split_terms("h"))).count() == 1
