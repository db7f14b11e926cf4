"""APPEND (synchronizing and LITERAL+ literals, APPENDUID) and SEARCH / UID SEARCH."""
import imaplib
import time

import pytest

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.models import Folder, Message

PASSWORD = "correct horse battery staple"


@pytest.fixture
def logged_in(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def test_append_with_flags_and_date_answers_appenduid(alice, logged_in):
    raw = b"From: alice@example.test\r\nSubject: draft\r\n\r\nHello\r\n"
    typ, _data = logged_in.append("Drafts", "(\\Draft \\Seen)", imaplib.Time2Internaldate(time.time() - 86400), raw)
    assert typ == "OK"
    drafts = Folder.objects.get(account=alice, name="Drafts")
    assert logged_in.untagged_responses["APPENDUID"] == [b"%d 1" % drafts.uidvalidity]
    message = Message.objects.get(folder=drafts)
    assert message.draft and message.seen and message.subject == "draft"


def test_append_to_a_missing_folder_says_trycreate(logged_in):
    typ, data = logged_in.append("Nowhere", None, None, b"Subject: x\r\n\r\ny\r\n")
    assert typ == "NO" and b"TRYCREATE" in data[0]


def test_append_too_large(alice, imap, settings):
    # The limit is read when the command starts: set it before the session reads APPEND.
    settings.HOPTHU_MAX_MESSAGE_SIZE = 100
    imap.login("alice@example.test", PASSWORD)
    with pytest.raises(imaplib.IMAP4.error, match="TOOBIG"):
        imap.append("INBOX", None, None, b"Subject: x\r\n\r\n" + b"y" * 200)  # refused before the data
    assert imap.noop()[0] == "OK"
    assert imap.append("INBOX", None, None, b"Subject: x\r\n\r\ny")[0] == "OK"


def test_append_into_the_selected_folder_reports_exists(logged_in):
    logged_in.select("INBOX")
    logged_in.append("INBOX", None, None, b"Subject: x\r\n\r\ny\r\n")
    assert logged_in.untagged_responses["EXISTS"][-1] == b"1"


def test_literal_plus_append(alice, imap_host):
    import socket

    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        raw.sendall(b'a LOGIN alice@example.test "' + PASSWORD.encode() + b'"\r\n')
        assert reader.readline().startswith(b"a OK")
        body = b"Subject: plus\r\n\r\nno wait\r\n"
        raw.sendall(b"b APPEND INBOX {%d+}\r\n" % len(body) + body + b"\r\n")
        reply = reader.readline()
        assert reply.startswith(b"b OK [APPENDUID"), reply
    assert Message.objects.get(account=alice).subject == "plus"


@pytest.fixture
def mailbox(alice, logged_in):
    raws = [
        "From: Nguyễn An <an@example.net>\r\nTo: alice@example.test\r\nSubject: Hóa đơn tháng 11\r\n"
        "Date: Mon, 02 Nov 2026 10:00:00 +0700\r\n\r\nSố tiền: 500.000đ\r\n",
        "From: bob@example.test\r\nTo: alice@example.test\r\nSubject: Lunch\r\n"
        "Date: Tue, 03 Nov 2026 10:00:00 +0700\r\n\r\nPho at noon?\r\n",
        "From: carol@example.org\r\nTo: team@example.test\r\nCc: alice@example.test\r\nSubject: Report\r\n"
        "Date: Wed, 04 Nov 2026 10:00:00 +0700\r\n\r\n" + "big " * 500 + "\r\n",
    ]
    for raw in raws:
        append(alice.pk, "INBOX", raw.encode())
    store_flags(alice.pk, "INBOX", [2], ["\\Seen", "\\Flagged", "$Lunch"])
    logged_in.select("INBOX")
    return logged_in


def search(client, *criteria, uid=False):
    typ, data = client.uid("SEARCH", *criteria) if uid else client.search(None, *criteria)
    assert typ == "OK", data
    return data[0].split()


@pytest.mark.parametrize(("criteria", "expected"), [
    (("ALL",), [b"1", b"2", b"3"]),
    (("SEEN",), [b"2"]),
    (("UNSEEN",), [b"1", b"3"]),
    (("FLAGGED", "SEEN"), [b"2"]),
    (("OR", "FLAGGED", "LARGER", "1000"), [b"2", b"3"]),
    (("NOT", "SEEN"), [b"1", b"3"]),
    (("KEYWORD", "$Lunch"), [b"2"]),
    (("UNKEYWORD", "$Lunch"), [b"1", b"3"]),
    (("SUBJECT", "lunch"), [b"2"]),
    (("SUBJECT", '"hoa don"'), [b"1"]),
    (("TEXT", '"tiền"'.encode()), [b"1"]),
    (("BODY", "noon"), [b"2"]),
    (("FROM", "nguyen"), [b"1"]),
    (("CC", "alice"), [b"3"]),
    (("SENTBEFORE", "3-Nov-2026"), [b"1"]),
    (("SENTON", "3-Nov-2026"), [b"2"]),
    (("2:3", "UNSEEN"), [b"3"]),
    (("UID", "1,3"), [b"1", b"3"]),
    (("(OR SEEN FROM carol)", "NOT DELETED"), [b"2", b"3"]),
    (("HEADER", "Subject", "Report"), [b"3"]),
    (("SUBJECT", '""'), [b"1", b"2", b"3"]),
])
def test_search_keys(mailbox, criteria, expected):
    assert search(mailbox, *criteria) == expected


def test_uid_search_answers_uids(alice, mailbox):
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    mailbox.expunge()
    assert search(mailbox, "ALL", uid=True) == [b"2", b"3"]
    assert search(mailbox, "ALL") == [b"1", b"2"]


def test_search_with_charset(mailbox):
    typ, data = mailbox.search("UTF-8", "SUBJECT", '"hóa"'.encode())
    assert typ == "OK" and data[0] == b"1"
    typ, data = mailbox.search("KOI8-R", "ALL")
    assert typ == "NO" and b"BADCHARSET" in data[0]


@pytest.mark.parametrize("criteria", [("FOO",), ("LARGER", "x"), ("BEFORE", "32-Nov-2026"), ("(SEEN",), ("OR", "SEEN")])
def test_bad_searches(mailbox, criteria):
    with pytest.raises(imaplib.IMAP4.error):
        mailbox.search(None, *criteria)
    assert mailbox.noop()[0] == "OK"
