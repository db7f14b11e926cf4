"""The duplicate key of a source message: what makes a re-run skip what it copied.

Message-ID and size (RFC 5322 §3.6.4: the Message-ID names one message; the size tells
apart two different messages some broken sender gave the same ID). A message without a
Message-ID (drafts of some clients, old system mail) is known by the SHA-256 of its whole
header section and its size: the header holds Received, Date and From, so two such
messages that differ in anything but their body text are told apart, and the same message
met again gets the same key.
"""
import hashlib

from mailcore.mime.structure import parse_header_block


def message_id_of(header_field: bytes) -> str:
    """The Message-ID from a BODY[HEADER.FIELDS (MESSAGE-ID)] answer, whitespace folded
    as the store keeps it (mime.summary), or ""."""
    value = parse_header_block(header_field or b"").get("message-id") or ""
    return " ".join(str(value).split())[:998]


def by_message_id(message_id: str, size: int) -> str:
    return f"m:{hashlib.sha256(message_id.encode('utf-8', 'surrogateescape')).hexdigest()}:{size}"


def by_header(header: bytes, size: int) -> str:
    return f"h:{hashlib.sha256(header).hexdigest()}:{size}"
