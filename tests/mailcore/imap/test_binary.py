"""FETCH BINARY[], BINARY.PEEK[] and BINARY.SIZE[] (RFC 3516 §4.2, §4.3) over the real
listener: the part's content with its transfer encoding removed. A raw socket reads the
literal8 (~{n}) replies, which no client library parses."""
import imaplib
import re

import pytest

from mailcore.mime.transfer import decode, decode_base64, decode_quoted_printable

from .raw_imap import PASSWORD, RawImap

PAYLOAD = b"\x00\x01-\x80\xff\r\n\n\r\x00end"
MIXED = (
    b"From: ann@example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=xx\r\n\r\n"
    b"--xx\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    b"aGVs\r\nbG8gd29y\r\nbGQ=\r\n"
    b"--xx\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\n"
    b"caf=C3=A9  \r\nsoft=\r\nbreak =3D end\r\n"
    b"--xx\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\nas is =41\r\n"
    b"--xx\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n"
    b"--xx--\r\n"
)
BINARY_PART = (b"From: ann@example.net\r\nMime-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
               b"Content-Transfer-Encoding: binary\r\n\r\n" + PAYLOAD)


@pytest.fixture
def raw(alice, imap_host):
    connection = RawImap(imap_host.ports["imap"])
    connection.command(b"APPEND INBOX ", (MIXED,))
    connection.command(b"APPEND INBOX ~{%d+}\r\n" % len(BINARY_PART) + BINARY_PART)
    connection.command(b"SELECT INBOX")
    yield connection
    connection.close()


@pytest.fixture
def client(raw, imap):
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def fetched(client, items: str, message: bytes = b"1") -> list:
    typ, data = client.fetch(message, items)
    assert typ == "OK", data
    return data


def reply(raw, line: bytes) -> bytes:
    return b"".join(raw.command(line))


def test_rfc3516_3_binary_is_advertised(client):
    assert "BINARY" in client.capabilities


def test_rfc3516_4_2_binary_returns_the_decoded_part(client):
    data = fetched(client, "(BINARY.PEEK[1] BINARY.PEEK[2] BINARY.PEEK[3])")
    assert data[0][0].endswith(b"BINARY[1] {11}") and data[0][1] == b"hello world"
    assert data[1][0].endswith(b"BINARY[2] {22}") and data[1][1] == "café\r\nsoftbreak = end".encode()
    assert data[2][0].endswith(b"BINARY[3] {9}") and data[2][1] == b"as is =41"  # 8bit: as it is


def test_rfc3516_4_2_binary_size_is_the_decoded_size(client):
    data = fetched(client, "(BINARY.SIZE[1] BINARY.SIZE[2] BINARY.SIZE[3] BINARY.SIZE[9])")
    assert b"BINARY.SIZE[1] 11 BINARY.SIZE[2] 22 BINARY.SIZE[3] 9 BINARY.SIZE[9] 0" in data[0]


def test_rfc3516_4_2_partial_ranges_apply_to_the_decoded_data(client):
    data = fetched(client, "(BINARY.PEEK[1]<6.100> BINARY.PEEK[2]<3.4>)")
    assert data[0][0].endswith(b"BINARY[1]<6> {5}") and data[0][1] == b"world"
    assert data[1][0].endswith(b"BINARY[2]<3> {4}") and data[1][1] == "é\r\n".encode()


def test_rfc3516_4_2_decoded_nul_octets_come_in_a_literal8(raw):
    answer = reply(raw, b"FETCH 2 (BINARY.SIZE[1] BINARY.PEEK[1])")
    assert b"* 2 FETCH (BINARY.SIZE[1] %d BINARY[1] ~{%d}\r\n" % (len(PAYLOAD), len(PAYLOAD)) + PAYLOAD + b")" in answer
    assert reply(raw, b"FETCH 2 (BINARY.PEEK[1]<0.2>)").startswith(b"* 2 FETCH (BINARY[1]<0> ~{2}\r\n\x00\x01)")
    assert b"BINARY[1]<2> {3}\r\n-\x80\xff)" in reply(raw, b"FETCH 2 (BINARY.PEEK[1]<2.3>)")  # no NUL: a literal


def test_rfc3516_4_2_binary_of_the_whole_message_is_body(client):
    whole = fetched(client, "(BODY.PEEK[])")[0][1]
    data = fetched(client, "(BINARY.PEEK[] BINARY.SIZE[])")
    assert data[0][1] == whole and data[1] == b" BINARY.SIZE[] %d)" % len(whole)


def test_rfc3516_4_2_binary_sets_seen_and_peek_and_size_do_not(client):
    fetched(client, "(BINARY.PEEK[1] BINARY.SIZE[1])")
    assert b"\\Seen" not in fetched(client, "(FLAGS)")[0]
    data = fetched(client, "(BINARY[1])")
    assert any(b"\\Seen" in (item[0] if isinstance(item, tuple) else item) for item in data)
    assert b"\\Seen" in fetched(client, "(FLAGS)")[0]


def test_rfc3516_4_3_an_unknown_transfer_encoding_answers_unknown_cte(raw):
    answer = raw.command(b"FETCH 1 (BINARY.PEEK[4])")
    assert re.match(rb"r\d+ NO \[UNKNOWN-CTE\] ", answer[-1]), answer
    assert raw.command(b"FETCH 1 (BINARY.SIZE[4])")[-1].split()[1:3] == [b"NO", b"[UNKNOWN-CTE]"]
    assert raw.command(b"FETCH 1 (BODY.PEEK[4])")[-1].split()[1] == b"OK"  # BODY[] still serves it
    assert b"\\Seen" not in reply(raw, b"FETCH 1 (FLAGS)")


@pytest.mark.parametrize("section", [b"HEADER", b"TEXT", b"1.MIME", b"1.HEADER", b"0", b"1.x"])
def test_rfc3516_9_a_binary_section_is_only_part_numbers(raw, section):
    assert raw.command(b"FETCH 1 (BINARY.PEEK[" + section + b"])")[-1].split()[1] == b"BAD"
    assert raw.command(b"FETCH 1 (BINARY.SIZE[" + section + b"])")[-1].split()[1] == b"BAD"
    assert raw.command(b"NOOP")[-1].split()[1] == b"OK"  # the session goes on


def test_rfc3516_9_binary_size_takes_no_partial(raw):
    assert raw.command(b"FETCH 1 (BINARY.SIZE[1]<0.5>)")[-1].split()[1] == b"BAD"


def test_rfc3516_4_2_uid_fetch_binary_works_too(raw):
    assert b"BINARY[1] {11}\r\nhello world" in reply(raw, b"UID FETCH 1 (BINARY.PEEK[1])")


def test_rfc2045_6_8_broken_base64_decodes_what_it_can():
    assert decode_base64(b"aGVs\r\nbG8g d29y*bGQ") == b"hello world"  # junk skipped, padding missing
    assert decode_base64(b"aGVsbG8=\r\nIHdvcmxk") == b"hello world"  # data after "=" still decoded
    assert decode_base64(b"aGVsbG8gd29ybGQx2") == b"hello world1"  # a lone last character dropped
    assert decode_base64(b"====") == b""


def test_rfc2045_6_7_quoted_printable_keeps_what_is_not_an_escape():
    assert decode_quoted_printable(b"a=XYb=4\r\nc=c3=a9 =\t\r\nd  \r\n") == "a=XYb=4\r\ncé d\r\n".encode()
    assert decode_quoted_printable(b"end=") == b"end"
    assert decode(b"x=41", "7BIT") == b"x=41" and decode(b"x=41", ' "quoted-printable" (c)') == b"xA"


def test_rfc3516_4_2_a_broken_part_is_served_not_refused(raw):
    broken = (b"From: ann@example.net\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\n"
              b"aGVsbG8@@gd29y*bGQ\r\nAAEC=Zm9v\r\n")
    raw.command(b"APPEND INBOX ", (broken,))
    raw.command(b"NOOP")
    answer = reply(raw, b"FETCH 3 (BINARY.PEEK[1] BINARY.SIZE[1])")
    assert answer.endswith(b" OK FETCH completed\r\n") and b"BINARY.SIZE[1] " in answer, answer


def test_rfc3516_imaplib_reads_a_binary_fetch_of_a_text_part(client):
    # imaplib knows only {n}: a part without NUL must not come as ~{n}
    assert isinstance(fetched(client, "(BINARY.PEEK[2])")[0], tuple)
    with pytest.raises(imaplib.IMAP4.error):
        client.fetch(b"1", "(BINARY.PEEK[TEXT])")
