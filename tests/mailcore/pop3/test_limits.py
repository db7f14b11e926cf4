"""Connections per address and the command rate (service/connlimit.py), through the POP3 listener.

The count is the process's, shared with IMAP: one address's IMAP and POP3 sessions add up.
"""
import imaplib
import poplib
import socket
import struct
import time

import pytest

from mailcore.imap.listeners import FACTORIES as IMAP_FACTORIES
from mailcore.pop3.listeners import FACTORIES as POP3_FACTORIES
from mailcore.service.connlimit import CONNECTIONS
from tests.conftest import PASSWORD
from tests.support.hosts import running_host

BUSY = b"-ERR [SYS/TEMP] Too many connections from your address\r\n"


def wait_until(predicate, seconds=10.0):
    """Poll until predicate() is true: the server releases a slot after the client has gone."""
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def open_slots() -> int:
    return CONNECTIONS.count("127.0.0.1")


def raw_connection(host, port="pop3"):
    sock = socket.create_connection(("127.0.0.1", host.ports[port]), timeout=10)
    return sock, sock.makefile("rb")


def test_the_connection_over_the_limit_is_told_and_the_others_go_on(alice, pop_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 2
    clients = [poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10) for _ in range(2)]
    sock, reader = raw_connection(pop_host)
    with sock:
        assert reader.readline() == BUSY  # RFC 3206 §4
        assert reader.read() == b""  # and closed
    with pytest.raises(poplib.error_proto, match=r"SYS/TEMP"):
        poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    clients[0].user("alice@example.test")
    assert clients[0].pass_(PASSWORD).startswith(b"+OK")
    assert clients[0].stat() == (0, 0)
    for client in clients:
        assert client.quit().startswith(b"+OK")


def test_quit_and_reset_free_the_slot(pop_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10).quit()
    wait_until(lambda: open_slots() == 0)
    sock, reader = raw_connection(pop_host)
    assert reader.readline().startswith(b"+OK")
    sock.sendall(b"USER alice@exa")  # mid-line
    reader.close()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()  # a TCP RST
    wait_until(lambda: open_slots() == 0)
    poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10).quit()


@pytest.fixture
def imap_and_pop_host(settings, tmp_path, transactional_db):
    with running_host(settings, tmp_path, [*IMAP_FACTORIES, *POP3_FACTORIES],
                      ("imap", "imaps", "pop3", "pop3s")) as host:
        yield host


def test_imap_and_pop3_share_the_count_of_an_address(imap_and_pop_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 2
    imap = imaplib.IMAP4("127.0.0.1", imap_and_pop_host.ports["imap"], timeout=10)
    pop = poplib.POP3("127.0.0.1", imap_and_pop_host.ports["pop3"], timeout=10)
    with pytest.raises(poplib.error_proto, match=r"SYS/TEMP"):
        poplib.POP3("127.0.0.1", imap_and_pop_host.ports["pop3"], timeout=10)
    with pytest.raises(imaplib.IMAP4.error, match="UNAVAILABLE"):
        imaplib.IMAP4("127.0.0.1", imap_and_pop_host.ports["imap"], timeout=10)
    pop.quit()
    wait_until(lambda: open_slots() == 1)
    imaplib.IMAP4("127.0.0.1", imap_and_pop_host.ports["imap"], timeout=10).logout()
    imap.logout()


def test_a_command_flood_is_slowed_and_answered_in_full(alice, pop_host, settings):
    settings.HOPTHU_COMMANDS_PER_SECOND, settings.HOPTHU_COMMAND_BURST = 250, 50
    count = 200
    sock, reader = raw_connection(pop_host)
    with sock:
        reader.readline()
        sock.sendall(f"USER alice@example.test\r\nPASS {PASSWORD}\r\n".encode())
        assert reader.readline().startswith(b"+OK") and reader.readline().startswith(b"+OK Logged in")
        started = time.monotonic()
        sock.sendall(b"NOOP\r\n" * count)  # pipelined (RFC 2449 PIPELINING), as a flood is
        replies = [reader.readline() for _ in range(count)]
        elapsed = time.monotonic() - started
        sock.sendall(b"STAT\r\nQUIT\r\n")
        assert reader.readline() == b"+OK 0 0\r\n" and reader.readline().startswith(b"+OK")
    assert replies == [b"+OK\r\n"] * count
    # A lower bound from the bucket: the first NOOP may find it full, each other one costs 1/rate.
    assert elapsed >= (count - 1 - 50) / 250
