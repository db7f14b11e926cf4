"""APPEND of a literal8 (~{n}, RFC 3516 §4.4): binary parts are stored as base64."""
import base64
import email
import email.policy

import pytest

from mailcore.mime.binary import binary_parts_to_base64
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .raw_imap import RawImap

PAYLOAD = b"\x00\x01-\x80\xff\r\n\n\r\x00end"
SINGLE = (b"From: alice@example.test\r\nMime-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
          b"Content-Transfer-Encoding: binary\r\n\r\n" + PAYLOAD)
MULTIPART = (b"From: alice@example.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=xx\r\n\r\n"
             b"--xx\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
             b"--xx\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding:\r\n  BINARY\r\n"
             b"X-After: kept\r\n\r\n" + PAYLOAD + b"\r\n--xx--\r\n")


@pytest.fixture
def raw(alice, imap_host):
    connection = RawImap(imap_host.ports["imap"])
    yield connection
    connection.close()


def binary_literal(data: bytes) -> bytes:
    return b"~{%d+}\r\n" % len(data) + data  # LITERAL+ form of a literal8 (RFC 3516, RFC 7888)


def decoded_parts(raw: bytes) -> list[bytes]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return [part.get_payload(decode=False).encode() if part.get_content_maintype() == "text"
            else part.get_content() for part in message.walk() if not part.is_multipart()]


def test_rfc3516_a_binary_part_is_stored_as_base64_that_decodes_to_the_same_octets():
    converted = binary_parts_to_base64(MULTIPART)
    assert b"\x00" not in converted
    assert b"Content-Transfer-Encoding: base64\r\nX-After: kept\r\n" in converted
    assert converted.startswith(MULTIPART[:MULTIPART.index(b"--xx\r\nContent-Type: application")])
    assert decoded_parts(converted)[1] == PAYLOAD
    assert binary_parts_to_base64(b"Subject: plain\r\n\r\nno binary\r\n") == b"Subject: plain\r\n\r\nno binary\r\n"


def test_rfc3516_append_takes_a_literal8_and_stores_its_binary_part_as_base64(alice, raw):
    reply = raw.command(b"APPEND INBOX " + binary_literal(SINGLE))
    assert b" OK [APPENDUID " in reply[-1], reply
    stored = fetch_raw(Message.objects.select_related("blob").get(account=alice))
    header, _blank, body = stored.partition(b"\r\n\r\n")
    assert b"Content-Transfer-Encoding: base64" in header and b"\x00" not in stored
    assert base64.b64decode(body) == PAYLOAD  # BINARY[1] can give back exactly what was sent


def test_rfc3516_a_literal8_text_part_of_catenate_is_converted_too(alice, raw):
    reply = raw.command(b"APPEND INBOX CATENATE (TEXT " + binary_literal(MULTIPART) + b")")
    assert b" OK [APPENDUID " in reply[-1], reply
    stored = fetch_raw(Message.objects.select_related("blob").get(account=alice))
    assert decoded_parts(stored)[1] == PAYLOAD


def test_rfc3516_nul_outside_a_binary_part_is_refused(alice, raw):
    reply = raw.command(b"APPEND INBOX " + binary_literal(b"Subject: x\r\n\r\nnul \x00 in 8bit text\r\n"))
    assert reply[-1].split()[1] == b"NO"
    assert not Message.objects.filter(account=alice).exists()
