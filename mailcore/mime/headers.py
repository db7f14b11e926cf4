"""Header fields: RFC 2047 decoding, address lists, and the IMAP ENVELOPE."""
import contextlib
import re
from datetime import UTC, datetime
from email.policy import default
from email.utils import parsedate_to_datetime

from .addresses import envelope_addresses
from .text import scrub

_ENVELOPE_FIELDS = ("from", "sender", "reply-to", "to", "cc", "bcc")
_FOLD_RE = re.compile(r"\r?\n(?=[ \t])")
# "3 Nov 55": the day, the month, then a year of two or three digits (RFC 5322 §4.3).
_SHORT_YEAR_RE = re.compile(r"\b(\d{1,2} [A-Za-z]{3,9} )(\d{2,3})\b")
MIN_YEAR, MAX_YEAR = 2, 9998  # a date any zone can convert and format (datetime: 1..9999)


def decode_words(value) -> str:
    """Decode RFC 2047 encoded-words; unknown charsets and bad bytes never raise."""
    if value is None:
        return ""
    # Unfold first (RFC 5322 §2.2.3): the email package keeps a folded line break
    # between two encoded-words as text, where RFC 2047 §6.2 says to drop it.
    text = _FOLD_RE.sub("", str(value))
    if "=?" in text:
        # The email package raises a variety of errors on malformed input: keep the raw text.
        with contextlib.suppress(Exception):
            text = str(default.header_factory("subject", text))
    return scrub(" ".join(text.split()))


def address_list(headers, name) -> list[tuple[str, str]]:
    """Return [(display name decoded, addr_spec)] for an address header, or []."""
    return [(decode_words(display), addr) for display, addr in headers.addresses(name)]


def _full_year(match) -> str:
    # RFC 5322 §4.3: two digits 00-49 are 2000-2049, 50-99 and three digits add 1900.
    # (The email package reads 69-99 as 19xx and 00-68 as 20xx, and three digits as is.)
    year = int(match.group(2))
    return f"{match.group(1)}{year + 2000 if len(match.group(2)) == 2 and year < 50 else year + 1900}"


def parse_date(value) -> datetime | None:
    """A date-time field as an aware datetime, or None when missing or malformed.

    Every caller may convert the result to any time zone and format it: a naive result
    (which `parsedate_to_datetime` gives for "-0000") once made every reply answer 500.
    """
    if not value:
        return None
    text = _SHORT_YEAR_RE.sub(_full_year, " ".join(str(value).split()))
    try:
        parsed = parsedate_to_datetime(text)
    except Exception:  # ValueError, TypeError, IndexError, OverflowError on hostile input
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        # RFC 5322 §3.3: "-0000" is UTC with no local time known; §4.3: an unknown
        # obsolete zone (the military letters but Z) is to be read as "-0000" too.
        parsed = parsed.replace(tzinfo=UTC)
    # One day of margin either side, so that any time zone can show it (year 1..9999).
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed


def header_date(headers):
    """Return the Date header as an aware datetime, or None when missing or malformed."""
    return parse_date(headers.get("date"))


# RFC 5322 §3.2.3: a phrase of atext and spaces needs no quotes (RFC 6532 §3.2 adds
# non-ASCII to atext); anything else (a comma, a quote, a dot, "<" ...) does.
_ATEXT_PHRASE_RE = re.compile(r"[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ \u0080-\U0010ffff]*")


def display_address(name: str, address: str) -> str:
    """An address as a person reads and types it: "Phạm Minh <m@x>", never an encoded-word.

    The name is already decoded (RFC 2047); it is quoted when RFC 5322 §3.4 requires it
    (`"Doe, John" <j@x>`), with backslash and quote escaped (§3.2.4).
    """
    name = " ".join((name or "").split())
    if not name:
        return address
    if not _ATEXT_PHRASE_RE.fullmatch(name):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{address}>"


def _raw(headers, name):
    value = headers.get(name)
    if value is None:
        return None
    return " ".join(str(value).split())


def _envelope_addresses(headers, name):
    """RFC 9051 §7.5.2: addresses as [name, adl, mailbox, host], groups and routes kept
    (addresses.py); raw (undecoded) names. NIL when the field holds no address."""
    return envelope_addresses(headers.get_all(name), headers.addresses(name)) or None


def envelope_from_headers(headers) -> list:
    """Return the ENVELOPE fields in RFC 9051 §7.5.2 order, undecoded as IMAP requires.

    Sender and Reply-To default to From when absent (RFC 9051 §7.5.2).
    """
    addresses = {name: _envelope_addresses(headers, name) for name in _ENVELOPE_FIELDS}
    sender = addresses["sender"] or addresses["from"]
    reply_to = addresses["reply-to"] or addresses["from"]
    return [
        _raw(headers, "date"),
        _raw(headers, "subject"),
        addresses["from"],
        sender,
        reply_to,
        addresses["to"],
        addresses["cc"],
        addresses["bcc"],
        _raw(headers, "in-reply-to"),
        _raw(headers, "message-id"),
    ]
