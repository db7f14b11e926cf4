"""Appending messages: the one place mail enters the store (SMTP delivery, IMAP APPEND,
webmail Sent/Drafts, POP3 never).

An append parses the message once, writes its blob durably, then in one transaction
takes the UIDs, checks quota, inserts the rows and the search entries. A crash before
the commit leaves at most an orphan file that gc.py removes; never a half message.
"""
import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.directory.models import Account
from mailcore.mime.summary import summarize
from mailcore.sizes import format_size

from . import search
from .bodies import DurableBodies
from .errors import MessageTooLarge, QuotaExceeded
from .flags import split_flags
from .folders import folder_id
from .models import Message
from .search.text import insert_text, text_values
from .sortkeys import MESSAGE_KEY_FIELDS, READING_KEY_FIELDS, message_keys, reading_keys


@dataclass(frozen=True)
class Appended:
    """Where an appended message landed (RFC 4315 APPENDUID needs uidvalidity and uid)."""

    account_id: int
    folder_id: int
    uidvalidity: int
    uid: int
    modseq: int
    message_id: int  # the Message row's primary key


@dataclass(frozen=True)
class Target:
    """One destination of an append: an account's folder, with flags and a date."""

    account_id: int
    folder: str = "INBOX"
    flags: tuple = ()
    internal_date: datetime | None = None
    trace: bytes = b""  # header fields for this copy only, served before the shared blob


def canonical_line_endings(raw: bytes) -> bytes:
    """Store CRLF line endings only, as IMAP serves them (RFC 9051 §2.2)."""
    if raw.count(b"\n") == raw.count(b"\r\n"):
        return raw
    # Every LF gets exactly one CR before it; a CR not before an LF stays as it is.
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def append(account_id: int, folder: str, raw: bytes, flags=(), internal_date=None) -> Appended:
    """Append one message to one folder; raise a StoreError on refusal."""
    return append_many(raw, [Target(account_id, folder, tuple(flags), internal_date)])[0]


def append_many(raw: bytes, targets: list[Target], skip_over_quota=False) -> list:
    """Append one message to several folders, sharing one parse and one blob.

    Returns one Appended per target, in order. With skip_over_quota, an account over
    its quota gets a QuotaExceeded in its place and the others are still delivered.
    """
    return append_batch([(raw, targets)], skip_over_quota=skip_over_quota)[0]


def append_batch(items: list[tuple[bytes, list[Target]]], skip_over_quota=True) -> list[list]:
    """Append several messages in one transaction: group commit for bulk delivery.

    The blobs are made durable together (one filesystem sync before and one after the
    renames) and the metadata commits once, so the per-message cost of fsync is shared.
    Every message is refused before any I/O if it is too large or names a bad folder
    or flag; a full mailbox gets QuotaExceeded in its place (unless skip_over_quota is
    False, when it fails the whole batch).
    """
    return write_batch(prepare_batch(items), skip_over_quota=skip_over_quota)


def prepare_batch(items: list[tuple[bytes, list[Target]]], limit_size: bool = True) -> list:
    """The read-only half of append_batch: parse and check everything, write nothing.

    Delivery calls it before taking the database's write lock, so parsing never holds
    up other writers; write_batch then does the writing. limit_size=False: the messages
    are not held to HOPTHU_MAX_MESSAGE_SIZE (mail the queue took at that limit, which
    has since gained trace fields).
    """
    folder_ids = {}
    return [_prepare(raw, targets, folder_ids, limit_size) for raw, targets in items]


def write_batch(prepared: list, skip_over_quota=True) -> list[list]:
    """The writing half of append_batch, for what prepare_batch returned."""
    with DurableBodies([item.raw for item in prepared]) as bodies, transaction.atomic(), \
            connection.cursor() as cursor:
        blob_ids = bodies.install(cursor)  # lock order: blobs, then folders, then accounts
        writer = _RowWriter(cursor, skip_over_quota)
        for item, blob_id in zip(prepared, blob_ids, strict=True):
            insert_text(cursor, blob_id, item.text_values)
        return [
            [writer.insert(item, blob_id, *target) for target in item.targets]
            for item, blob_id in zip(prepared, blob_ids, strict=True)
        ]


# Message columns that come from the message itself, the same for every recipient
# (its summary, and the sort keys made from it); the others (folder, UID, flags,
# date...) differ per target.
SUMMARY_FIELDS = ("subject", "from_address", "from_name", "to_addresses", "date", "message_id",
                  "in_reply_to", "references", "thread", "has_attachments", "preview", "envelope",
                  "structure", "summary_version", *MESSAGE_KEY_FIELDS, *READING_KEY_FIELDS)
TARGET_FIELDS = ("folder_id", "account_id", "uid", "modseq", "keywords", "internal_date", "size", "blob_id",
                 "trace", "seen", "answered", "flagged", "deleted", "draft")
SYSTEM_FLAG_FIELDS = ("seen", "answered", "flagged", "deleted", "draft")


@dataclass
class _Prepared:
    """A message ready to write: parsed, its columns and index entry computed once."""

    raw: bytes
    targets: list  # (folder pk, Target, system flags, keywords)
    summary_params: list  # database values of SUMMARY_FIELDS, in order
    index_values: dict
    text_values: dict  # the body's SearchText row (search/text.py)


def _prepare(raw, targets, folder_ids: dict, limit_size: bool = True) -> _Prepared:
    raw = canonical_line_endings(raw)
    size = len(raw)
    if limit_size and size > settings.HOPTHU_MAX_MESSAGE_SIZE:
        raise MessageTooLarge(_("The message is %(size)s; the limit is %(limit)s.") % {
            "size": format_size(size), "limit": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE)})
    # Refuse bad flags and unknown folders before any I/O.
    resolved = []
    for target in targets:
        key = (target.account_id, target.folder)
        if key not in folder_ids:
            folder_ids[key] = folder_id(*key)
        resolved.append((folder_ids[key], target, *split_flags(target.flags)))
    summary = summarize(raw)
    _sql, fields = _message_insert_sql()
    keys = {**message_keys(summary.subject, summary.envelope), **reading_keys(summary.subject, summary.envelope)}
    summary_params = [
        field.get_db_prep_save(keys[field.attname] if field.attname in keys else getattr(summary, field.attname),
                               connection)
        for field in fields[len(TARGET_FIELDS):]
    ]
    return _Prepared(raw, resolved, summary_params, search.index_values(summary), text_values(raw, summary))


class _RowWriter:
    """The SQL of an append, on one cursor for the whole batch.

    The hot path uses single statements with RETURNING (SQLite 3.35+, PostgreSQL) and
    builds no model instances: ORM round trips and per-statement connection lookups
    were most of an append's CPU time. Lock order everywhere in the store: blob, then
    folders, then the account.
    """

    def __init__(self, cursor, skip_over_quota: bool):
        self.cursor = cursor
        self.skip_over_quota = skip_over_quota
        self.now = timezone.now()

    def take_uid(self, folder_pk: int) -> tuple[int, int, int]:
        """Take the folder's next UID and MODSEQ; the row stays locked until commit, so
        UIDs become visible in increasing order. Returns (uid, modseq, uidvalidity)."""
        self.cursor.execute(
            "UPDATE store_folder SET uidnext = uidnext + 1, highestmodseq = highestmodseq + 1 "
            "WHERE id = %s RETURNING uidnext, highestmodseq, uidvalidity",
            [folder_pk],
        )
        uidnext, modseq, uidvalidity = self.cursor.fetchone()
        return uidnext - 1, modseq, uidvalidity

    def charge_quota(self, account_id: int, size: int) -> bool:
        """Add size to the account's usage if it fits its quota; say whether it did."""
        self.cursor.execute(
            "UPDATE directory_account SET used_bytes = used_bytes + %s, message_count = message_count + 1 "
            "WHERE id = %s AND (quota = 0 OR used_bytes + %s <= quota) RETURNING id",
            [size, account_id, size],
        )
        return self.cursor.fetchone() is not None

    def insert(self, item: _Prepared, blob_id, folder_pk, target, system, keywords):
        """Insert one message; return Appended, or QuotaExceeded when skipping full mailboxes."""
        size = len(target.trace) + len(item.raw)
        uid, modseq, uidvalidity = self.take_uid(folder_pk)
        if not self.charge_quota(target.account_id, size):
            # The UID taken stays unused: UIDs must only increase (RFC 9051 §2.3.1.1),
            # gaps are allowed, so no savepoint is needed to give it back.
            error = _quota_exceeded(target.account_id)
            if self.skip_over_quota:
                return error
            raise error
        sql, fields = _message_insert_sql()
        conn = self.cursor.db
        per_target = (folder_pk, target.account_id, uid, modseq, keywords, target.internal_date or self.now,
                      size, blob_id, target.trace, *(system.get(attr, False) for attr in SYSTEM_FLAG_FIELDS))
        params = [field.get_db_prep_save(value, conn) for field, value in zip(fields, per_target, strict=False)]
        self.cursor.execute(sql, params + item.summary_params)
        message_pk = self.cursor.fetchone()[0]
        search.insert_entry(self.cursor, message_pk, target.account_id, item.index_values)
        return Appended(target.account_id, folder_pk, uidvalidity, uid, modseq, message_pk)


@functools.cache
def _message_insert_sql() -> tuple[str, list]:
    """The INSERT of one Message row (TARGET_FIELDS then SUMMARY_FIELDS) and its fields.

    Values are adapted by each field's own get_db_prep_save, as the ORM would.
    """
    fields = [Message._meta.get_field(name) for name in TARGET_FIELDS + SUMMARY_FIELDS]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (f"INSERT INTO {Message._meta.db_table} ({columns}) "  # noqa: S608 (column names from the model)
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id")
    return sql, fields


def _quota_exceeded(account_id: int) -> QuotaExceeded:
    account = Account.objects.only("quota", "used_bytes").get(pk=account_id)
    return QuotaExceeded(_("The mailbox is full (%(used)s of %(quota)s used).") % {
        "used": format_size(account.used_bytes), "quota": format_size(account.quota)})
