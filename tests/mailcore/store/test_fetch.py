"""Fetching: the whole message, its header, its text and MIME parts by section."""
import pytest

from mailcore.store.append import append
from mailcore.store.errors import MessageNotFound
from mailcore.store.fetch import fetch_raw, fetch_section, get_message

MIXED = (
    b"From: a@example.test\r\nSubject: parts\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="outer"\r\n\r\n'
    b"preamble\r\n--outer\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello body\r\n"
    b"--outer\r\nContent-Type: message/rfc822\r\n\r\n"
    b"Subject: inner\r\nFrom: b@example.test\r\n\r\ninner text\r\n"
    b"--outer\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--outer--\r\nepilogue\r\n"
)


@pytest.fixture
def mixed(alice):
    append(alice.pk, "INBOX", MIXED)
    return get_message(alice.pk, "INBOX", 1)


def test_it_fetches_the_whole_message(mixed):
    assert fetch_raw(mixed) == MIXED
    assert fetch_section(mixed, "") == MIXED


def test_it_fetches_header_and_text(mixed):
    header = fetch_section(mixed, "HEADER")
    assert header.startswith(b"From: a@example.test") and header.endswith(b"boundary=\"outer\"\r\n\r\n")
    assert fetch_section(mixed, "TEXT").startswith(b"preamble\r\n--outer")


def test_it_fetches_parts_by_section_number(mixed):
    assert fetch_section(mixed, "1") == b"Hello body"
    assert fetch_section(mixed, "1.MIME") == b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    assert fetch_section(mixed, "3") == b"JVBERi0="
    assert fetch_section(mixed, "2.HEADER") == b"Subject: inner\r\nFrom: b@example.test\r\n\r\n"
    assert fetch_section(mixed, "2.TEXT") == b"inner text"
    assert fetch_section(mixed, "2.1") == b"inner text"


def test_missing_sections_are_none(mixed):
    assert fetch_section(mixed, "9") is None
    assert fetch_section(mixed, "1.HEADER") is None
    assert fetch_section(mixed, "0") is None


def test_a_single_part_message_has_part_one(alice):
    append(alice.pk, "INBOX", b"Subject: single\r\n\r\njust text\r\n")
    single = get_message(alice.pk, "INBOX", 1)
    assert fetch_section(single, "1") == b"just text\r\n"


def test_an_unknown_uid_is_refused(alice):
    with pytest.raises(MessageNotFound):
        get_message(alice.pk, "INBOX", 7)
