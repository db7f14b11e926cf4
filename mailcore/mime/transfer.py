"""Removing a part's Content-Transfer-Encoding (RFC 2045 §6), for IMAP BINARY (RFC 3516 §4.2).

Real mail carries broken encodings (a base64 line cut short, a stray "=" in
quoted-printable). Decoding never fails on them: what can be decoded is, the rest is
skipped (base64) or kept as it is (quoted-printable), so a reader still gets the part.
Only an encoding this module does not know is refused (RFC 3516 §4.3: UNKNOWN-CTE).
"""
import binascii
import re

IDENTITY = {"7bit", "8bit", "binary"}  # RFC 2045 §6.2: no transformation
KNOWN = IDENTITY | {"base64", "quoted-printable"}

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=]+")
_PADDING = re.compile(rb"=+")
_TRAILING_SPACE = re.compile(rb"[ \t]+(?=\r?\n|\Z)")
_SOFT_BREAK = re.compile(rb"=(?:\r?\n|\Z)")
_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")


class UnknownEncoding(ValueError):
    """The part's Content-Transfer-Encoding is none of RFC 2045's."""


def encoding_name(value: str | None) -> str:
    """The bare token of a Content-Transfer-Encoding value, lower-case; 7bit when absent
    (RFC 2045 §6.1). Quotes and a trailing comment are dropped."""
    token = (value or "").split("(", 1)[0].strip().strip('"').lower()
    return token or "7bit"


def decode(body: bytes, encoding: str | None) -> bytes:
    """body with its transfer encoding removed. Raises UnknownEncoding."""
    name = encoding_name(encoding)
    if name in IDENTITY:
        return body
    if name == "base64":
        return decode_base64(body)
    if name == "quoted-printable":
        return decode_quoted_printable(body)
    raise UnknownEncoding(name)


def decode_base64(body: bytes) -> bytes:
    """RFC 2045 §6.8: characters outside the alphabet are ignored. "=" ends a run of
    data; a run after it (a broken concatenation) is decoded too, and a run whose
    length is not a multiple of four loses only its incomplete last quantum."""
    out = []
    for run in _PADDING.split(_NOT_BASE64.sub(b"", body)):
        usable = len(run) - len(run) % 4
        extra = run[usable:]
        if len(extra) >= 2:  # 2 or 3 characters still carry 1 or 2 octets
            out.append(binascii.a2b_base64(run[:usable] + extra + b"=" * (4 - len(extra))))
        elif usable:
            out.append(binascii.a2b_base64(run[:usable]))
    return b"".join(out)


def decode_quoted_printable(body: bytes) -> bytes:
    """RFC 2045 §6.7: trailing white space of a line is dropped (rule 3), "=" at a line's
    end (after optional white space) is a soft line break (rule 5), "=XX" is an octet
    (rule 1, lower-case hex accepted as §6.7 suggests). Any other "=" is kept as it is."""
    body = _TRAILING_SPACE.sub(b"", body)
    body = _SOFT_BREAK.sub(b"", body)
    return _ESCAPE.sub(lambda match: bytes((int(match[1], 16),)), body)
