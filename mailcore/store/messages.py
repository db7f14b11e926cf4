"""Changing stored messages: flags, copy, move, expunge. Every protocol and UI calls these.

Each operation runs in one transaction with the folder rows locked, takes one new MODSEQ
for everything it changes (RFC 7162 §3.1), and keeps quota counters and the search index
in step. Messages are addressed by folder and UID, the way IMAP addresses them.
"""
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from mailcore.directory.models import Account
from mailcore.sizes import format_size

from . import recovery, search
from .errors import FolderNotFound, QuotaExceeded
from .flags import SYSTEM_FLAGS, merge_keywords, split_flags
from .folders import get_folder
from .models import Expunged, Folder, Message
from .signals import messages_moved

log = logging.getLogger(__name__)

FLAG_FIELDS = ["seen", "answered", "flagged", "deleted", "draft", "keywords"]


@dataclass(frozen=True)
class FlagChange:
    uid: int
    modseq: int
    flags: tuple


def lock_folder(account_id: int, folder) -> Folder:
    """Return the folder (by name or id) locked for update; it must belong to account_id."""
    if isinstance(folder, Folder):
        folder = folder.pk
    if isinstance(folder, int):
        locked = Folder.objects.select_for_update().filter(pk=folder, account_id=account_id).first()
        if locked is None:
            raise FolderNotFound(_("There is no such folder."))
        return locked
    return Folder.objects.select_for_update().get(pk=get_folder(account_id, folder).pk)


def _next_modseq(folder: Folder) -> int:
    folder.highestmodseq += 1
    Folder.objects.filter(pk=folder.pk).update(highestmodseq=folder.highestmodseq)
    return folder.highestmodseq


@transaction.atomic
def store_flags(account_id, folder, uids, flags, mode="add", unchanged_since=None):
    """Add, remove or replace flags on the messages with these UIDs (RFC 9051 §6.4.6).

    Returns (changed, failed): FlagChange for each message whose flags changed, and the
    UIDs refused because their MODSEQ is above unchanged_since (RFC 7162 §3.1.3).
    """
    if mode not in ("add", "remove", "replace"):
        raise ValueError(mode)
    system, keywords = split_flags(flags)
    folder = lock_folder(account_id, folder)
    messages = list(
        # In UID order: IMAP reports the changes in this order, whatever the database's plan.
        Message.objects.filter(folder=folder, uid__in=list(uids)).only("uid", "modseq", *FLAG_FIELDS).order_by("uid")
    )
    changed, failed = [], []
    for message in messages:
        if unchanged_since is not None and message.modseq > unchanged_since:
            failed.append(message.uid)
            continue
        before = (*[getattr(message, f) for f in FLAG_FIELDS[:-1]], tuple(message.keywords))
        for attr in SYSTEM_FLAGS.values():
            if mode == "replace":
                setattr(message, attr, system.get(attr, False))
            elif attr in system:
                setattr(message, attr, mode == "add")
        if mode == "replace":
            message.keywords = merge_keywords([], keywords)
        elif mode == "add":
            message.keywords = merge_keywords(message.keywords, add=keywords)
        else:
            message.keywords = merge_keywords(message.keywords, remove=keywords)
        after = (*[getattr(message, f) for f in FLAG_FIELDS[:-1]], tuple(message.keywords))
        if after != before:
            changed.append(message)
    if changed:
        modseq = _next_modseq(folder)
        for message in changed:
            message.modseq = modseq
        Message.objects.bulk_update(changed, [*FLAG_FIELDS, "modseq"], batch_size=500)
    return [FlagChange(m.uid, m.modseq, tuple(m.flags)) for m in changed], failed


def _check_quota(account_id: int, extra_bytes: int):
    account = Account.objects.select_for_update().only("quota", "used_bytes").get(pk=account_id)
    if account.quota and account.used_bytes + extra_bytes > account.quota:
        raise QuotaExceeded(_("The mailbox is full (%(used)s of %(quota)s used).") % {
            "used": format_size(account.used_bytes), "quota": format_size(account.quota)})


def _take_uids(folder: Folder, count: int) -> tuple[int, int]:
    """Reserve count UIDs and one MODSEQ in a locked folder; return (first uid, modseq)."""
    first = folder.uidnext
    folder.uidnext += count
    folder.highestmodseq += 1
    Folder.objects.filter(pk=folder.pk).update(uidnext=folder.uidnext, highestmodseq=folder.highestmodseq)
    return first, folder.highestmodseq


def _folder_id(account_id, folder) -> int:
    if isinstance(folder, Folder):
        return folder.pk
    if isinstance(folder, int):
        return folder
    return get_folder(account_id, folder).pk


def _announce_move(account_id, src, dst, message_ids, copied):
    """Send messages_moved after commit (signals.py), only if something listens."""
    if not messages_moved.has_listeners() or not message_ids:
        return

    def send():
        for receiver, result in messages_moved.send_robust(
                sender=Message, account_id=account_id, source=src, target=dst, message_ids=message_ids,
                copied=copied):
            if isinstance(result, Exception):
                log.error("messages_moved receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)


def _locked_pair(account_id, source, target) -> tuple[Folder, Folder]:
    # Lock in id order so two opposite moves cannot deadlock (PostgreSQL).
    src_id, dst_id = _folder_id(account_id, source), _folder_id(account_id, target)
    locked = {pk: lock_folder(account_id, pk) for pk in sorted({src_id, dst_id})}
    return locked[src_id], locked[dst_id]


@transaction.atomic
def copy_messages(account_id, source, uids, target) -> list[tuple[int, int]]:
    """Copy messages to another folder; return [(source uid, new uid)] (RFC 4315 COPYUID).

    The copies share the blob; quota counts each copy, as Dovecot does.
    """
    src, dst = _locked_pair(account_id, source, target)
    messages = list(Message.objects.filter(folder=src, uid__in=list(uids)).order_by("uid"))
    if not messages:
        return []
    _check_quota(account_id, sum(m.size for m in messages))
    first_uid, modseq = _take_uids(dst, len(messages))
    pairs = []
    originals = [m.pk for m in messages]
    for offset, message in enumerate(messages):
        pairs.append((message.uid, first_uid + offset))
        message.pk = None
        message.folder = dst
        message.uid = first_uid + offset
        message.modseq = modseq
    Message.objects.bulk_create(messages, batch_size=500)
    search.copy_entries(list(zip(originals, [m.pk for m in messages], strict=True)))
    Account.objects.filter(pk=account_id).update(
        used_bytes=F("used_bytes") + sum(m.size for m in messages),
        message_count=F("message_count") + len(messages),
    )
    _announce_move(account_id, src, dst, originals, copied=True)
    return pairs


@transaction.atomic
def move_messages(account_id, source, uids, target) -> list[tuple[int, int]]:
    """Move messages (RFC 6851): new UIDs in target, expunged from source.

    The rows are moved rather than copied and deleted, so the search index and the
    quota are untouched. A move into the folder itself gives the messages new UIDs too
    (RFC 6851 §3.3: MOVE is COPY then EXPUNGE; Dovecot does the same).
    """
    src, dst = _locked_pair(account_id, source, target)
    messages = list(Message.objects.filter(folder=src, uid__in=list(uids)).only("uid").order_by("uid"))
    if not messages:
        return []
    first_uid, modseq = _take_uids(dst, len(messages))
    gone_modseq = _next_modseq(src)
    pairs = []
    for offset, message in enumerate(messages):
        pairs.append((message.uid, first_uid + offset))
        message.folder_id = dst.pk
        message.uid = first_uid + offset
        message.modseq = modseq
    Message.objects.bulk_update(messages, ["folder", "uid", "modseq"], batch_size=500)
    Expunged.objects.bulk_create(Expunged(folder=src, uid=old, modseq=gone_modseq) for old, _new in pairs)
    if src.pk != dst.pk:
        _announce_move(account_id, src, dst, [m.pk for m in messages], copied=False)
    return pairs


@transaction.atomic
def expunge(account_id, folder, uids=None, recoverable=True) -> list[int]:
    """Remove the messages flagged \\Deleted (only those in uids, for UID EXPUNGE, RFC 4315).

    They stay recoverable for HOPTHU_RECOVERY_DAYS (recovery.py), outside the folder's
    UIDs; recoverable=False is for copies nobody deleted (a draft's earlier version).
    Returns the expunged UIDs in ascending order.
    """
    folder = lock_folder(account_id, folder)
    doomed = Message.objects.filter(folder=folder, deleted=True)
    if uids is not None:
        doomed = doomed.filter(uid__in=list(uids))
    gone = list(doomed.order_by("uid").values_list("uid", flat=True))
    if not gone:
        return []
    modseq = _next_modseq(folder)
    release_messages(doomed, recoverable=recoverable)
    Expunged.objects.bulk_create(Expunged(folder=folder, uid=uid, modseq=modseq) for uid in gone)
    return gone


def release_messages(queryset, recoverable=True):
    """Delete messages and give back their quota and index entries (call in a transaction).

    With recoverable, each is kept as a RecoverableMessage (recovery.py), which holds its
    blob and does not count toward the quota. Blobs stay until gc.collect_blobs finds
    nothing refers to them.
    """
    if recoverable:
        recovery.keep(queryset)
    per_account = queryset.values("account_id").annotate(total=Sum("size"), count=Count("pk"))
    ids = list(queryset.values_list("pk", flat=True))
    for row in per_account:
        Account.objects.filter(pk=row["account_id"]).update(
            used_bytes=F("used_bytes") - row["total"], message_count=F("message_count") - row["count"]
        )
    search.remove_entries(ids)
    Message.objects.filter(pk__in=ids).delete()


def quota_usage(account_id: int) -> tuple[int, int, int]:
    """Return (used bytes, quota bytes or 0 for unlimited, message count)."""
    account = Account.objects.only("used_bytes", "quota", "message_count").get(pk=account_id)
    return account.used_bytes, account.quota, account.message_count


@transaction.atomic
def recount_usage(account_id: int) -> tuple[int, int]:
    """Recompute the quota counters from the messages (repair tool); return (bytes, count)."""
    totals = Message.objects.filter(account_id=account_id).aggregate(total=Sum("size"), count=Count("pk"))
    used, count = totals["total"] or 0, totals["count"] or 0
    Account.objects.filter(pk=account_id).update(used_bytes=used, message_count=count)
    return used, count
