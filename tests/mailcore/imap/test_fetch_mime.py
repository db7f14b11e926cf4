"""FETCH of MIME structure over the real listener: ENVELOPE groups, BODY[n.MIME], parts
inside message/rfc822, BODYSTRUCTURE details, and summaries stored by an older parser."""
import imaplib

import pytest
from imapclient import IMAPClient

from mailcore.mime.structure import parse_message
from mailcore.mime.summary import SUMMARY_VERSION
from mailcore.store.append import Target, append, append_many
from mailcore.store.fetch import get_message
from mailcore.store.messages import copy_messages
from mailcore.store.models import Message

PASSWORD = "correct horse battery staple"

GROUPS = (
    b"From: <@relay.example.net:route@example.net>\r\n"
    b"To: team: ann@example.net, Ben <ben@example.org>;, empty:;\r\n"
    b"Cc: Undisclosed recipients:;\r\n"
    b"Bcc: nodomain, <only (a comment) @example.org>\r\n"
    b"Subject: groups\r\n\r\nbody\r\n"
)
# The boundary is folded inside its quotes: unfolded it is "part one" (RFC 5322 §2.2.3).
FOLDED = (
    b"From: ann@example.net\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"part\r\n one\"\r\n\r\n"
    b"--part one\r\nContent-Type: text/x-custom; charset=us-ascii\r\n\r\nhello\r\n\r\n"
    b"--part one--\r\n"
)
INNER_HEADER = (
    b"From: ben@example.org\r\nDate: Tue, 01 Dec 2026 08:00:00 +0700\r\nSubject: inner\r\n"
    b"Content-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
)
INNER_BODY = (
    b"alt prologue\r\n--alt\r\nContent-Type: text/html\r\n\r\n<p>Hi</p>\r\n\r\n"
    b"--alt\r\nContent-Type: text/plain\r\n\r\nHi there\r\n\r\n--alt--\r\nalt epilogue\r\n"
)
NESTED = (
    b"From: ann@example.net\r\nSubject: outer\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n"
    b"--outer\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n\r\n"
    b"--outer\r\nContent-Type: message/rfc822\r\n\r\n" + INNER_HEADER + INNER_BODY + b"\r\n"
    b"--outer--\r\nouter epilogue\r\n"
)
ENCAPSULATED = b"From: ben@example.org\r\nSubject: attached\r\n\r\nHello world\r\n"
RFC822_TOP = (
    b"From: ann@example.net\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + ENCAPSULATED
)
RFC822_TWICE = (
    b"From: ann@example.net\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
    b"From: ben@example.org\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + ENCAPSULATED
)
DIGEST = (
    b"From: ann@example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n"
    b"--d\r\n\r\nFrom: one@example.net\r\nSubject: one\r\n\r\nfirst\r\n"
    b"--d\r\nX-Part: two\r\n\r\nFrom: two@example.net\r\nSubject: two\r\n\r\nsecond\r\n"
    b"--d--\r\n"
)
PLAIN = (
    b"From: ann@example.net\r\nContent-Type: text/plain; format=flowed\r\nContent-Language: vi, en (English)\r\n"
    b"\r\nline one\r\nline two\r\n"
)


@pytest.fixture
def mailbox(alice, imap):
    """Log in and select INBOX after appending the given messages (1, 2, ... in order)."""

    def select(*raws):
        for raw in raws:
            append(alice.pk, "INBOX", raw)
        imap.login("alice@example.test", PASSWORD)
        imap.select("INBOX")
        return imap

    return select


def fetch(client, seq, item) -> bytes:
    """The whole FETCH response of one message as bytes, literals inlined."""
    typ, data = client.fetch(seq, item)
    assert typ == "OK", data
    return b"".join(b"".join(part) if isinstance(part, tuple) else part for part in data)


def section(client, seq, spec) -> bytes | None:
    """The octets of BODY.PEEK[spec]; b"" for an empty string answer."""
    typ, data = client.fetch(seq, f"(BODY.PEEK[{spec}])")
    assert typ == "OK", data
    if isinstance(data[0], tuple):
        return data[0][1]
    assert data[0].endswith(b' "")'), data  # a section that does not exist is empty
    return b""


def test_rfc3501_7_4_2_envelope_shows_groups(mailbox):
    client = mailbox(GROUPS)
    envelope = fetch(client, "1", "(ENVELOPE)")
    assert (b'((NIL NIL "team" NIL)(NIL NIL "ann" "example.net")("Ben" NIL "ben" "example.org")(NIL NIL NIL NIL)'
            b'(NIL NIL "empty" NIL)(NIL NIL NIL NIL))') in envelope
    assert b'((NIL NIL "Undisclosed recipients" NIL)(NIL NIL NIL NIL))' in envelope


def test_rfc3501_7_4_2_envelope_shows_a_source_route_as_adl(mailbox):
    client = mailbox(GROUPS)
    envelope = fetch(client, "1", "(ENVELOPE)")
    assert b'((NIL "@relay.example.net" "route" "example.net"))' in envelope


def test_rfc3501_7_4_2_an_address_without_domain_is_not_a_group_marker(mailbox):
    """A NIL host would read as the start of a group: the reference shows MISSING_DOMAIN."""
    client = mailbox(GROUPS)
    envelope = fetch(client, "1", "(ENVELOPE)")
    # A comment inside the angle brackets is white space, not a display name.
    assert b'((NIL NIL "nodomain" "MISSING_DOMAIN")(NIL NIL "only" "example.org"))' in envelope


def test_rfc3501_7_4_2_imapclient_reads_groups_as_group_markers(alice, imap_host):
    append(alice.pk, "INBOX", GROUPS)
    with IMAPClient("127.0.0.1", port=imap_host.ports["imap"], ssl=False, timeout=10) as client:
        client.login("alice@example.test", PASSWORD)
        client.select_folder("INBOX")
        envelope = client.fetch([1], ["ENVELOPE"])[1][b"ENVELOPE"]
    to = [(a.name, a.mailbox, a.host) for a in envelope.to]
    assert to == [(None, b"team", None), (None, b"ann", b"example.net"), (b"Ben", b"ben", b"example.org"),
                  (None, None, None), (None, b"empty", None), (None, None, None)]
    assert envelope.from_[0].route == b"@relay.example.net"


def test_rfc5322_2_2_3_a_boundary_folded_in_its_quotes_still_splits_the_parts(mailbox):
    client = mailbox(FOLDED)
    body = fetch(client, "1", "(BODY)")
    # "hello\r\n" is 7 octets and 1 line; the CRLF after it belongs to the delimiter.
    assert b'(BODY (("text" "x-custom" ("charset" "us-ascii") NIL NIL "7bit" 7 1) "mixed"))' in body
    assert section(client, "1", "1") == b"hello\r\n"


def test_rfc3501_6_4_5_body_n_mime_is_the_mime_header_of_part_n(mailbox):
    client = mailbox(NESTED)
    assert section(client, "1", "1.MIME") == b"Content-Type: text/plain; charset=us-ascii\r\n\r\n"
    assert section(client, "1", "1") == b"hello\r\n"
    assert section(client, "1", "2.MIME") == b"Content-Type: message/rfc822\r\n\r\n"
    assert section(client, "1", "2.1.MIME") == b"Content-Type: text/html\r\n\r\n"


def test_rfc3501_6_4_5_a_message_rfc822_part_is_the_whole_encapsulated_message(mailbox):
    client = mailbox(NESTED)
    assert section(client, "1", "2") == INNER_HEADER + INNER_BODY
    assert section(client, "1", "2.HEADER") == INNER_HEADER
    assert section(client, "1", "2.TEXT") == INNER_BODY
    assert section(client, "1", "2.HEADER.FIELDS (SUBJECT)") == b"Subject: inner\r\n\r\n"


def test_rfc3501_6_4_5_numbers_after_a_message_rfc822_part_name_its_parts(mailbox):
    client = mailbox(NESTED)
    assert section(client, "1", "2.1") == b"<p>Hi</p>\r\n"
    assert section(client, "1", "2.2") == b"Hi there\r\n"
    assert section(client, "1", "2.2.MIME") == b"Content-Type: text/plain\r\n\r\n"
    assert section(client, "1", "2.3") == b""


def test_rfc3501_6_4_5_part_1_of_a_message_rfc822_message_is_the_encapsulated_message(mailbox):
    client = mailbox(RFC822_TOP)
    assert section(client, "1", "1") == ENCAPSULATED
    assert section(client, "1", "1.1") == b"Hello world\r\n"
    assert section(client, "1", "1.HEADER") == b"From: ben@example.org\r\nSubject: attached\r\n\r\n"
    assert section(client, "1", "1.TEXT") == b"Hello world\r\n"
    assert section(client, "1", "TEXT") == ENCAPSULATED


def test_rfc3501_6_4_5_a_message_encapsulated_twice_is_numbered_at_each_level(mailbox):
    client = mailbox(RFC822_TWICE)
    middle = b"From: ben@example.org\r\nMIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
    assert section(client, "1", "1") == middle + ENCAPSULATED
    assert section(client, "1", "1.HEADER") == middle
    assert section(client, "1", "1.1") == ENCAPSULATED
    assert section(client, "1", "1.1.1") == b"Hello world\r\n"
    assert section(client, "1", "1.1.HEADER") == b"From: ben@example.org\r\nSubject: attached\r\n\r\n"


def test_rfc3501_6_4_5_a_part_that_is_not_multipart_has_no_part_below_it(mailbox):
    client = mailbox(NESTED, PLAIN)
    assert section(client, "1", "1.1") == b""
    assert section(client, "2", "1") == b"line one\r\nline two\r\n"
    assert section(client, "2", "1.1") == b""


def test_rfc3501_6_4_5_body_1_mime_of_a_single_part_message_is_its_header_as_served(alice, mailbox):
    """A delivered copy starts with its own trace fields: its header does, whichever way it is asked."""
    trace = b"Return-Path: <ann@example.net>\r\nDelivered-To: alice@example.test\r\n"
    append_many(PLAIN, [Target(alice.pk, trace=trace)])
    client = mailbox()
    header = PLAIN.split(b"\r\n\r\n")[0] + b"\r\n\r\n"
    assert section(client, "1", "HEADER") == trace + header
    assert section(client, "1", "1.MIME") == trace + header
    assert section(client, "1", "1") == b"line one\r\nline two\r\n"


def test_rfc2046_5_1_5_digest_parts_are_messages_with_their_own_mime_header(mailbox):
    client = mailbox(DIGEST)
    assert section(client, "1", "1.MIME") == b"\r\n"  # no header fields at all
    assert section(client, "1", "1.HEADER") == b"From: one@example.net\r\nSubject: one\r\n\r\n"
    assert section(client, "1", "2.MIME") == b"X-Part: two\r\n\r\n"
    assert section(client, "1", "2.TEXT") == b"second"
    assert b'("message" "rfc822" NIL NIL NIL "7bit"' in fetch(client, "1", "(BODY)")


def test_rfc3501_7_4_2_bodystructure_of_message_rfc822_has_envelope_structure_and_lines(mailbox):
    client = mailbox(NESTED)
    body = fetch(client, "1", "(BODYSTRUCTURE)")
    inner = INNER_HEADER + INNER_BODY
    expected = (
        b'("message" "rfc822" NIL NIL NIL "7bit" %d '
        b'("Tue, 01 Dec 2026 08:00:00 +0700" "inner" ((NIL NIL "ben" "example.org")) ((NIL NIL "ben" "example.org")) '
        b'((NIL NIL "ben" "example.org")) NIL NIL NIL NIL NIL) '
        b'(("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL)'
        b'("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 10 1 NIL NIL NIL NIL) "alternative" '
        b'("boundary" "alt") NIL NIL NIL) %d NIL NIL NIL NIL)'
    ) % (len(inner), inner.count(b"\n"))
    assert expected in body


def test_rfc3501_7_4_2_body_lines_are_the_line_breaks_of_the_part(mailbox):
    raw = (b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nno break\r\n"
           b"--b\r\n\r\nbreak\r\n\r\n--b--\r\n")
    client = mailbox(raw)
    body = fetch(client, "1", "(BODY)")
    assert b'"7bit" 8 0)' in body  # "no break": its CRLF belongs to the delimiter
    assert b'"7bit" 7 1)' in body


def test_rfc2045_5_2_a_text_part_without_charset_shows_us_ascii(mailbox):
    client = mailbox(PLAIN)
    body = fetch(client, "1", "(BODYSTRUCTURE)")
    assert b'("text" "plain" ("format" "flowed" "charset" "us-ascii") NIL NIL "7bit" 20 2 ' in body


def test_rfc3501_7_4_2_content_language_is_a_list_of_tags(mailbox):
    client = mailbox(PLAIN)
    body = fetch(client, "1", "(BODYSTRUCTURE)")
    assert body.endswith(b' NIL NIL ("vi" "en") NIL))')


# What the parser before SUMMARY_VERSION 2 stored: groups flattened into their members.
OLD_ENVELOPE = [None, None, [[None, None, "ann", "example.net"]], None, None,
                [[None, None, "ann", "example.net"], [None, None, "ben", "example.org"]], None, None, None, None]


def test_rfc2231_a_non_ascii_parameter_is_sent_encoded_in_7_bits(mailbox):
    raw = ("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           "Content-Type: application/pdf; name*=utf-8''H%C3%B3a%20%C4%91%C6%A1n.pdf\r\n"
           'Content-Disposition: attachment; filename="Hóa đơn.pdf"\r\n\r\n%PDF\r\n--b--\r\n').encode()
    client = mailbox(raw)
    body = fetch(client, "1", "(BODYSTRUCTURE)")
    assert body.isascii()  # RFC 3501 §9: a quoted string holds 7-bit characters
    assert b'("name*" "utf-8\'\'H%C3%B3a%20%C4%91%C6%A1n.pdf")' in body
    assert b'("attachment" ("filename*" "utf-8\'\'H%C3%B3a%20%C4%91%C6%A1n.pdf"))' in body


def test_rfc3501_9_eight_bit_envelope_text_is_sent_as_a_literal(mailbox):
    client = mailbox("From: Nguyễn <an@example.net>\r\nSubject: Hóa đơn\r\n\r\nx\r\n".encode())
    typ, data = client.fetch("1", "(ENVELOPE)")
    assert typ == "OK"
    assert data[0][0].endswith(b"(ENVELOPE (NIL {%d}" % len("Hóa đơn".encode()))
    assert data[0][1] == "Hóa đơn".encode()
    whole = b"".join(part if isinstance(part, bytes) else b"".join(part) for part in data)
    assert whole.count(b"(({%d}" % len("Nguyễn".encode()) + "Nguyễn".encode() + b' NIL "an" "example.net"))') == 3


def _old_structure(raw: bytes) -> dict:
    """What it stored for FOLDED: the folded boundary unseen, one empty part."""
    structure, _headers = parse_message(raw)
    structure["parts"] = [{**structure["parts"][0], "subtype": "plain", "body": [0, 0], "lines": 9}]
    return structure


def test_a_summary_stored_by_an_older_parser_answers_as_a_new_one(alice, mailbox):
    append(alice.pk, "INBOX", FOLDED)
    copy_messages(alice.pk, "INBOX", [1], "Trash")  # a second row on the same blob
    Message.objects.filter(account=alice).update(envelope=OLD_ENVELOPE, structure=_old_structure(FOLDED),
                                                 summary_version=1)
    modseqs = sorted(Message.objects.filter(account=alice).values_list("modseq", flat=True))
    client = mailbox()
    body = fetch(client, "1", "(BODY ENVELOPE)")
    assert b'(BODY (("text" "x-custom" ("charset" "us-ascii") NIL NIL "7bit" 7 1) "mixed")' in body
    assert b'"ann" "example.net"' in body and b'"ben"' not in body
    assert section(client, "1", "1") == b"hello\r\n"
    # Written back: every row of that blob (the copy in Trash too) now holds the new summary.
    rows = Message.objects.filter(account=alice)
    assert rows.count() == 2
    assert set(rows.values_list("summary_version", flat=True)) == {SUMMARY_VERSION}
    assert all(row.structure["parts"][0]["subtype"] == "x-custom" for row in rows)
    assert sorted(rows.values_list("modseq", flat=True)) == modseqs  # a correction, not a change


def test_an_older_summary_is_refreshed_for_body_sections_and_the_webmail_too(alice, mailbox):
    append(alice.pk, "INBOX", GROUPS)
    Message.objects.filter(account=alice).update(envelope=OLD_ENVELOPE, summary_version=1)
    message = get_message(alice.pk, "INBOX", 1)  # the webmail's read
    assert message.envelope[5][0] == [None, None, "team", None]
    Message.objects.filter(account=alice).update(envelope=OLD_ENVELOPE, summary_version=1)
    client = mailbox()
    answer = fetch(client, "1", "(BODY.PEEK[1] ENVELOPE)")
    assert b'(NIL NIL "team" NIL)' in answer


def test_imaplib_still_parses_every_answer(mailbox):
    """Every item at once, for the messages above: imaplib reads the whole response."""
    client = mailbox(GROUPS, FOLDED, NESTED, RFC822_TOP, RFC822_TWICE, DIGEST, PLAIN)
    typ, data = client.fetch("1:*", "(ENVELOPE BODY BODYSTRUCTURE BODY.PEEK[1.MIME])")
    assert typ == "OK"
    starts = [(part[0] if isinstance(part, tuple) else part).split(b" ", 1)[0] for part in data]
    assert [start for start in starts if start != b")"] == [b"%d" % n for n in range(1, 8)]
    with pytest.raises(imaplib.IMAP4.error):
        client.fetch("1", "(BODY.PEEK[1.MIME.TEXT])")
