"""CONDSTORE (RFC 7162 §3.1): MODSEQ in FETCH, CHANGEDSINCE, UNCHANGEDSINCE, SEARCH MODSEQ,
in a Thunderbird-like session: LIST, SELECT (CONDSTORE), UID FETCH of header fields."""
import re
import socket

import pytest

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.models import Folder, Message

PASSWORD = "correct horse battery staple"


class Raw:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.reader = self.sock.makefile("rb")
        self.reader.readline()

    def command(self, line: bytes) -> list[bytes]:
        tag = line.split(b" ", 1)[0]
        self.sock.sendall(line + b"\r\n")
        lines = []
        while True:
            reply = self.reader.readline()
            lines.append(reply)
            if reply.startswith(tag + b" "):
                return lines


@pytest.fixture
def session(alice, imap_host):
    for i in range(1, 4):
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: m{i}\r\nX-Tag: {i}\r\n\r\nbody\r\n".encode())
    client = Raw(imap_host.ports["imap"])
    client.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')
    yield client
    client.sock.close()


def test_select_condstore_and_fetch_modseq(alice, session):
    lines = session.command(b"b SELECT INBOX (CONDSTORE)")
    folder = Folder.objects.get(account=alice, name="INBOX")
    assert f"* OK [HIGHESTMODSEQ {folder.highestmodseq}]".encode() in b"".join(lines)
    fetched = session.command(b"c UID FETCH 1:* (FLAGS MODSEQ)")
    modseqs = dict(Message.objects.filter(folder=folder).values_list("uid", "modseq"))
    assert fetched[0] == b"* 1 FETCH (UID 1 FLAGS (\\Recent) MODSEQ (%d))\r\n" % modseqs[1]


def test_changedsince_returns_only_changed_messages(alice, session):
    session.command(b"b SELECT INBOX (CONDSTORE)")
    before = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    fetched = session.command(b"c UID FETCH 1:* (FLAGS) (CHANGEDSINCE %d)" % before)
    assert len(fetched) == 2
    assert re.match(rb"\* 2 FETCH \(UID 2 FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\)", fetched[0])


def test_unchangedsince_refuses_messages_changed_meanwhile(alice, session):
    session.command(b"b SELECT INBOX (CONDSTORE)")
    snapshot = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    store_flags(alice.pk, "INBOX", [3], ["\\Flagged"])  # another client changes message 3
    reply = session.command(b"c STORE 1,3 (UNCHANGEDSINCE %d) +FLAGS.SILENT (\\Seen)" % snapshot)
    assert re.match(rb"\* 1 FETCH \(MODSEQ \(\d+\)\)", reply[0])
    assert reply[-1].startswith(b"c OK [MODIFIED 3]")
    assert Message.objects.get(folder__name="INBOX", uid=1).seen
    assert not Message.objects.get(folder__name="INBOX", uid=3).seen


def test_search_modseq_reports_the_highest(alice, session):
    session.command(b"b SELECT INBOX")
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    modseq = Message.objects.get(folder__name="INBOX", uid=2).modseq
    reply = session.command(b"c SEARCH MODSEQ %d" % modseq)
    # RFC 7162 §3.1: SEARCH MODSEQ enables CONDSTORE, so HIGHESTMODSEQ comes first.
    assert reply[0].startswith(b"* OK [HIGHESTMODSEQ ")
    assert reply[1] == b"* SEARCH 2 (MODSEQ %d)\r\n" % modseq


def test_a_thunderbird_like_session(alice, session):
    caps = session.command(b"b CAPABILITY")[0]
    for cap in (b"IDLE", b"CONDSTORE", b"UIDPLUS", b"MOVE", b"SPECIAL-USE", b"QUOTA", b"NAMESPACE"):
        assert cap in caps
    listing = b"".join(session.command(b'c LIST "" "*"'))
    assert b'(\\HasNoChildren \\Sent) "/" Sent' in listing
    session.command(b"d SELECT INBOX (CONDSTORE)")
    headers = session.command(b"e UID FETCH 1:* (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From Subject)])")
    assert headers[0].startswith(b"* 1 FETCH (UID 1 RFC822.SIZE ")
    assert b"BODY[HEADER.FIELDS (FROM SUBJECT)] {" in headers[0]
    assert headers[1] == b"From: bob@example.net\r\n" and headers[2] == b"Subject: m1\r\n"
    assert not Message.objects.get(folder__name="INBOX", uid=1).seen  # PEEK
    session.sock.sendall(b"f IDLE\r\n")
    assert session.reader.readline().startswith(b"+ ")
    session.sock.sendall(b"DONE\r\n")
    assert session.reader.readline().startswith(b"f OK")


def test_rfc7162_3_1_an_enabling_fetch_or_store_tells_highestmodseq_once(alice, imap_host, session):
    session.command(b"b SELECT INBOX")
    highest = Folder.objects.get(account=alice, name="INBOX").highestmodseq
    fetched = session.command(b"c FETCH 1 (MODSEQ)")
    assert fetched[0] == b"* OK [HIGHESTMODSEQ %d] Highest\r\n" % highest
    assert fetched[1].startswith(b"* 1 FETCH (MODSEQ (")
    assert session.command(b"d FETCH 1 (MODSEQ)")[0].startswith(b"* 1 FETCH")  # once per session
    other = Raw(imap_host.ports["imap"])
    other.command(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"')
    other.command(b"b SELECT INBOX")
    stored = other.command(b"c STORE 1 (UNCHANGEDSINCE 999999) +FLAGS (\\Seen)")
    assert stored[0] == b"* OK [HIGHESTMODSEQ %d] Highest\r\n" % highest
    assert stored[1].startswith(b"* 1 FETCH (FLAGS (\\Seen) MODSEQ (")
    other.sock.close()
