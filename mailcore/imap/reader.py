"""Reading one IMAP command from the connection: its lines and its literals.

A command is one line, except that a literal ({n} or, with LITERAL+, {n+}; RFC 9051
§4.3, RFC 7888) puts n octets of data and then the rest of the line after it. For a
synchronizing literal the server first answers "+" (RFC 9051 §7.5), so reading and
the protocol interleave; this module does that part and hands the parser a list of
line pieces and Literal objects.

Limits keep hostile input bounded: line length, literal size, and the size of the whole
command. Over a limit the command is refused, and the connection closed when the
client would otherwise keep sending (a non-synchronizing literal over the limit).
Before login the limits are small (prelogin_limits): nobody may make the server hold
megabytes without a password. A large literal is read in chunks into a buffer of its
own size, so the StreamReader's buffer never grows to the size of the literal and
nothing of that size is kept once the command is done (docs/security.md).
"""
import asyncio
import re
from dataclasses import dataclass

from .errors import ImapBad, ImapBye

MAX_LINE_OCTETS = 65_536  # RFC 9051 §4 sets no limit; RFC 7162 §4 asks for at least 8192
MAX_COMMAND_OCTETS = 64 * 1024 * 1024  # all lines and literals of one command (APPEND)
MAX_LITERALS = 1000
# Before login (LOGIN, AUTHENTICATE, ID, STARTTLS, CAPABILITY) a line holds at most the
# largest ID: RFC 2971 §3.3 allows 30 pairs of a 30-octet field and a 1024-octet value,
# about 31 KB quoted (imaptest's "id" test sends it). The literal limit is
# HOPTHU_IMAP_MAX_LITERAL_BEFORE_LOGIN (8 KB by default).
PRELOGIN_MAX_LINE_OCTETS = 33 * 1024
LITERAL_CHUNK_OCTETS = 64 * 1024  # a large literal is read this much at a time

_LITERAL_RE = re.compile(rb"~?\{(\d{1,20})(\+?)\}\r?\n\Z")


@dataclass(frozen=True)
class Literal:
    data: bytes
    binary: bool = False  # literal8 ~{n} (RFC 3516), only where the grammar allows it


class TooBig(ImapBad):
    """A refused command the client sends no more of (a synchronizing literal refused
    instead of "+", RFC 9051 §7.5, or a command whose last line is read): the session goes on.

    `tag` is the command's tag, so the refusal can be tagged (RFC 7888 §4)."""

    def __init__(self, text, code, tag="*"):
        super().__init__(text, code=code)
        self.tag = tag


class LiteralRefused(ImapBye):
    """A refused non-synchronizing literal: BYE, the tagged BAD, and the connection closes.

    The order is LOGOUT's (RFC 9051 §6.1.3): the untagged BYE, then the command's tagged reply."""

    def __init__(self, text, code, tag="*"):
        super().__init__(text, code=code)
        self.tag = tag

    def reply(self, tag: str = "*") -> bytes:
        return super().reply() + ImapBad(self.text, code=self.code).reply(self.tag)


def prelogin_limits(max_literal: int) -> dict:
    """read_command's limits before login: the command is at most LOGIN's two literals
    and the line around them."""
    return {"max_literal": max_literal, "max_line": PRELOGIN_MAX_LINE_OCTETS,
            "max_command": 2 * max_literal + PRELOGIN_MAX_LINE_OCTETS}


async def read_command(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                       max_literal: int, max_line: int = MAX_LINE_OCTETS,
                       max_command: int = MAX_COMMAND_OCTETS) -> list:
    """Return the pieces of one command: bytes (line text, CRLF removed) and Literals.

    Raises EOFError at end of input, ImapBad for a refused command (the connection can go
    on), ImapBye when it can't.
    """
    pieces: list = []
    total = 0
    while True:
        line = await read_line(reader, max_line)
        total += len(line)
        match = _LITERAL_RE.search(line)
        if match is None:
            pieces.append(line.rstrip(b"\r\n"))
            if total > max_command:  # the line is read in full: the next command starts cleanly
                raise TooBig("Command too long", code="TOOBIG", tag=_tag(pieces))
            return pieces
        size, non_synchronizing = int(match.group(1)), bool(match.group(2))
        pieces.append(line[:match.start()])
        total += size
        if size > max_literal or total > max_command or len(pieces) > MAX_LITERALS:
            if non_synchronizing:
                # RFC 7888 §4: a server may refuse a non-synchronizing literal it finds too
                # large, with a tagged BAD [TOOBIG]. The client sends the octets anyway, without
                # waiting. Reading them to skip them would let anyone make us read 50 MB;
                # not reading them would take the literal's octets for commands (a literal
                # can hold "a2 DELETE INBOX\r\n"). So the reply ends the connection.
                raise LiteralRefused("Literal too large; closing the connection", code="TOOBIG",
                                     tag=_tag(pieces))
            # RFC 9051 §7.5: the tagged reply instead of "+": the client sends nothing more.
            raise TooBig("Literal too large", code="TOOBIG", tag=_tag(pieces))
        if not non_synchronizing:
            writer.write(b"+ Ready for literal data\r\n")
            await writer.drain()
        data = await _read_literal(reader, size)
        pieces.append(Literal(data, binary=line[match.start():match.start() + 1] == b"~"))


def _tag(pieces: list) -> str:
    return pieces[0].split(b" ", 1)[0].decode("ascii", "replace") or "*"


async def _read_literal(reader: asyncio.StreamReader, size: int) -> bytes:
    """n octets of a literal. readexactly(n) would first grow the StreamReader's buffer to
    n octets (it waits until all are buffered) and copy them out; in chunks the buffer
    stays near its limit and the literal is written once into memory of its own size."""
    try:
        if size <= LITERAL_CHUNK_OCTETS:
            return await reader.readexactly(size)
        buffer = bytearray(size)
        with memoryview(buffer) as view:
            filled = 0
            while filled < size:
                chunk = await reader.readexactly(min(LITERAL_CHUNK_OCTETS, size - filled))
                view[filled:filled + len(chunk)] = chunk
                filled += len(chunk)
        return bytes(buffer)
    except asyncio.IncompleteReadError as error:
        raise EOFError from error


async def read_line(reader: asyncio.StreamReader, max_line: int) -> bytes:
    """One line, CRLF included, of at most max_line octets (an AUTHENTICATE response).
    Raises ImapBad for a longer one, after skipping it; EOFError at end of input."""
    try:
        line = await reader.readuntil(b"\n")
    except asyncio.IncompleteReadError as error:  # the client went away, mid-line or not
        raise EOFError from error
    except asyncio.LimitOverrunError as error:
        # Skip the rest of the overlong line so the next command starts cleanly.
        await _discard_line(reader, error.consumed)
        raise ImapBad("Command line too long") from error
    if len(line) > max_line:
        raise ImapBad("Command line too long")
    return line


async def _discard_line(reader: asyncio.StreamReader, consumed: int):
    await reader.readexactly(consumed)
    while True:
        try:
            await reader.readuntil(b"\n")
            return
        except asyncio.LimitOverrunError as error:
            await reader.readexactly(error.consumed)
