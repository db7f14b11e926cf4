"""APPEND. State: authenticated or selected. RFC 9051 §6.3.12, RFC 4315 (APPENDUID),
RFC 7888 (LITERAL+), RFC 3502 (MULTIAPPEND), RFC 4469 (CATENATE).

The whole command, with every literal, is read before it runs (reader.py), so a
MULTIAPPEND is parsed in full, then each message is composed (CATENATE's URL parts
read from the store), then all of them go through the store's one append function in
one transaction: either every message is appended or none is (RFC 3502 §3).
"""
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings

from mailcore.mime.binary import binary_parts_to_base64
from mailcore.store.append import Target, append_batch
from mailcore.store.errors import StoreError
from mailcore.store.fetch import url_section
from mailcore.store.folders import folder_id
from mailcore.store.messages import quota_usage

from ..errors import ImapBad, ImapNo
from ..imapurl import bad_url, parse_url
from ..parser import Cursor
from ..reader import MAX_COMMAND_OCTETS
from ..server import AUTHED, command
from .fetch import filter_header
from .mailbox import mailbox_name, store_errors
from .updates import sync

MAX_APPEND_MESSAGES = 1000  # messages in one MULTIAPPEND (RFC 3502 sets no limit)
MAX_APPEND_OCTETS = MAX_COMMAND_OCTETS  # all messages of one APPEND, URL parts included
MAX_URL_PARTS = 256  # CATENATE URL parts in one command: each reads a stored message


@dataclass
class Draft:
    """One message of an APPEND: its flags, date, and parts (bytes, or a URL to resolve)."""

    flags: list
    internal_date: datetime | None
    parts: list = field(default_factory=list)
    catenate: bool = False
    binary: bool = False  # a literal8 (~{n}, RFC 3516) was among its octets


@command("APPEND", AUTHED)
async def cmd_append(session, tag: str, cursor: Cursor):
    """Add one or more messages to a folder. State: authenticated or selected. RFC 9051 §6.3.12."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    drafts = []
    while True:  # RFC 3502 §4: append = "APPEND" SP mailbox 1*append-message
        cursor.sp()
        while cursor.take(b" "):
            pass  # IMAPClient's multiappend() puts two spaces between literals; Dovecot takes it
        drafts.append(_append_message(cursor))
        if cursor.at_end():
            break
        if len(drafts) >= MAX_APPEND_MESSAGES:
            raise ImapNo(f"At most {MAX_APPEND_MESSAGES} messages in one APPEND", code="LIMIT")  # RFC 5530 §3
    if sum(isinstance(part, str) for draft in drafts for part in draft.parts) > MAX_URL_PARTS:
        raise ImapNo(f"At most {MAX_URL_PARTS} URL parts in one APPEND", code="LIMIT")
    selected = (session.folder.name, session.folder.uidvalidity) if session.folder is not None else None
    try:
        appended = await session.host.run_blocking(
            store_errors, _compose_and_append, session.account.pk, name, drafts, selected)
    except ImapNo as error:
        if error.code == "NONEXISTENT":
            error.code = "TRYCREATE"  # RFC 9051 §6.3.12
        raise
    if session.folder is not None and session.folder.pk == appended[0].folder_id:
        await sync(session)
    # RFC 4315 §3 (and §4 uid-set): one UID per message, as a uid-set, in order.
    await session.ok(tag, "APPEND completed",
                     code=f"APPENDUID {appended[0].uidvalidity} {uid_set([item.uid for item in appended])}")


def _append_message(cursor: Cursor) -> Draft:
    """append-message = [flag-list SP] [date-time SP] append-data (RFC 3502 §4, RFC 4469 §6)."""
    flags = []
    if cursor.peek() == ord("("):
        flags = cursor.flag_list()
        cursor.sp()
        if any(flag.lower() == "\\recent" for flag in flags):
            raise ImapBad("\\Recent cannot be set")
    internal_date = None
    if cursor.peek() == ord('"'):
        internal_date = cursor.date_time()
        cursor.sp()
    draft = Draft(flags, internal_date)
    if cursor.take(b"CATENATE "):
        draft.catenate = True
        draft.parts = cursor.paren_list(lambda: _cat_part(cursor, draft))
        if not draft.parts:
            raise ImapBad("CATENATE needs at least one part")  # RFC 4469 §6: 1 or more cat-parts
        return draft
    message = _message_literal(cursor, draft)
    if not message:
        raise ImapBad("An empty message cannot be appended")
    draft.parts = [message]
    return draft


def _cat_part(cursor: Cursor, draft: Draft):
    """cat-part = "TEXT" SP literal / "URL" SP astring (RFC 4469 §6)."""
    if cursor.take(b"TEXT "):
        return _message_literal(cursor, draft)
    if cursor.take(b"URL "):
        return cursor.astring().decode("utf-8", "replace")
    raise ImapBad(f"Expected TEXT or URL {cursor.where()}")


def _message_literal(cursor: Cursor, draft: Draft) -> bytes:
    literal = cursor.literal()
    if literal is None:
        return cursor.string()  # a quoted string is accepted as before
    if literal.binary:
        draft.binary = True  # RFC 3516 §4.4: append-data =/ literal8
    elif b"\x00" in literal.data:
        raise ImapBad("A literal may not contain NUL (CHAR8, RFC 9051 section 9); use a literal8")
    return literal.data


def _compose_and_append(account_id: int, folder: str, drafts: list[Draft], selected) -> list:
    """Blocking: resolve the URL parts, then append every message in one transaction.

    The destination is checked first, so a missing folder says TRYCREATE even when a URL
    is bad too (as Dovecot does).
    """
    folder_id(account_id, folder)
    items, total = [], 0
    for draft in drafts:
        raw = _compose(account_id, draft, selected) if draft.catenate else draft.parts[0]
        if draft.binary:
            raw = _from_binary(raw)
        total += len(raw)
        if total > MAX_APPEND_OCTETS:
            raise ImapNo("The messages of this APPEND are too large together", code="TOOBIG")
        items.append((raw, [Target(account_id, folder, tuple(draft.flags), draft.internal_date)]))
    used, quota, _count = quota_usage(account_id)
    if quota and used + total > quota:
        # Early, before any blob is written; the append's transaction checks again.
        raise ImapNo("These messages together do not fit in the mailbox's quota", code="OVERQUOTA")
    # skip_over_quota=False: a message over quota fails them all (RFC 3502 §3: atomic).
    return [targets[0] for targets in append_batch(items, skip_over_quota=False)]


def _compose(account_id: int, draft: Draft, selected) -> bytes:
    """Join a CATENATE's parts into one message (RFC 4469 §4)."""
    limit = settings.HOPTHU_MAX_MESSAGE_SIZE
    out = bytearray()
    for part in draft.parts:
        octets = part if isinstance(part, bytes) else _resolve(account_id, part, selected)
        if len(out) + len(octets) > limit:
            raise ImapNo("The composed message is too large", code="TOOBIG")  # RFC 4469 §5
        out += octets
    if not out:
        raise ImapNo("The composed message is empty")
    return bytes(out)


def _from_binary(raw: bytes) -> bytes:
    """A literal8 message, its binary parts made base64 (RFC 3516 §4.4, as Dovecot)."""
    raw = binary_parts_to_base64(raw)
    if b"\x00" in raw:
        # NUL outside a "Content-Transfer-Encoding: binary" part: no MIME way to keep it.
        raise ImapNo("NUL is only allowed in a part with Content-Transfer-Encoding: binary")
    return raw


def _resolve(account_id: int, url: str, selected) -> bytes:
    """The octets a CATENATE URL names, or ImapNo [BADURL] (RFC 4469 §4, §5)."""
    ref = parse_url(url, selected)
    base = ref.section.rsplit(".FIELDS", 1)[0] if ref.fields else ref.section
    try:
        octets = url_section(account_id, ref.mailbox, ref.uid, base, ref.uidvalidity)
    except StoreError as error:
        raise bad_url(url, " ".join(error.messages)) from error
    if octets is None:
        raise bad_url(url, "The message has no such section")
    if ref.fields:
        octets = filter_header(octets, ref.fields, ref.section.endswith(".NOT"))
    if ref.partial is not None:
        offset, length = ref.partial  # RFC 5092 §6: past the end is empty, not an error
        octets = octets[offset:] if length is None else octets[offset:offset + length]
    return octets


def uid_set(uids: list[int]) -> str:
    """Ascending UIDs as an RFC 9051 §9 sequence-set with ranges: 4:6,9."""
    runs: list[list[int]] = []
    for uid in uids:
        if runs and uid == runs[-1][1] + 1:
            runs[-1][1] = uid
        else:
            runs.append([uid, uid])
    return ",".join(str(start) if start == end else f"{start}:{end}" for start, end in runs)
