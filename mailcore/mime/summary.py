"""The summary of a message made once at append: what lists, threads and search need."""
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from .headers import address_list, decode_words, envelope_from_headers, header_date
from .structure import iter_leaves, parse_message
from .text import MAX_DECODED_CHARS, decode_part_text, html_to_text

PREVIEW_CHARS = 200
# The format of the stored ENVELOPE and MIME tree. Raise it when the parser's answer for
# a stored message changes; rows of an older version are parsed again from their blob
# when read (mailcore/store/summaries.py). 2: groups and routes in the ENVELOPE,
# parameters unfolded, line counts are line breaks (docs/imap.md, FETCH). 3: header bytes
# that are not UTF-8 read as Latin-1, not U+FFFD.
SUMMARY_VERSION = 3
_MSG_ID_RE = re.compile(r"<[^<>\s]+>")


@dataclass
class Summary:
    subject: str = ""
    from_address: str = ""
    from_name: str = ""
    to_addresses: str = ""
    cc_addresses: str = ""
    date: datetime | None = None
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    thread: str = ""  # thread_key(): messages of one conversation share it
    has_attachments: bool = False
    preview: str = ""
    envelope: list = field(default_factory=list)
    structure: dict = field(default_factory=dict)
    summary_version: int = SUMMARY_VERSION
    body_text: str = ""  # decoded text of the body parts, for the search index
    attachment_names: list = field(default_factory=list)
    # The parsed header fields, for the store's search text (not stored as such).
    headers: object = field(default=None, repr=False, compare=False)


def thread_key(references: str, in_reply_to: str, message_id: str) -> str:
    """Name a message's conversation by its root: the first References id (RFC 5322
    §3.6.4 lists the thread's ancestors root first), else In-Reply-To, else its own id.

    A short hash keeps the indexed column small; "" when the message has no id at all.
    """
    for value in (references, in_reply_to, message_id):
        found = _MSG_ID_RE.search(value or "")
        if found:
            return hashlib.sha1(found.group().lower().encode(), usedforsecurity=False).hexdigest()[:24]
    return ""


def _format_addresses(pairs):
    return ", ".join(f"{name} <{addr}>" if name else addr for name, addr in pairs)


def _is_attachment(part):
    disposition = (part.get("disposition") or [None])[0]
    if disposition == "attachment":
        return True
    if part["type"] in ("multipart", "message"):
        return False
    return bool(part.get("filename")) and not (part["type"] == "text" and disposition == "inline")


def _leaves(structure):
    """Yield the leaf parts, then those of each attached message (its text is searched too)."""
    for _section, part in iter_leaves(structure):
        yield part
        if "message" in part:
            yield from _leaves(part["message"]["part"])


def summarize(raw: bytes) -> Summary:
    """Parse raw once into a Summary; never raises on malformed input."""
    structure, headers = parse_message(raw)
    from_pairs = address_list(headers, "from")
    summary = Summary(
        subject=decode_words(headers.get("subject"))[:998],
        from_address=(from_pairs[0][1] if from_pairs else "")[:320],
        from_name=(from_pairs[0][0] if from_pairs else "")[:200],
        to_addresses=_format_addresses(address_list(headers, "to")),
        cc_addresses=_format_addresses(address_list(headers, "cc")),
        date=header_date(headers),
        message_id=" ".join(str(headers.get("message-id") or "").split())[:998],
        in_reply_to=" ".join(str(headers.get("in-reply-to") or "").split())[:998],
        references=" ".join(str(headers.get("references") or "").split()),
        envelope=envelope_from_headers(headers),
        structure=structure,
        headers=headers,
    )
    # A message with no id at all is a conversation of its own: a random key, never "".
    summary.thread = (thread_key(summary.references, summary.in_reply_to, summary.message_id)
                      or "u" + secrets.token_hex(10))
    texts, budget = [], MAX_DECODED_CHARS
    for part in _leaves(structure):
        if _is_attachment(part):
            summary.has_attachments = True
            if part.get("filename"):
                summary.attachment_names.append(part["filename"])
            continue
        if part["type"] != "text" or part["subtype"] not in ("plain", "html") or budget <= 0:
            continue
        text = decode_part_text(raw, part)[:budget]
        if part["subtype"] == "html":
            text = html_to_text(text)
        texts.append(text)
        budget -= len(text)
    summary.body_text = "\n".join(texts)
    summary.preview = " ".join(summary.body_text[: PREVIEW_CHARS * 4].split())[:PREVIEW_CHARS]
    return summary
