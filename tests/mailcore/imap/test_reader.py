"""Reading commands with literals, and the limits that bound hostile input."""
import asyncio

import pytest

from mailcore.imap.errors import ImapBad, ImapBye
from mailcore.imap.reader import LITERAL_CHUNK_OCTETS, PRELOGIN_MAX_LINE_OCTETS, Literal, prelogin_limits, read_command


class Writer:
    def __init__(self):
        self.sent = b""

    def write(self, data):
        self.sent += data

    async def drain(self):
        pass


def read(data: bytes, **limits):
    async def go():
        reader = asyncio.StreamReader(limit=limits.pop("stream_limit", 2**16))
        reader.feed_data(data)
        reader.feed_eof()
        writer = Writer()
        commands = []
        try:
            while True:
                try:
                    commands.append(await read_command(reader, writer, **{"max_literal": 1000, **limits}))
                except ImapBad as error:
                    commands.append(error)
        except (EOFError, ImapBye) as end:
            commands.append(end)
        return commands, writer.sent

    return asyncio.run(go())


def test_a_plain_line():
    commands, sent = read(b"a1 NOOP\r\n")
    assert commands[0] == [b"a1 NOOP"]
    assert isinstance(commands[1], EOFError) and sent == b""


def test_a_synchronizing_literal_gets_a_continuation():
    commands, sent = read(b"a1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n")
    assert commands[0] == [b"a1 LOGIN ", Literal(b"alice"), b" ", Literal(b"secret"), b""]
    assert sent.count(b"+ ") == 2


def test_a_non_synchronizing_literal_gets_none():
    commands, sent = read(b"a1 APPEND INBOX {12+}\r\nHello\r\nthere\r\n")
    assert commands[0] == [b"a1 APPEND INBOX ", Literal(b"Hello\r\nthere"), b""]
    assert sent == b""


def test_a_literal_over_the_limit():
    commands, sent = read(b"a1 APPEND INBOX {5000}\r\na2 NOOP\r\n", max_literal=100)
    assert isinstance(commands[0], ImapBad) and commands[0].code == "TOOBIG"
    assert commands[1] == [b"a2 NOOP"]  # the client did not send the data: the session goes on
    assert sent == b""
    commands, _sent = read(b"a1 APPEND INBOX {5000+}\r\n" + b"x" * 5000, max_literal=100)
    assert isinstance(commands[0], ImapBye)  # it sends the data anyway: close


def test_an_overlong_line_is_bad_and_the_next_command_is_read():
    commands, _sent = read(b"a1 " + b"x" * 5000 + b"\r\na2 NOOP\r\n", stream_limit=1024, max_line=1024)
    assert isinstance(commands[0], ImapBad)
    assert commands[1] == [b"a2 NOOP"]


def test_a_truncated_literal_is_the_end():
    commands, _sent = read(b"a1 LOGIN {50}\r\nshort")
    assert isinstance(commands[0], EOFError)


@pytest.mark.parametrize("data", [b"\r\n", b"\n", b"a1 NOOP\n"])
def test_odd_line_ends_still_make_commands(data):
    commands, _sent = read(data)
    assert isinstance(commands[0], list)


def test_a_literal_larger_than_a_chunk_is_read_whole_and_in_order():
    data = bytes(range(256)) * (3 * LITERAL_CHUNK_OCTETS // 256) + b"tail"
    commands, _sent = read(b"a1 APPEND INBOX {%d+}\r\n" % len(data) + data + b"\r\n", max_literal=len(data))
    assert commands[0] == [b"a1 APPEND INBOX ", Literal(data), b""]
    assert type(commands[0][1].data) is bytes


def test_rfc7888_4_a_refused_non_synchronizing_literal_says_bye_then_bad_with_its_tag():
    commands, _sent = read(b"x9 LOGIN {5000+}\r\n" + b"x" * 5000, max_literal=100)
    assert commands[0].reply() == (b"* BYE [TOOBIG] Literal too large; closing the connection\r\n"
                                   b"x9 BAD [TOOBIG] Literal too large; closing the connection\r\n")


def test_before_login_a_command_over_two_literals_and_a_line_is_refused_after_its_last_line():
    limits = prelogin_limits(100)
    commands, _sent = read(b"a1 ID (" + b"{100+}\r\n" + b"x" * 100 + b" {100+}\r\n" + b"y" * 100
                          + b" " + b"z" * (PRELOGIN_MAX_LINE_OCTETS - 4) + b")\r\na2 NOOP\r\n", **limits)
    assert isinstance(commands[0], ImapBad) and commands[0].code == "TOOBIG" and commands[0].tag == "a1"
    assert commands[1] == [b"a2 NOOP"]
