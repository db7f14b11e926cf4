"""Writing IMAP data (RFC 9051 §4): strings as atoms, quoted strings or literals."""
import re

_SAFE_QUOTED = re.compile(rb'[^"\\\r\n\x00]*\Z')
_ATOM = re.compile(rb"[!#$&'+-\[^-z|}~]+\Z")


def quoted_or_literal(data: bytes | str | None) -> bytes:
    """A string the client can read back exactly: NIL, a quoted string, or a literal."""
    if data is None:
        return b"NIL"
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) < 1024 and _SAFE_QUOTED.match(data):
        return b'"' + data + b'"'
    return b"{%d}\r\n" % len(data) + data


def astring(data: bytes | str) -> bytes:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data and _ATOM.match(data) and data.upper() != b"NIL":
        return data
    return quoted_or_literal(data)


_QUOTABLE = re.compile(rb"[^\r\n\x00]*\Z")


def mailbox_string(data: bytes | str) -> bytes:
    """A mailbox name as an atom, else a quoted string with quoted-specials escaped
    (RFC 9051 §9 quoted), else a literal: a name with a quote or a backslash stays on
    the LIST line, where clients that split responses by line read it most easily."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data and _ATOM.match(data) and data.upper() != b"NIL":
        return data
    if len(data) < 1024 and _QUOTABLE.match(data):
        return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
    return quoted_or_literal(data)


def paren(items) -> bytes:
    return b"(" + b" ".join(items) + b")"


def compact_set(numbers) -> str:
    """Ascending numbers as a short sequence-set: 2,3,4,7 → "2:4,7" (RFC 9051 §9)."""
    out: list[str] = []
    numbers = sorted(numbers)
    start = previous = None
    for number in [*numbers, None]:
        if number is not None and previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            out.append(str(start) if start == previous else f"{start}:{previous}")
        start = previous = number
    return ",".join(out)


def ordered_set(numbers) -> str:
    """Numbers in the order given as a sequence-set; a range only where they climb by one
    (RFC 5267 §3.2: 3:4 may stand for 3,4 but never for 4,3)."""
    out: list[str] = []
    start = previous = None
    for number in numbers:
        if previous is not None and number == previous + 1:
            previous = number
            continue
        if start is not None:
            out.append(str(start) if start == previous else f"{start}:{previous}")
        start = previous = number
    if start is not None:
        out.append(str(start) if start == previous else f"{start}:{previous}")
    return ",".join(out)
