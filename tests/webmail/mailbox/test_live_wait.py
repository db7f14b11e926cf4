"""Webmail live updates within a second, from any node (issue 20): on PostgreSQL the page
holds /mail/poll/wait/ open and the store notice of a commit made elsewhere answers it.
Made here by another thread's own database connection, as another node's would be."""
import asyncio
import threading
import time

import pytest
from django.db import close_old_connections, connection
from django.test import AsyncClient

from mailcore.store.append import append
from mailcore.store.folders import get_folder
from webmail.mailbox import live

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's LISTEN/NOTIFY")
WAIT = "/mail/poll/wait/"


def _append_elsewhere(account_id):
    def work():
        append(account_id, "INBOX", b"Subject: from another node\r\n\r\nhello\r\n")
        close_old_connections()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(10)


def _run(alice, scenario):
    client = AsyncClient()

    async def main():
        await client.aforce_login(alice.user)
        return await scenario(client)

    return asyncio.run(main())


@postgres_only
def test_a_change_committed_elsewhere_answers_the_waiting_page_within_a_second(alice, transactional_db):
    inbox = get_folder(alice.pk, "INBOX").pk

    async def scenario(client):
        first = (await client.get(WAIT, {"folder": inbox, "state": ""})).json()  # differs: at once
        waiting = asyncio.ensure_future(client.get(WAIT, {"folder": inbox, "state": first["state"]}))
        await asyncio.sleep(1.0)
        assert not waiting.done()  # nothing changed: it waits
        await asyncio.to_thread(_append_elsewhere, alice.pk)
        committed = time.monotonic()
        answer = (await asyncio.wait_for(waiting, 5)).json()
        return first, answer, time.monotonic() - committed

    first, answer, took = _run(alice, scenario)
    assert answer["notices"] is True
    assert answer["modseq"] > first["modseq"]
    assert answer["unread"][str(get_folder(alice.pk, "INBOX").pk)] == first["unread"].get(str(inbox), 0) + 1
    assert took < 1.0


@postgres_only
def test_with_nothing_changed_the_wait_ends_after_its_time_with_the_same_state(alice, transactional_db, monkeypatch):
    monkeypatch.setattr(live, "WAIT_SECONDS", 1)

    async def scenario(client):
        first = (await client.get(WAIT, {"state": ""})).json()
        started = time.monotonic()
        again = (await client.get(WAIT, {"state": first["state"]})).json()
        return first, again, time.monotonic() - started

    first, again, took = _run(alice, scenario)
    assert again["state"] == first["state"]
    assert took >= 0.9


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the single-node default")
def test_without_notices_the_page_keeps_its_timed_poll(alice, transactional_db):
    async def scenario(client):
        return (await client.get(WAIT)).json()

    assert _run(alice, scenario) == {"notices": False}


def test_the_wait_needs_a_logged_in_mailbox_user(db):
    async def scenario():
        return (await AsyncClient().get(WAIT)).status_code

    assert asyncio.run(scenario()) == 403
