"""Reading one IMAP command from the connection: its lines and its literals.

A command is one line, except that a literal ({n} or, with LITERAL+, {n+}; RFC 9051
§4.3, RFC 7888) puts n octets of data and then the rest of the line after it. For a
synchronizing literal the server first answers "+" (RFC 9051 §7.5), so reading and
the protocol interleave; this module does that part and hands the parser a list of
line pieces and Literal objects.

Limits keep hostile input bounded: line length, literal size, and the size of the whole
command. Over a limit the command is refused, and the connection closed when the
client would otherwise keep sending (a non-synchronizing literal over the limit).
"""
import asyncio
import re
from dataclasses import dataclass

from .errors import ImapBad, ImapBye

MAX_LINE_OCTETS = 65_536  # RFC 9051 §4 sets no limit; RFC 7162 §4 asks for at least 8192
MAX_COMMAND_OCTETS = 64 * 1024 * 1024  # all lines and literals of one command (APPEND)
MAX_LITERALS = 1000

_LITERAL_RE = re.compile(rb"~?\{(\d{1,20})(\+?)\}\r?\n\Z")


@dataclass(frozen=True)
class Literal:
    data: bytes
    binary: bool = False  # literal8 ~{n} (RFC 3516), only where the grammar allows it


class TooBig(ImapBad):
    """A refused synchronizing literal: the client sends nothing more, so the session goes on.

    `tag` is the command's tag, so the refusal can be tagged (RFC 7888 §4)."""

    def __init__(self, text, code, tag="*"):
        super().__init__(text, code=code)
        self.tag = tag


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
        line = await _read_line(reader, max_line)
        total += len(line)
        match = _LITERAL_RE.search(line)
        if match is None:
            pieces.append(line.rstrip(b"\r\n"))
            return pieces
        size, non_synchronizing = int(match.group(1)), bool(match.group(2))
        pieces.append(line[:match.start()])
        total += size
        if size > max_literal or total > max_command or len(pieces) > MAX_LITERALS:
            if non_synchronizing:
                # RFC 7888 §4: the client is sending the octets anyway; we won't read them.
                raise ImapBye("Literal too large", code="TOOBIG")
            first = pieces[0].split(b" ", 1)[0].decode("ascii", "replace") or "*"
            raise TooBig("Literal too large", code="TOOBIG", tag=first)
        if not non_synchronizing:
            writer.write(b"+ Ready for literal data\r\n")
            await writer.drain()
        try:
            data = await reader.readexactly(size)
        except asyncio.IncompleteReadError as error:
            raise EOFError from error
        pieces.append(Literal(data, binary=line[match.start():match.start() + 1] == b"~"))


async def _read_line(reader: asyncio.StreamReader, max_line: int) -> bytes:
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
