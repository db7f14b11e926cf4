"""Recovering deleted mail: what an expunge or a folder's deletion removed is kept for
HOPTHU_RECOVERY_DAYS (docs/recovery.md), then purged and its body collected.

messages.release_messages calls keep() in the removing transaction, so a message is
either in its folder or recoverable, never both or neither. recover() puts one back
through the store's one append (append.write_batch), so it gets a new UID in its
folder: the old one is never used again (RFC 3501 §2.3.1.1, RFC 9051 §2.3.1.1), and a
client that saw it expunged sees a new message arrive.
"""
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import blobs
from .append import Target, prepare_batch, write_batch
from .errors import StoreError
from .folders import create_folder
from .models import INBOX, Folder, RecoverableMessage

KEPT_FLAGS = {"\\Seen": "seen", "\\Answered": "answered", "\\Flagged": "flagged", "\\Draft": "draft"}
BATCH = 500


def recovery_days() -> int:
    return settings.HOPTHU_RECOVERY_DAYS


def keep(queryset) -> int:
    """Keep the messages of queryset recoverable (call in the removing transaction)."""
    if recovery_days() <= 0:
        return 0
    now = timezone.now()
    rows = queryset.select_related(None).values(
        "account_id", "folder_id", "folder__name", "internal_date", "size", "blob_id", "trace", "subject",
        "from_address", "from_name", "date", "has_attachments", "keywords", *KEPT_FLAGS.values())
    batch, kept = [], 0
    for row in rows.iterator(chunk_size=BATCH):
        flags = [flag for flag, attr in KEPT_FLAGS.items() if row[attr]] + list(row["keywords"])
        batch.append(RecoverableMessage(
            account_id=row["account_id"], folder_id=row["folder_id"], folder_name=row["folder__name"],
            removed=now, flags=flags, internal_date=row["internal_date"], size=row["size"],
            blob_id=row["blob_id"], trace=bytes(row["trace"] or b""), subject=row["subject"],
            from_address=row["from_address"], from_name=row["from_name"], date=row["date"],
            has_attachments=row["has_attachments"]))
        if len(batch) >= BATCH:
            kept += len(RecoverableMessage.objects.bulk_create(batch))
            batch = []
    if batch:
        kept += len(RecoverableMessage.objects.bulk_create(batch))
    return kept


def recoverable(account_id: int, query: str = ""):
    """The account's recoverable messages, newest removal first; query narrows them by
    subject, sender name or sender address (a case-insensitive substring)."""
    rows = RecoverableMessage.objects.filter(account_id=account_id).defer("trace")
    query = (query or "").strip()
    if query:
        rows = rows.filter(Q(subject__icontains=query) | Q(from_address__icontains=query)
                           | Q(from_name__icontains=query))
    return rows.order_by("-removed", "-id")


def expires(row: RecoverableMessage):
    """When the row is purged and can no longer be recovered."""
    return row.removed + timedelta(days=recovery_days())


@dataclass(frozen=True)
class Recovered:
    recovered: list  # (RecoverableMessage id, folder name, new UID)
    refused: StoreError | None = None  # why the rest were not (the mailbox is full...)


def _destination(account_id: int, row: RecoverableMessage) -> str:
    """The folder to put row back into: the one it left (under its current name), a folder
    of its old name, that folder made again, or INBOX when the name can't be made."""
    if row.folder_id is not None:
        folder = Folder.objects.filter(pk=row.folder_id, account_id=account_id).only("name").first()
        if folder is not None:
            return folder.name
    if Folder.objects.filter(account_id=account_id, name=row.folder_name).exists():
        return row.folder_name
    try:
        return create_folder(account_id, row.folder_name).name
    except StoreError:
        return INBOX  # a parent kept the name, or the name is no longer allowed


def recover(account_id: int, ids) -> Recovered:
    """Put these recoverable messages of the account back into their folders.

    Each is appended in its own transaction with its row deleted in it, so two people
    recovering the same message at once recover it once. Stops at the first refusal (a
    full mailbox: recovered mail counts toward the quota again) and says why.
    """
    done = []
    for pk in sorted({int(pk) for pk in ids}):
        try:
            with transaction.atomic():
                row = RecoverableMessage.objects.filter(pk=pk, account_id=account_id).select_related("blob").first()
                if row is None:
                    continue
                # Deleting first takes the write lock: a second recovery finds nothing.
                deleted, _kinds = RecoverableMessage.objects.filter(pk=pk).delete()
                if not deleted:
                    continue
                folder = _destination(account_id, row)
                raw = blobs.read(row.blob.digest)
                target = Target(account_id, folder, tuple(row.flags), row.internal_date, bytes(row.trace))
                # Mail that was stored once is not held to today's size limit.
                appended = write_batch(prepare_batch([(raw, [target])], limit_size=False),
                                       skip_over_quota=False)[0][0]
        except StoreError as error:
            return Recovered(done, error)
        done.append((pk, folder, appended.uid))
    return Recovered(done)


def purge_aged(now=None) -> int:
    """Delete recoverable messages older than HOPTHU_RECOVERY_DAYS; their bodies go with
    the next blob collection. With 0 days, every kept one goes."""
    cutoff = (now or timezone.now()) - timedelta(days=max(recovery_days(), 0))
    total = 0
    while True:
        ids = list(RecoverableMessage.objects.filter(removed__lt=cutoff).values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        deleted, _kinds = RecoverableMessage.objects.filter(pk__in=ids).delete()
        total += deleted
