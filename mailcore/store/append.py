"""Appending messages: the one place mail enters the store (SMTP delivery, IMAP APPEND,
webmail Sent/Drafts, POP3 never).

An append parses the message once, writes its blob durably, then in one transaction
takes the UIDs, checks quota, inserts the rows and the search entries. A crash before
the commit leaves at most an orphan file that gc.py removes; never a half message.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.directory.models import Account
from mailcore.mime.summary import summarize
from mailcore.sizes import format_size

from . import blobs, search
from .errors import MessageTooLarge, QuotaExceeded
from .flags import split_flags
from .folders import get_folder
from .models import Blob, Folder, Message

_BARE_LF_RE = re.compile(rb"(?<!\r)\n")


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


def canonical_line_endings(raw: bytes) -> bytes:
    """Store CRLF line endings only, as IMAP serves them (RFC 9051 §2.2)."""
    if raw.count(b"\n") == raw.count(b"\r\n"):
        return raw
    return _BARE_LF_RE.sub(b"\r\n", raw)


def append(account_id: int, folder: str, raw: bytes, flags=(), internal_date=None) -> Appended:
    """Append one message to one folder; raise a StoreError on refusal."""
    return append_many(raw, [Target(account_id, folder, tuple(flags), internal_date)])[0]


def append_many(raw: bytes, targets: list[Target], skip_over_quota=False) -> list:
    """Append one message to several folders, sharing one parse and one blob.

    Returns one Appended per target, in order. With skip_over_quota, an account over
    its quota gets a QuotaExceeded in its place and the others are still delivered.
    """
    raw = canonical_line_endings(raw)
    size = len(raw)
    if size > settings.HOPTHU_MAX_MESSAGE_SIZE:
        raise MessageTooLarge(_("The message is %(size)s; the limit is %(limit)s.") % {
            "size": format_size(size), "limit": format_size(settings.HOPTHU_MAX_MESSAGE_SIZE)})
    # Refuse bad flags and unknown folders before any I/O.
    prepared = [(t, get_folder(t.account_id, t.folder).pk, *split_flags(t.flags)) for t in targets]
    summary = summarize(raw)
    temp_path, digest = blobs.write_temp(raw)
    try:
        with transaction.atomic():
            blob = _lock_blob(digest, size)
            blobs.install(temp_path, digest)
            results = [
                _insert(blob, folder_id, target, system, keywords, summary, skip_over_quota)
                for target, folder_id, system, keywords in prepared
            ]
    finally:
        blobs.discard(temp_path)  # gone already when installed
    return results


def _lock_blob(digest: str, size: int) -> Blob:
    # Insert-if-missing then lock: blob collection deletes under the same row lock.
    Blob.objects.bulk_create([Blob(digest=digest, size=size)], ignore_conflicts=True)
    return Blob.objects.select_for_update().get(digest=digest)


def _insert(blob, folder_id, target, system, keywords, summary, skip_over_quota):
    account = Account.objects.select_for_update().only("quota", "used_bytes").get(pk=target.account_id)
    if account.quota and account.used_bytes + blob.size > account.quota:
        error = QuotaExceeded(_("The mailbox is full (%(used)s of %(quota)s used).") % {
            "used": format_size(account.used_bytes), "quota": format_size(account.quota)})
        if skip_over_quota:
            return error
        raise error
    # Locking the folder row until commit keeps UIDs visible in increasing order.
    folder = Folder.objects.select_for_update().only("uidnext", "highestmodseq", "uidvalidity").get(pk=folder_id)
    uid, modseq = folder.uidnext, folder.highestmodseq + 1
    Folder.objects.filter(pk=folder_id).update(uidnext=uid + 1, highestmodseq=modseq)
    message = Message.objects.create(
        folder_id=folder_id,
        account_id=target.account_id,
        uid=uid,
        modseq=modseq,
        keywords=keywords,
        internal_date=target.internal_date or timezone.now(),
        size=blob.size,
        blob=blob,
        subject=summary.subject,
        from_address=summary.from_address,
        from_name=summary.from_name,
        to_addresses=summary.to_addresses,
        date=summary.date,
        message_id=summary.message_id,
        in_reply_to=summary.in_reply_to,
        references=summary.references,
        has_attachments=summary.has_attachments,
        preview=summary.preview,
        envelope=summary.envelope,
        structure=summary.structure,
        **system,
    )
    Account.objects.filter(pk=target.account_id).update(
        used_bytes=F("used_bytes") + blob.size, message_count=F("message_count") + 1
    )
    search.index_message(message.pk, target.account_id, summary)
    return Appended(target.account_id, folder_id, folder.uidvalidity, uid, modseq, message.pk)
