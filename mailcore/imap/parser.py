"""The IMAP command grammar (RFC 9051 §9, RFC 3501 §9): pieces of a command → typed values.

A Cursor walks the pieces reader.py returns (line text and Literals). Each method reads
one grammar element or raises ImapBad, whose text names what was expected where, so a
client author can see the problem. Nothing here knows about mailboxes or sessions.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .errors import ImapBad
from .reader import Literal

# RFC 9051 §9: atom-specials are ( ) { SP CTL % * " \ ]
_ATOM_SPECIALS = set(b'(){ %*"\\]')
_TAG_SPECIALS = _ATOM_SPECIALS | {ord("+")}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DATE_RE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})\Z")
_DATETIME_RE = re.compile(r"([ \d]\d)-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)\Z")
MAX_NUMBER = 2**32 - 1  # number: 32-bit unsigned (RFC 9051 §9)
MAX_MODSEQ = 2**63 - 1  # mod-sequence-value (RFC 7162 §7)
MAX_NESTING = 32  # parenthesised lists and search keys


def _is_atom_char(byte: int, extra: set = frozenset()) -> bool:
    return byte > 0x1F and byte != 0x7F and byte not in _ATOM_SPECIALS - extra


@dataclass(frozen=True)
class SeqRange:
    """n:m of a sequence set; None stands for "*" (the largest number in use)."""

    start: int | None
    end: int | None


class Cursor:
    def __init__(self, pieces: list):
        self.pieces = pieces
        self.index = 0  # which piece
        self.pos = 0  # offset within a bytes piece

    # --- Low level ------------------------------------------------------------------------

    def _current(self):
        while self.index < len(self.pieces):
            piece = self.pieces[self.index]
            if isinstance(piece, Literal) or self.pos < len(piece):
                return piece
            self.index += 1
            self.pos = 0
        return None

    def at_end(self) -> bool:
        return self._current() is None

    def peek(self) -> int | None:
        piece = self._current()
        if piece is None or isinstance(piece, Literal):
            return None
        return piece[self.pos]

    def peek_text(self, text: bytes) -> bool:
        piece = self._current()
        return isinstance(piece, bytes) and piece[self.pos:self.pos + len(text)].upper() == text.upper()

    def take(self, text: bytes) -> bool:
        if self.peek_text(text):
            self.pos += len(text)
            return True
        return False

    def expect(self, text: bytes, what: str | None = None):
        if not self.take(text):
            raise ImapBad(f"Expected {what or repr(text.decode())} {self.where()}")

    def sp(self):
        self.expect(b" ", "a space")

    def end(self):
        if not self.at_end():
            raise ImapBad(f"Unexpected text {self.where()}")

    def where(self) -> str:
        piece = self._current()
        if piece is None:
            return "at the end of the command"
        if isinstance(piece, Literal):
            return "at a literal"
        return f"at {piece[self.pos:self.pos + 20].decode('utf-8', 'replace')!r}"

    def _literal(self) -> bytes | None:
        piece = self._current()
        if isinstance(piece, Literal):
            self.index += 1
            self.pos = 0
            return piece.data
        return None

    def literal(self) -> Literal | None:
        """The Literal here (its octets and whether it was a literal8 ~{n}), or None."""
        piece = self._current()
        if isinstance(piece, Literal):
            self.index += 1
            self.pos = 0
            return piece
        return None

    # --- Atoms, strings, numbers ----------------------------------------------------------

    def _chars(self, allowed) -> bytes:
        piece = self._current()
        if not isinstance(piece, bytes):
            return b""
        start = self.pos
        while self.pos < len(piece) and allowed(piece[self.pos]):
            self.pos += 1
        return piece[start:self.pos]

    def tag(self) -> str:
        tag = self._chars(lambda b: _is_atom_char(b) and b not in _TAG_SPECIALS)
        if not tag:
            raise ImapBad("Expected a tag")
        return tag.decode("ascii", "replace")

    def atom(self, what="an atom") -> str:
        text = self._chars(_is_atom_char)
        if not text:
            raise ImapBad(f"Expected {what} {self.where()}")
        return text.decode("utf-8", "replace")

    def quoted(self) -> bytes:
        self.expect(b'"', "a quoted string")
        piece = self.pieces[self.index]
        out = bytearray()
        while self.pos < len(piece):
            byte = piece[self.pos]
            self.pos += 1
            if byte == 0x22:
                return bytes(out)
            if byte == 0x5C:
                if self.pos >= len(piece) or piece[self.pos] not in (0x22, 0x5C):
                    raise ImapBad("A backslash in a quoted string may only escape \" or \\")
                byte = piece[self.pos]
                self.pos += 1
            elif byte in (0x0D, 0x0A, 0x00):
                raise ImapBad("A quoted string may not hold CR, LF or NUL")
            out.append(byte)
        raise ImapBad("Unterminated quoted string")

    def string(self) -> bytes:
        data = self._literal()
        if data is not None:
            return data
        if self.peek() == 0x22:
            return self.quoted()
        raise ImapBad(f"Expected a string {self.where()}")

    def astring(self) -> bytes:
        """atom (with "]" allowed) or string."""
        data = self._literal()
        if data is not None:
            return data
        if self.peek() == 0x22:
            return self.quoted()
        text = self._chars(lambda b: _is_atom_char(b, {ord("]")}))
        if not text:
            raise ImapBad(f"Expected an astring {self.where()}")
        return text

    def list_mailbox(self) -> bytes:
        """A LIST pattern: an astring that may also hold the wildcards % and * (RFC 9051 §9)."""
        data = self._literal()
        if data is not None:
            return data
        if self.peek() == 0x22:
            return self.quoted()
        text = self._chars(lambda b: _is_atom_char(b, {ord("]"), ord("%"), ord("*")}))
        if not text:
            raise ImapBad(f"Expected a mailbox pattern {self.where()}")
        return text

    def nstring(self) -> bytes | None:
        if self.take(b"NIL"):
            return None
        return self.string()

    def number(self, nonzero=False) -> int:
        digits = self._chars(lambda b: 0x30 <= b <= 0x39)
        if not digits or len(digits) > 10 or int(digits) > MAX_NUMBER or (nonzero and int(digits) == 0):
            raise ImapBad(f"Expected a {'non-zero ' if nonzero else ''}number {self.where()}")
        return int(digits)

    def modseq(self) -> int:
        """RFC 7162 §7 mod-sequence-value: 1*DIGIT, up to 63 bits."""
        digits = self._chars(lambda b: 0x30 <= b <= 0x39)
        if not digits or len(digits) > 19 or int(digits) > MAX_MODSEQ:
            raise ImapBad(f"Expected a mod-sequence value {self.where()}")
        return int(digits)

    # --- Compound values ------------------------------------------------------------------

    def paren_list(self, item, depth=0) -> list:
        """ "(" [item *(SP item)] ")" """
        if depth > MAX_NESTING:
            raise ImapBad("Lists nested too deeply")
        self.expect(b"(", "'('")
        items = []
        if self.take(b")"):
            return items
        while True:
            items.append(item())
            if self.take(b")"):
                return items
            self.sp()

    def sequence_set(self) -> list[SeqRange]:
        """RFC 9051 §9 sequence-set, e.g. 1:4,7,9:*; also "$" (RFC 5182 SEARCHRES)."""
        if self.take(b"$"):
            return [SeqRange(-1, -1)]  # the saved search result
        ranges = []
        while True:
            start = self._seq_number()
            end = self._seq_number() if self.take(b":") else start
            ranges.append(SeqRange(start, end))
            if not self.take(b","):
                return ranges

    def _seq_number(self) -> int | None:
        if self.take(b"*"):
            return None
        return self.number(nonzero=True)

    def flag(self) -> str:
        """flag = "\\" atom / atom (keyword); "\\*" only in PERMANENTFLAGS, never sent by clients."""
        if self.take(b"\\"):
            return "\\" + self.atom("a flag name")
        return self.atom("a flag")

    def flag_list(self) -> list[str]:
        return self.paren_list(self.flag)

    def date(self) -> datetime:
        """date = date-text / DQUOTE date-text DQUOTE, as "1-Feb-1994" (RFC 9051 §9)."""
        text = (self.quoted() if self.peek() == 0x22 else self._chars(lambda b: b > 0x20 and b not in b"()")).decode(
            "ascii", "replace")
        match = _DATE_RE.match(text)
        if not match or match.group(2).title() not in MONTHS:
            raise ImapBad(f"Expected a date like 1-Feb-1994, not {text!r}")
        try:
            return datetime(int(match.group(3)), MONTHS.index(match.group(2).title()) + 1, int(match.group(1)))
        except ValueError as error:
            raise ImapBad(f"No such date: {text}") from error

    def date_time(self) -> datetime:
        """date-time = DQUOTE "17-Jul-1996 02:44:25 -0700" DQUOTE (APPEND's internal date)."""
        text = self.quoted().decode("ascii", "replace")
        match = _DATETIME_RE.match(text)
        if not match or match.group(2).title() not in MONTHS:
            raise ImapBad(f"Expected a date-time like \"17-Jul-1996 02:44:25 -0700\", not {text!r}")
        day, month, year, hour, minute, second, sign, zone_h, zone_m = match.groups()
        offset = timedelta(hours=int(zone_h), minutes=int(zone_m)) * (-1 if sign == "-" else 1)
        try:
            return datetime(int(year), MONTHS.index(month.title()) + 1, int(day), int(hour), int(minute),
                            int(second), tzinfo=timezone(offset))
        except ValueError as error:
            raise ImapBad(f"No such date-time: {text}") from error


def parse_command_start(pieces: list) -> tuple[str, str, Cursor]:
    """Return (tag, upper-case command name, cursor after the name).

    A BAD raised after the tag was read carries it (`error.tag`), so the reply is tagged.
    """
    cursor = Cursor(pieces)
    tag = cursor.tag()
    try:
        cursor.sp()
        name = cursor.atom("a command name").upper()
        if name == "UID":
            cursor.sp()
            name = "UID " + cursor.atom("a command after UID").upper()
    except ImapBad as error:
        error.tag = tag
        raise
    return tag, name, cursor
