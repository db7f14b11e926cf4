"""FETCH and UID FETCH through imaplib and IMAPClient-style parsing."""
import email
import imaplib
import re

import pytest

from mailcore.store.append import append
from mailcore.store.models import Message

PASSWORD = "correct horse battery staple"
MIXED = (
    b"From: =?utf-8?Q?Nguy=E1=BB=85n?= <an@example.net>\r\nTo: alice@example.test\r\nCc: bob@example.test\r\n"
    b"Subject: =?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n?=\r\nDate: Mon, 02 Nov 2026 10:00:00 +0700\r\n"
    b"Message-ID: <m1@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
    b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nXin ch\xc3\xa0o\r\n"
    b"--b\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\nContent-Disposition: attachment; filename=\"a.pdf\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n"
)


@pytest.fixture
def selected(alice, imap):
    for raw in (MIXED, b"Subject: second\r\n\r\nhello\r\n", b"Subject: third\r\n\r\nworld\r\n"):
        append(alice.pk, "INBOX", raw)
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def fetch(client, *args, uid=False):
    typ, data = client.uid("FETCH", *args) if uid else client.fetch(*args)
    assert typ == "OK", data
    return data


def test_flags_uid_size_and_internaldate(selected):
    data = fetch(selected, "1:*", "(UID FLAGS RFC822.SIZE INTERNALDATE)")
    lines = [d for d in data if isinstance(d, bytes)]
    assert len(lines) == 3
    assert re.match(rb'1 \(UID 1 FLAGS \(\\Recent\) RFC822.SIZE \d+ '  # recent: first session to select
                    rb'INTERNALDATE "\d\d-\w{3}-\d{4} [\d:]+ \+0000"\)', lines[0])


def test_envelope(selected):
    data = fetch(selected, "1", "(ENVELOPE)")
    assert data[0].startswith(b'1 (ENVELOPE ("Mon, 02 Nov 2026 10:00:00 +0700" "=?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n?=" '
                              b'(("=?utf-8?Q?Nguy=E1=BB=85n?=" NIL "an" "example.net"))')
    assert b'<m1@example.net>' in data[0]


def test_bodystructure(selected):
    data = fetch(selected, "1", "(BODYSTRUCTURE)")
    text = data[0]
    # 9 octets, no line break: "Xin chào" ends at the CRLF that belongs to the boundary
    assert text.startswith(b'1 (BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 9 0')
    assert b'("application" "pdf" ("name" "a.pdf") NIL NIL "base64" 12' in text
    assert b'("attachment" ("filename" "a.pdf"))' in text
    assert b'"mixed" ("boundary" "b")' in text


def test_whole_message_sets_seen_and_peek_does_not(alice, selected):
    data = fetch(selected, "2", "(BODY.PEEK[])")
    assert data[0][1] == b"Subject: second\r\n\r\nhello\r\n"
    assert not Message.objects.get(account=alice, uid=2).seen
    data = fetch(selected, "2", "(BODY[])")
    assert b"\\Seen" in data[0][0] or b"\\Seen" in data[1]
    assert Message.objects.get(account=alice, uid=2).seen


def test_sections_parts_and_partial(selected):
    data = fetch(selected, "1", "(BODY.PEEK[1] BODY.PEEK[2.MIME] BODY.PEEK[TEXT]<0.7>)")
    assert data[0][1] == "Xin chào".encode()
    assert data[1][1].startswith(b"Content-Type: application/pdf")
    assert data[2][1] == b"--b\r\nCo"
    assert data[2][0].endswith(b"BODY[TEXT]<0> {7}")


def test_header_fields_and_not(selected):
    data = fetch(selected, "1", "(BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)])")
    header = data[0][1]
    assert header.startswith(b"From: ") and b"Subject: " in header and b"To:" not in header
    assert header.endswith(b"\r\n\r\n")
    data = fetch(selected, "1", "(BODY.PEEK[HEADER.FIELDS.NOT (SUBJECT FROM)])")
    assert b"Subject:" not in data[0][1] and b"To: alice@example.test" in data[0][1]


def test_rfc822_items_parse_as_mail(selected):
    data = fetch(selected, "1", "(RFC822)")
    message = email.message_from_bytes(data[0][1])
    assert message["Message-ID"] == "<m1@example.net>"


def test_uid_fetch_returns_uid_and_skips_missing(selected):
    data = fetch(selected, "2:99", "(FLAGS)", uid=True)
    lines = [d for d in data if isinstance(d, bytes)]
    assert [re.search(rb"UID (\d+)", line).group(1) for line in lines] == [b"2", b"3"]


def test_macros(selected):
    data = fetch(selected, "3", "FAST")
    assert b"FLAGS" in data[0] and b"RFC822.SIZE" in data[0] and b"ENVELOPE" not in data[0]
    data = fetch(selected, "3", "ALL")
    assert b"ENVELOPE" in data[0]


@pytest.mark.parametrize("args", [("4", "(FLAGS)"), ("0", "(FLAGS)"), ("1", "(FOO)"), ("1", "(BODY[1.X])"),
                                  ("1", "(BODY[HEADER.FIELDS ()])"), ("1", "BODY[")])
def test_bad_fetches(selected, args):
    with pytest.raises(imaplib.IMAP4.error):
        selected.fetch(*args)
    assert selected.noop()[0] == "OK"
