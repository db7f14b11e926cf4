"""Store notices (issue 20): on PostgreSQL a committed change of a folder sends NOTIFY
hopthu_store to every listening connection, of this process or another node; a rolled
back one sends nothing. SQLite has none (one node polls)."""
import queue

import pytest
from django.db import connection, transaction

from mailcore.store import notices
from mailcore.store.append import append
from mailcore.store.folders import create_folder, get_folder
from mailcore.store.subscriptions import subscribe as subscribe_name

MESSAGE = b"Subject: hello\r\n\r\nbody\r\n"
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's LISTEN/NOTIFY")


@pytest.fixture
def heard():
    """Notices this process hears, once the listener is up (the reconnect notice dropped)."""
    received = queue.Queue()
    notices.stop()  # a listener left by an earlier test would not announce itself again
    assert notices.subscribe(lambda account, folder: received.put((account, folder)))
    assert received.get(timeout=10) == (None, None)  # connected: "anything may have changed"
    yield received
    with notices._lock:
        notices._subscribers.clear()
    notices.stop()


def _drain(received, timeout=0.5) -> list:
    found = []
    try:
        while True:
            found.append(received.get(timeout=timeout))
    except queue.Empty:
        return found


@postgres_only
def test_a_committed_append_notifies_its_account_and_folder(alice, transactional_db, heard):
    inbox = get_folder(alice.pk, "INBOX").pk
    append(alice.pk, "INBOX", MESSAGE)
    assert heard.get(timeout=2) == (alice.pk, inbox)


@postgres_only
def test_a_rolled_back_change_notifies_nobody(alice, transactional_db, heard):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        append(alice.pk, "INBOX", MESSAGE)
        raise Undo
    assert _drain(heard) == []


@postgres_only
def test_new_folders_and_subscriptions_notify_the_account(alice, transactional_db, heard):
    folder = create_folder(alice.pk, "Projects", subscribe=False)
    assert (alice.pk, folder.pk) in _drain(heard)
    subscribe_name(alice.pk, "Projects")
    assert (alice.pk, 0) in _drain(heard)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the single-node default")
def test_sqlite_has_no_notices_and_subscribes_nothing(db):
    assert notices.enabled() is False
    assert notices.subscribe(lambda account, folder: None) is False


@postgres_only
def test_notices_can_be_turned_off_on_postgresql(db, settings):
    settings.HOPTHU_STORE_NOTICES = "off"
    assert notices.subscribe(lambda account, folder: None) is False
