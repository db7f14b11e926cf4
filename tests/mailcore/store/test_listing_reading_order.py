"""The message list sorted by subject or sender reads the way people read (Vietnamese
collation, numbers by value), from stored keys: the same order on SQLite and PostgreSQL,
a folder's page walks its (folder, key, id) index, copies keep their keys, and migration
0011 fills the keys of messages stored before it."""
import random
from email.header import Header

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mailcore.store.append import append
from mailcore.store.listing import folder_page, search_page
from mailcore.store.messages import copy_messages
from mailcore.store.models import Message

from .conftest import make_message

SUBJECTS = ["Yến hỏi", "Đơn hàng 10", "Đơn hàng 2", "Dự án", "Ảnh cưới", "Anh ơi", "Báo giá", "ăn trưa"]
# Tones and case are weighed only where the letters tie: "Ảnh c…" before "Anh ơ…" (c < ơ).
IN_ORDER = ["Ảnh cưới", "Anh ơi", "ăn trưa", "Báo giá", "Dự án", "Đơn hàng 2", "Đơn hàng 10", "Yến hỏi"]


def encoded(text: str) -> str:
    return Header(text, "utf-8").encode()


@pytest.fixture
def inbox(alice):
    for subject in random.Random(5).sample(SUBJECTS, len(SUBJECTS)):
        append(alice.pk, "INBOX", make_message(subject=encoded(subject), body=subject))
    return Message.objects.filter(account=alice).first().folder_id


def test_a_folder_sorted_by_subject_reads_in_vietnamese_order(inbox):
    page = folder_page(inbox, sort="subject", descending=False)
    assert [row.subject for row in page.rows] == IN_ORDER
    assert [row.subject for row in folder_page(inbox, sort="subject", descending=True).rows] == IN_ORDER[::-1]


def test_pages_follow_the_same_order(inbox):
    pages = [folder_page(inbox, sort="subject", descending=False, offset=offset, limit=3) for offset in (0, 3, 6)]
    assert [row.subject for page in pages for row in page.rows] == IN_ORDER


def test_the_sender_sort_reads_the_name_or_else_the_address(alice):
    for sender in ("Đào <dao@example.net>", "zed@example.net", "Dũng <dung@example.net>", "an@xn--cng-ty-ixa.vn",
                   "Ánh <b@example.net>"):
        name, _sep, address = sender.rpartition(" <")
        header = f"{encoded(name)} <{address}" if name else sender
        append(alice.pk, "INBOX", make_message(subject=sender, sender=header))
    folder = Message.objects.filter(account=alice).first().folder_id
    rows = folder_page(folder, sort="from", descending=False).rows
    # "an@công-ty.vn" is read as such: after Ánh, before Dũng (not among the x's).
    assert [row.subject for row in rows] == ["an@xn--cng-ty-ixa.vn", "Ánh <b@example.net>",
                                             "Dũng <dung@example.net>", "Đào <dao@example.net>", "zed@example.net"]


def test_search_results_sort_the_same_way(alice, inbox):
    page = search_page(alice.pk, "", None, sort="subject", descending=False)
    assert [row.subject for row in page.rows] == IN_ORDER


def test_copies_keep_their_place_in_the_order(alice, inbox):
    append(alice.pk, "Archive", make_message(subject="Zebra"))
    uids = list(Message.objects.filter(folder_id=inbox).values_list("uid", flat=True))
    copy_messages(alice.pk, "INBOX", uids, "Archive")
    archive = Message.objects.get(account=alice, subject="Zebra").folder_id
    assert [row.subject for row in folder_page(archive, sort="subject", descending=False).rows] == [*IN_ORDER, "Zebra"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL chooses by its statistics")
@pytest.mark.parametrize("sort", ["subject", "from"])
def test_a_folder_page_walks_the_index_without_sorting(inbox, sort):
    from mailcore.store.listing import ordering

    query = Message.objects.filter(folder_id=inbox).order_by(*ordering(sort, False)).values_list("id")[40:90]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
    assert f"message_folder_{'sender' if sort == 'from' else 'subject'}_key" in plan and "TEMP B-TREE" not in plan


BEFORE = [("store", "0010_message_sort_keys")]
AFTER = [("store", "0011_message_reading_order_keys")]


def test_migration_0011_fills_the_keys_of_stored_messages(transactional_db, alice):
    for subject in ("Đơn 10", "Đơn 2", "Anh"):
        append(alice.pk, "INBOX", make_message(subject=encoded(subject)))
    Message.objects.update(subject_key=b"", sender_key=b"")  # as before the migration
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    migrated = executor.loader.project_state(AFTER).apps.get_model("store", "Message")
    assert list(migrated.objects.order_by("subject_key").values_list("subject", flat=True)) == ["Anh", "Đơn 2",
                                                                                                "Đơn 10"]
    assert all(migrated.objects.values_list("sender_key", flat=True))
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    if connection.vendor == "sqlite":  # see tests/mailcore/directory/test_migration_display_name_key.py
        from mailcore.store.search.sqlite import TABLE

        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
