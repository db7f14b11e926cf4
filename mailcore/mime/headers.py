"""Header fields: RFC 2047 decoding, address lists, and the IMAP ENVELOPE."""
import contextlib
import re
from datetime import UTC
from email.policy import default
from email.utils import parsedate_to_datetime

from .addresses import envelope_addresses
from .text import scrub

_ENVELOPE_FIELDS = ("from", "sender", "reply-to", "to", "cc", "bcc")
_FOLD_RE = re.compile(r"\r?\n(?=[ \t])")


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


def header_date(headers):
    """Return the Date header as an aware datetime, or None when missing or malformed."""
    value = headers.get("date")
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(str(value))
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:  # RFC 5322 §3.3: "-0000" means UTC of unknown local time
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


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
