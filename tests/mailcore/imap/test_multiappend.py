"""MULTIAPPEND (RFC 3502): several messages in one APPEND, all or none of them."""
import socket
from datetime import UTC, datetime

import pytest
from imapclient import IMAPClient

from mailcore.directory.services import set_quota
from mailcore.imap.commands import append as append_command
from mailcore.imap.commands.append import uid_set
from mailcore.store.append import append
from mailcore.store.messages import quota_usage
from mailcore.store.models import Folder, Message

from .raw_imap import PASSWORD, RawImap


def mail(subject: str, body: bytes = b"body\r\n") -> bytes:
    return b"From: alice@example.test\r\nSubject: " + subject.encode() + b"\r\n\r\n" + body


@pytest.fixture
def client(alice, imap_host):
    with IMAPClient("127.0.0.1", port=imap_host.ports["imap"], ssl=False, timeout=10) as c:
        c.login("alice@example.test", PASSWORD)
        yield c


@pytest.fixture
def raw(alice, imap_host):
    connection = RawImap(imap_host.ports["imap"])
    yield connection
    connection.close()


def subjects(account, folder="INBOX") -> list[str]:
    return list(Message.objects.filter(account=account, folder__name=folder).order_by("uid")
                .values_list("subject", flat=True))


def test_rfc3502_multiappend_is_advertised(client):
    assert b"MULTIAPPEND" in client.capabilities()


def test_rfc3502_multiappend_appends_every_message_in_order_with_its_flags_and_date(alice, client):
    date = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    reply = client.multiappend("Drafts", [
        mail("one"),
        {"msg": mail("two"), "flags": [b"\\Seen", b"$Work"]},
        {"msg": mail("three"), "date": date},
    ])
    drafts = Folder.objects.get(account=alice, name="Drafts")
    # RFC 3502 §3 + RFC 4315 §3: APPENDUID gives the UIDs of all the messages, in order.
    assert reply[1][0].startswith(f"[APPENDUID {drafts.uidvalidity} 1:3]".encode())
    assert subjects(alice, "Drafts") == ["one", "two", "three"]
    two = Message.objects.get(folder=drafts, uid=2)
    assert two.seen and two.keywords == ["$Work"]
    assert Message.objects.get(folder=drafts, uid=3).internal_date == date


def test_rfc3502_multiappend_is_all_or_nothing_when_one_message_is_over_quota(alice, client):
    set_quota("alice@example.test", 1000)
    before = quota_usage(alice.pk)
    typ, data = client.multiappend("INBOX", [mail("fits"), mail("fits too"), mail("too big", b"x" * 2000)])
    assert typ == "NO" and data[0].startswith(b"[OVERQUOTA]")  # RFC 5530 §3
    # RFC 3502 §3: "the server MUST NOT append any of the messages".
    assert subjects(alice) == []
    assert quota_usage(alice.pk) == before
    assert client.multiappend("INBOX", [mail("fits"), mail("fits too")])[0] == "OK"
    assert subjects(alice) == ["fits", "fits too"]


def test_rfc3502_the_store_refuses_the_whole_set_when_quota_runs_out_after_the_early_check(
        alice, client, monkeypatch):
    # As if a delivery filled the mailbox between APPEND's early check and its transaction.
    monkeypatch.setattr(append_command, "quota_usage", lambda account_id: (0, 0, 0))
    set_quota("alice@example.test", 1000)
    typ, data = client.multiappend("INBOX", [mail("fits"), mail("too big", b"x" * 2000)])
    assert typ == "NO" and data[0].startswith(b"[OVERQUOTA]")
    assert subjects(alice) == []
    assert client.multiappend("INBOX", [mail("fits")])[1][0].split()[2] == b"1]"  # no UID used up


def test_rfc3502_a_refused_literal_in_the_middle_appends_none(alice, raw, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = 200
    reply = raw.command(b"APPEND INBOX ", (mail("one"),), b" ", (mail("two", b"y" * 300),), b" ", (mail("three"),))
    # RFC 7888 §4: refused before its data. The session may already be waiting for this
    # command with the old limit (then APPEND's own check answers NO) or not (the reader
    # refuses the literal, BAD): both are tagged [TOOBIG] refusals.
    status = reply[-1].split()[1]
    assert status in (b"NO", b"BAD") and b"[TOOBIG]" in reply[-1]
    assert subjects(alice) == []
    assert raw.command(b"NOOP")[-1].split()[1] == b"OK"  # the session goes on


def test_rfc3502_multiappend_with_literal_plus_takes_one_round_trip(alice, imap_host):
    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as sock:
        reader = sock.makefile("rb")
        reader.readline()
        sock.sendall(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"\r\n')
        assert reader.readline().startswith(b"a OK")
        one, two = mail("plus one"), mail("plus two")
        # RFC 7888 + RFC 3502 §1: the whole upload in one command, no continuation requests.
        sock.sendall(b"b APPEND INBOX (\\Flagged) {%d+}\r\n%s {%d+}\r\n%s\r\n" % (len(one), one, len(two), two))
        reply = reader.readline()
        assert reply.startswith(b"b OK [APPENDUID ") and reply.split()[4] == b"1:2]", reply
    assert subjects(alice) == ["plus one", "plus two"]


def test_rfc3502_multiappend_into_the_selected_mailbox_reports_exists(alice, raw):
    append(alice.pk, "INBOX", mail("already there"))
    raw.command(b"SELECT INBOX")
    reply = raw.command(b"APPEND INBOX ", (mail("a"),), b" ", (mail("b"),))
    assert b"* 3 EXISTS\r\n" in reply  # RFC 9051 §6.3.12: the new size of the selected mailbox
    assert b" OK [APPENDUID " in reply[-1]


def test_rfc3502_multiappend_to_a_missing_mailbox_says_trycreate(alice, client):
    typ, data = client.multiappend("Nowhere", [mail("a"), mail("b")])
    assert typ == "NO" and data[0].startswith(b"[TRYCREATE]")  # RFC 9051 §6.3.12


def test_rfc3502_an_empty_message_in_the_set_is_bad_and_none_is_kept(alice, raw):
    reply = raw.command(b"APPEND INBOX ", (mail("one"),), b" ", (b"",))
    assert reply[-1].split()[1] == b"BAD"
    assert subjects(alice) == []


def test_rfc3502_flags_are_per_message_and_recent_is_refused(alice, raw):
    reply = raw.command(b"APPEND INBOX (\\Seen) ", (mail("one"),), b" (\\Recent) ", (mail("two"),))
    assert reply[-1].split()[1] == b"BAD"
    assert subjects(alice) == []


def test_too_many_messages_in_one_append_is_refused_with_limit(alice, raw, monkeypatch):
    monkeypatch.setattr(append_command, "MAX_APPEND_MESSAGES", 2)
    reply = raw.command(b"APPEND INBOX ", (mail("1"),), b" ", (mail("2"),), b" ", (mail("3"),))
    assert b"NO [LIMIT]" in reply[-1]  # RFC 5530 §3
    assert subjects(alice) == []
    assert b"OK" in raw.command(b"APPEND INBOX ", (mail("1"),), b" ", (mail("2"),))[-1]


@pytest.mark.parametrize(("uids", "text"), [
    ([7], "7"), ([1, 2, 3], "1:3"), ([1, 2, 4, 6, 7], "1:2,4,6:7"),
])
def test_appenduid_uid_sets_use_ranges(uids, text):
    assert uid_set(uids) == text
