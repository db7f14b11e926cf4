"""Trace header fields (RFC 5321 §4.4) and the loop checks that read them."""
import re
from email.utils import format_datetime

from django.utils import timezone

# RFC 5321 §6.3: a loop is suspected past some number of Received fields, a threshold that
# SHOULD be "normally at least 100" (Postfix uses 50; the RFC number is kept here).
MAX_HOPS = 100
_RECEIVED_RE = re.compile(rb"^Received:", re.IGNORECASE | re.MULTILINE)
_DELIVERED_TO_RE = re.compile(rb"^Delivered-To:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)


def header_block(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    return raw if end < 0 else raw[:end + 2]


def parsed_header(raw: bytes):
    """The message's top-level header fields (mime.fields.HeaderFields)."""
    from mailcore.mime.fields import parse_fields

    return parse_fields(header_block(raw))


def hop_count(raw: bytes) -> int:
    return len(_RECEIVED_RE.findall(header_block(raw)))


def delivered_to(raw: bytes) -> set[str]:
    """Addresses of the message's Delivered-To fields, lower-cased (Postfix's loop check)."""
    return {match.strip().decode("utf-8", "replace").lower() for match in _DELIVERED_TO_RE.findall(header_block(raw))}


def received(*, helo: str, client_ip: str | None, hostname: str, protocol: str, queue_id: int | str,
             recipient: str | None = None, tls: str | None = None) -> bytes:
    """A Received field (RFC 5321 §4.4); `for` only with a single recipient, as Postfix does,
    so the field does not disclose Bcc recipients to each other."""
    source = f"from {_clean(helo) or 'unknown'} ([{client_ip}])" if client_ip else "from localhost"
    tls_note = f"\r\n\t(using {tls})" if tls else ""
    recipient_part = f"\r\n\tfor <{recipient}>" if recipient else ""
    return (f"Received: {source}\r\n\tby {hostname} (HopThu) with {protocol} id {queue_id}{tls_note}"
            f"{recipient_part};\r\n\t{format_datetime(timezone.now())}\r\n").encode()


def return_path(mail_from: str) -> bytes:
    return f"Return-Path: <{mail_from}>\r\n".encode()


def delivered_to_field(address: str) -> bytes:
    return f"Delivered-To: {address}\r\n".encode()


def _clean(text: str) -> str:
    """A HELO argument is the client's word: keep it printable and short in our header."""
    return "".join(char for char in text[:255] if char.isprintable() and char not in "()\\")
