"""IMAP served by several processes on one port (service/workers.py, HOPTHU_IMAP_PROCESSES)."""
import imaplib
import os
import signal

import pytest

from mailcore.imap.listeners import FACTORIES, WORKERS
from mailcore.store.append import append
from tests.conftest import PASSWORD
from tests.support.hosts import running_host

RAW = b"From: a@example.net\r\nTo: alice@example.test\r\nSubject: from another process\r\n\r\nhi\r\n"


@pytest.fixture
def two_process_host(settings, tmp_path, transactional_db):
    settings.HOPTHU_IMAP_PROCESSES = 2
    with running_host(settings, tmp_path, [*FACTORIES, WORKERS], ("imap", "imaps")) as host:
        yield host


def workers_of(host):
    return next(listener for listener in host.listeners if listener.info["name"] == "imap-workers")


def socket_count(pid: int) -> int:
    fds = f"/proc/{pid}/fd"
    count = 0
    for fd in os.listdir(fds):
        try:
            count += os.readlink(f"{fds}/{fd}").startswith("socket:")
        except OSError:
            continue  # closed meanwhile
    return count


def test_connections_are_served_by_both_processes(alice, two_process_host):
    (child,) = workers_of(two_process_host).info["pids"]
    before = socket_count(child)
    clients = [imaplib.IMAP4("127.0.0.1", two_process_host.ports["imap"]) for _ in range(24)]
    try:
        for client in clients:
            client.login("alice@example.test", PASSWORD)
            assert client.select("INBOX")[0] == "OK"
        assert socket_count(child) > before  # the kernel gave the worker some of them
        assert socket_count(child) < before + 24  # and the host the others
    finally:
        for client in clients:
            client.logout()


def test_an_idle_client_in_any_process_hears_of_new_mail(alice, two_process_host):
    clients = [imaplib.IMAP4("127.0.0.1", two_process_host.ports["imap"], timeout=10) for _ in range(6)]
    try:
        for client in clients:
            client.login("alice@example.test", PASSWORD)
            client.select("INBOX")
            client.send(b"i IDLE\r\n")
            assert client.readline().startswith(b"+ ")
        append(alice.pk, "INBOX", RAW)
        recent = []
        for client in clients:
            assert client.readline() == b"* 1 EXISTS\r\n"  # within the socket timeout
            recent.append(client.readline())
            client.send(b"DONE\r\n")
            assert client.readline().startswith(b"i OK")
        # RFC 3501 §2.3.2: recent in exactly one session, whichever process it runs in.
        assert sorted(recent) == [b"* 0 RECENT\r\n"] * 5 + [b"* 1 RECENT\r\n"]
    finally:
        for client in clients:
            client.logout()


def test_a_worker_that_dies_is_started_again(alice, two_process_host):
    workers = workers_of(two_process_host)
    (child,) = workers.info["pids"]
    os.kill(child, signal.SIGKILL)
    from tests.mailcore.smtp.conftest import wait_for

    wait_for(lambda: workers.info["pids"] != [child] and workers.processes[0].is_alive(), timeout=60,
             what="a new worker")
    for _attempt in range(8):  # every connection is served, whichever process takes it
        client = imaplib.IMAP4("127.0.0.1", two_process_host.ports["imap"], timeout=10)
        assert client.login("alice@example.test", PASSWORD)[0] == "OK"
        client.logout()
