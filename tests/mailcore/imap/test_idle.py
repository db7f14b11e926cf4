"""IDLE (RFC 2177): a waiting client hears of new mail, expunges and flag changes made by
anyone, within a second; NAMESPACE and ENABLE."""
import socket
import time

import pytest
from django.db import connection

from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags

PASSWORD = "correct horse battery staple"


class Raw:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.reader = self.sock.makefile("rb")
        self.reader.readline()

    def command(self, line: bytes) -> list[bytes]:
        self.sock.sendall(line + b"\r\n")
        tag = line.split(b" ", 1)[0]
        lines = []
        while True:
            reply = self.reader.readline()
            lines.append(reply)
            if reply.startswith(tag + b" ") or reply.startswith(b"+"):
                return lines

    def line(self) -> bytes:
        return self.reader.readline()


@pytest.fixture
def idling(alice, imap_host):
    append(alice.pk, "INBOX", b"Subject: first\r\n\r\nx\r\n")
    client = Raw(imap_host.ports["imap"])
    client.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')
    client.command(b"b SELECT INBOX")
    assert client.command(b"c IDLE")[-1].startswith(b"+ ")
    yield client
    client.sock.close()


def test_new_mail_reaches_an_idle_client_within_a_second(alice, idling):
    started = time.monotonic()
    append(alice.pk, "INBOX", b"Subject: second\r\n\r\ny\r\n")
    assert idling.line() == b"* 2 EXISTS\r\n"
    assert time.monotonic() - started < 1.5
    assert idling.line() == b"* 2 RECENT\r\n"  # RFC 3501 §2.3.2: this session is the first told of it
    idling.sock.sendall(b"DONE\r\n")
    assert idling.line().startswith(b"c OK")


def test_flag_changes_and_expunges_reach_an_idle_client(alice, idling):
    store_flags(alice.pk, "INBOX", [1], ["\\Seen", "\\Deleted"])
    assert idling.line() == b"* 1 FETCH (FLAGS (\\Seen \\Deleted \\Recent))\r\n"
    expunge(alice.pk, "INBOX")
    assert idling.line() == b"* 1 EXPUNGE\r\n"
    idling.sock.sendall(b"DONE\r\n")
    assert idling.line().startswith(b"c OK")


def test_anything_but_done_ends_idle_with_bad(idling):
    idling.sock.sendall(b"STOP\r\n")
    assert idling.line().startswith(b"c BAD")
    assert idling.command(b"d NOOP")[-1].startswith(b"d OK")


def test_namespace_and_enable(alice, imap_host):
    client = Raw(imap_host.ports["imap"])
    client.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')
    assert client.command(b"b NAMESPACE")[0] == b'* NAMESPACE (("" "/")) NIL NIL\r\n'
    assert client.command(b"c ENABLE UTF8=ACCEPT CONDSTORE X-UNKNOWN")[0] == b"* ENABLED UTF8=ACCEPT CONDSTORE\r\n"
    client.command('d CREATE "Hóa đơn"'.encode())
    listed = client.command(b'e LIST "" "H*"')
    assert listed[0] == '* LIST (\\HasNoChildren) "/" "Hóa đơn"\r\n'.encode()
    client.sock.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's LISTEN/NOTIFY (SQLite polls)")
def test_new_mail_wakes_idle_through_the_store_notice_not_the_poll(alice, imap_host, monkeypatch):
    """Issue 20: on PostgreSQL a commit anywhere (here: this test's own connection, as
    another node would) wakes IDLE at once; the timed poll is far too slow to be the cause."""
    from mailcore.imap import watch
    from mailcore.store import notices

    monkeypatch.setattr(watch, "NOTICED_POLL_SECONDS", 60.0)
    append(alice.pk, "INBOX", b"Subject: first\r\n\r\nx\r\n")
    client = Raw(imap_host.ports["imap"])
    try:
        client.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')
        client.command(b"b SELECT INBOX")
        assert client.command(b"c IDLE")[-1].startswith(b"+ ")
        deadline = time.monotonic() + 10
        while not notices.listening():  # the listener connects when the first IDLE starts
            assert time.monotonic() < deadline, "the store notices never started listening"
            time.sleep(0.05)
        time.sleep(0.3)  # the poll IDLE's start asked for is over: the next is a minute away
        started = time.monotonic()
        append(alice.pk, "INBOX", b"Subject: second\r\n\r\ny\r\n")
        assert client.line() == b"* 2 EXISTS\r\n"
        assert time.monotonic() - started < 1.0
    finally:
        client.sock.close()
