"""CATENATE (RFC 4469): APPEND built from TEXT literals and URLs of stored messages
(RFC 5092), alone or with MULTIAPPEND, all or nothing."""
import imaplib

import pytest

from mailcore.imap.errors import ImapNo
from mailcore.imap.imapurl import MessagePartUrl, parse_url
from mailcore.store.append import append
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Folder, Message

from .raw_imap import PASSWORD, RawImap

HEADER = b"From: alice@example.test\r\nSubject: source\r\n\r\n"
SOURCE = HEADER + b"The body.\r\n"
MULTIPART = (b"From: alice@example.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
             b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
             b"--b\r\nContent-Type: text/plain\r\n\r\nfirst part\r\n"
             b"--b\r\nContent-Type: text/plain\r\n\r\nsecond part\r\n--b--\r\n")


@pytest.fixture
def source(alice):
    """INBOX UID 1 is SOURCE, UID 2 is MULTIPART; returns INBOX's UIDVALIDITY."""
    append(alice.pk, "INBOX", SOURCE)
    append(alice.pk, "INBOX", MULTIPART)
    return Folder.objects.get(account=alice, name="INBOX").uidvalidity


@pytest.fixture
def raw(alice, imap_host):
    connection = RawImap(imap_host.ports["imap"])
    yield connection
    connection.close()


def stored(account, folder="Drafts") -> list[bytes]:
    messages = Message.objects.filter(account=account, folder__name=folder).select_related("blob").order_by("uid")
    return [fetch_raw(message) for message in messages]


def status(reply: list[bytes]) -> bytes:
    return reply[-1].split(b" ", 2)[1]


def test_rfc4469_catenate_is_advertised(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    assert "CATENATE" in imap.capabilities and "MULTIAPPEND" in imap.capabilities


def test_rfc4469_text_and_url_parts_are_joined_in_order(alice, source, raw):
    reply = raw.command(b"APPEND Drafts (\\Seen) CATENATE (TEXT ", (b"X-Note: new\r\n",),
                        b' URL "/INBOX;UIDVALIDITY=%d/;UID=1/;SECTION=HEADER" TEXT ' % source, (b"New body\r\n",),
                        b")")
    assert status(reply) == b"OK" and b"[APPENDUID " in reply[-1]
    assert stored(alice) == [b"X-Note: new\r\n" + HEADER + b"New body\r\n"]
    assert Message.objects.get(account=alice, folder__name="Drafts").seen


@pytest.mark.parametrize(("url", "octets"), [
    ("/INBOX/;UID=1", SOURCE),
    ("/INBOX/;UID=1/;SECTION=HEADER", HEADER),
    ("/INBOX/;UID=1/;SECTION=TEXT", b"The body.\r\n"),
    ("/INBOX/;UID=1/;SECTION=1", b"The body.\r\n"),  # part 1 of a single-part message is its body
    ("/inbox/;uid=1/;section=header.fields%20(subject)", b"Subject: source\r\n\r\n"),
    ("/INBOX/;UID=1/;SECTION=HEADER.FIELDS.NOT%20(SUBJECT)", b"From: alice@example.test\r\n\r\n"),
    ("/INBOX/;UID=2/;SECTION=2", b"second part"),
    ("/INBOX/;UID=2/;SECTION=1.MIME", b"Content-Type: text/plain\r\n\r\n"),
    ("/INBOX/;UID=1/;PARTIAL=4.5", SOURCE[4:9]),  # RFC 5092 §6 / RFC 5550 URL-PARTIAL
    ("/INBOX/;UID=1/;SECTION=TEXT/;PARTIAL=4", b"body.\r\n"),
])
def test_rfc5092_url_parts_name_sections_and_ranges(alice, source, raw, url, octets):
    reply = raw.command(b'APPEND Drafts CATENATE (URL "' + url.encode() + b'" TEXT ', (b"!",), b")")
    assert status(reply) == b"OK", reply
    assert stored(alice) == [octets + b"!"]


def test_rfc4469_a_relative_url_is_resolved_against_the_selected_mailbox(alice, source, raw):
    assert b"BADURL ;UID=1]" in raw.command(b'APPEND Drafts CATENATE (URL ";UID=1")')[-1]  # nothing selected
    raw.command(b"SELECT INBOX")
    assert status(raw.command(b'APPEND Drafts CATENATE (URL ";UID=1/;SECTION=TEXT")')) == b"OK"
    assert stored(alice) == [b"The body.\r\n"]


@pytest.mark.parametrize("url", [
    "/INBOX;UIDVALIDITY=1/;UID=1",  # UIDVALIDITY changed (RFC 5092 §6)
    "/INBOX/;UID=99",  # no such message
    "/Nowhere/;UID=1",  # no such mailbox
    "/INBOX/;UID=1/;SECTION=4",  # no such part
    "/INBOX/;UID=1/;SECTION=BOGUS",
    "/INBOX",  # a mailbox, not a message
    "imap://alice%40example.test@127.0.0.1/INBOX/;UID=1",  # absolute: could name another server or user
    "/INBOX/;UID=1/;URLAUTH=anonymous",  # URLAUTH (RFC 4467) is not offered
    "/IN%ZZBOX/;UID=1",
])
def test_rfc4469_an_unresolvable_url_is_no_badurl_and_nothing_is_appended(alice, source, raw, url):
    reply = raw.command(b'APPEND Drafts CATENATE (TEXT ', (b"Subject: x\r\n\r\n",), b' URL "' + url.encode() + b'")')
    # RFC 4469 §5, §6: BADURL carries the URL as the client sent it.
    assert reply[-1].split(b" ", 3)[1:3] == [b"NO", b"[BADURL"] and url.encode() + b"]" in reply[-1]
    assert stored(alice) == []


def test_rfc4469_urls_reach_only_the_users_own_mailboxes(alice, bob, raw):
    append(bob.pk, "INBOX", b"Subject: bob's secret\r\n\r\nno\r\n")
    assert b"[BADURL" in raw.command(b'APPEND Drafts CATENATE (URL "/INBOX/;UID=1")')[-1]
    assert stored(alice) == []


def test_rfc4469_with_multiappend_one_bad_url_appends_none(alice, source, raw):
    reply = raw.command(b'APPEND Drafts CATENATE (URL "/INBOX/;UID=1") (\\Flagged) ', (b"Subject: plain\r\n\r\n.\r\n",),
                        b' CATENATE (URL "/INBOX/;UID=42")')
    assert b"NO [BADURL /INBOX/;UID=42]" in reply[-1]
    assert stored(alice) == []  # RFC 3502 §3 and RFC 4469 §4: all or nothing
    reply = raw.command(b'APPEND Drafts CATENATE (URL "/INBOX/;UID=1") (\\Flagged) ', (b"Subject: plain\r\n\r\n.\r\n",),
                        b' CATENATE (URL "/INBOX/;UID=1/;SECTION=HEADER" TEXT ', (b"third\r\n",), b")")
    assert status(reply) == b"OK" and b" 1:3] " in reply[-1]
    assert stored(alice) == [SOURCE, b"Subject: plain\r\n\r\n.\r\n", HEADER + b"third\r\n"]
    assert Message.objects.get(account=alice, folder__name="Drafts", uid=2).flagged


def test_rfc4469_a_missing_destination_says_trycreate_before_any_url_is_read(alice, raw):
    reply = raw.command(b'APPEND Nowhere CATENATE (URL "/INBOX;UIDVALIDITY=1/;UID=9")')
    assert b"NO [TRYCREATE]" in reply[-1]


def test_rfc4469_a_composed_message_over_the_size_limit_is_toobig(alice, source, raw, settings):
    settings.HOPTHU_MAX_MESSAGE_SIZE = len(SOURCE) + 10
    reply = raw.command(b'APPEND Drafts CATENATE (URL "/INBOX/;UID=1" URL "/INBOX/;UID=1")')
    assert b"NO [TOOBIG]" in reply[-1]  # RFC 4469 §5
    assert stored(alice) == []


def test_rfc4469_a_url_only_catenate_works_through_imaplib(alice, source, imap):
    imap.login("alice@example.test", PASSWORD)
    typ, _data = imap._simple_command("APPEND", "Drafts", "CATENATE", '(URL "/INBOX/;UID=2/;SECTION=1")')
    assert typ == "OK"
    assert stored(alice) == [b"first part"]


def test_rfc9051_a_nul_in_a_literal_is_bad(alice, raw):
    reply = raw.command(b"APPEND Drafts CATENATE (TEXT ", (b"Subject: x\r\n\r\na\x00b\r\n",), b")")
    assert status(reply) == b"BAD"  # RFC 9051 §9: a literal is CHAR8, never NUL
    assert status(raw.command(b"APPEND Drafts ", (b"Subject: x\r\n\r\na\x00b\r\n",))) == b"BAD"
    assert stored(alice) == []


def test_rfc4469_an_empty_catenate_list_is_bad(alice, raw):
    assert status(raw.command(b"APPEND Drafts CATENATE ()")) == b"BAD"


def test_append_still_takes_a_single_message_from_imaplib(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    assert imap.append("Drafts", None, None, SOURCE)[0] == "OK"
    assert stored(alice) == [SOURCE]
    with pytest.raises(imaplib.IMAP4.error):
        imap.append("Drafts", "(\\Recent)", None, SOURCE)


@pytest.mark.parametrize(("url", "selected", "expected"), [
    ("/INBOX/;UID=5", None, MessagePartUrl("INBOX", 5)),
    ("/Caf%C3%A9%20Bills;UIDVALIDITY=7/;UID=5/;SECTION=1.2.MIME/;PARTIAL=10.20", None,
     MessagePartUrl("Café Bills", 5, 7, "1.2.MIME", (), (10, 20))),
    ("/a/b/;uid=1/;section=HEADER.FIELDS%20(To%20Cc)", None,
     MessagePartUrl("a/b", 1, None, "HEADER.FIELDS", ("TO", "CC"))),
    (";UID=3", ("Work/Ideas", 42), MessagePartUrl("Work/Ideas", 3, 42)),
])
def test_rfc5092_message_part_urls_parse(url, selected, expected):
    assert parse_url(url, selected) == expected


@pytest.mark.parametrize("url", [
    "/INBOX/;UID=0", "/INBOX/;UID=99999999999", "/INBOX;UIDVALIDITY=0/;UID=1", "/;UID=1", "INBOX/;UID=1",
    "/INBOX/;UID=1/;PARTIAL=1.0", "/IN;BOX/;UID=1", "/INBOX/;UID=1/;SECTION=HEADER.FIELDS", "/%FF/;UID=1",
])
def test_rfc5092_malformed_urls_are_badurl(url):
    with pytest.raises(ImapNo) as error:
        parse_url(url, ("INBOX", 1))
    assert error.value.code == f"BADURL {url}"
