"""What a client reads about a folder without its messages, computed in one place.

IMAP STATUS and SELECT, the webmail's folder list and the IDLE and NOTIFY watcher read a
folder's counts, marks and keywords here, so an unread count is the same number in every
client.
"Unseen" is RFC 9051 §6.3.11's: messages without \\Seen, \\Deleted ones included until
they are expunged (the webmail lists those struck through, so they count where shown).
"""
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, Min, Q, Sum

from .folders import get_folder
from .models import Folder, Message, Subscription
from .recent import unclaimed_count


@dataclass(frozen=True)
class FolderStatus:
    folder_id: int
    name: str
    messages: int
    unseen: int
    deleted: int
    size: int  # 0 unless asked for
    recent: int  # 0 unless asked for
    uidnext: int
    uidvalidity: int
    highestmodseq: int


def folder_status(account_id: int, name: str, with_size=False, with_recent=False) -> FolderStatus:
    """The status of one folder by name; raises FolderNotFound. The total size (RFC 8438)
    costs a pass over the folder, and RECENT a count, so each is made only when asked."""
    folder = get_folder(account_id, name)
    counts = Message.objects.filter(folder=folder).aggregate(
        messages=Count("pk"), unseen=Count("pk", filter=Q(seen=False)), deleted=Count("pk", filter=Q(deleted=True)),
        **({"size": Sum("size")} if with_size else {}))
    return FolderStatus(
        folder_id=folder.pk, name=folder.name, messages=counts["messages"], unseen=counts["unseen"],
        deleted=counts["deleted"], size=counts.get("size") or 0,
        recent=unclaimed_count(folder) if with_recent else 0,
        uidnext=folder.uidnext, uidvalidity=folder.uidvalidity, highestmodseq=folder.highestmodseq)


def unseen_counts(folder_ids) -> dict[int, int]:
    """Unseen messages per folder (folders with none are absent): one grouped query along
    the (folder, seen) index, for folder lists such as the webmail's sidebar."""
    rows = (Message.objects.filter(folder_id__in=list(folder_ids), seen=False)
            .values_list("folder").annotate(n=Count("pk")).order_by())
    return dict(rows)


def first_unseen_uid(folder_id: int) -> int | None:
    """The lowest UID without \\Seen, or None (SELECT's [UNSEEN n], RFC 3501 §6.3.1)."""
    return Message.objects.filter(folder_id=folder_id, seen=False).aggregate(first=Min("uid"))["first"]


def folder_keywords(folder_id: int) -> list[str]:
    """The keywords set on some message of the folder, case-insensitively distinct, sorted
    (SELECT's FLAGS and PERMANENTFLAGS list them, as Dovecot does)."""
    found: dict[str, str] = {}
    for keywords in Message.objects.filter(folder_id=folder_id).values_list("keywords", flat=True).distinct():
        for keyword in keywords or ():
            found.setdefault(keyword.lower(), keyword)
    return sorted(found.values(), key=str.lower)


def change_marks(folder_ids) -> dict[int, tuple[int, int]]:
    """(UIDNEXT, HIGHESTMODSEQ) per folder: every append, flag change and expunge moves
    one of them (messages.py), so comparing marks tells a watcher that a folder changed.
    Folders that no longer exist are absent."""
    return {pk: (uidnext, modseq) for pk, uidnext, modseq in
            Folder.objects.filter(pk__in=list(folder_ids)).values_list("pk", "uidnext", "highestmodseq")}


class FolderMark(NamedTuple):
    """A folder's name and the marks every change moves, as a watcher compares them."""

    folder_id: int
    name: str
    special_use: str
    uidvalidity: int
    uidnext: int
    highestmodseq: int


def account_marks(account_ids, with_subscriptions=()) -> dict[int, tuple[tuple[FolderMark, ...], frozenset | None]]:
    """Every folder of these accounts with its marks, in folder-id order, read in one
    query; and the subscribed names of the accounts in with_subscriptions (one more
    query), None for the others. Two reads compared tell which folders were created,
    deleted, renamed or changed (IMAP NOTIFY, RFC 5465). Every account asked for is in
    the answer, with no folders if it has none."""
    account_ids = list(account_ids)
    folders: dict[int, list[FolderMark]] = {account_id: [] for account_id in account_ids}
    rows = (Folder.objects.filter(account_id__in=account_ids).order_by("pk")
            .values_list("account_id", "pk", "name", "special_use", "uidvalidity", "uidnext", "highestmodseq"))
    for account_id, *mark in rows:
        folders[account_id].append(FolderMark(*mark))
    subscribed: dict[int, set[str]] = {account_id: set() for account_id in with_subscriptions}
    if subscribed:
        for account_id, name in Subscription.objects.filter(account_id__in=list(subscribed)).values_list(
                "account_id", "name"):
            subscribed[account_id].add(name)
    return {account_id: (tuple(marks), frozenset(subscribed[account_id]) if account_id in subscribed else None)
            for account_id, marks in folders.items()}


class FolderCounts(NamedTuple):
    folder_id: int
    uidvalidity: int
    uidnext: int
    highestmodseq: int
    messages: int
    unseen: int


def folder_counts(folder_ids) -> dict[int, FolderCounts]:
    """Marks and message counts (MESSAGES, UNSEEN as in folder_status) of several folders
    in one statement, so the counts are those of the marks read with them. Folders that
    no longer exist are absent."""
    rows = (Folder.objects.filter(pk__in=list(folder_ids))
            .annotate(n=Count("messages"), unseen=Count("messages", filter=Q(messages__seen=False)))
            .values_list("pk", "uidvalidity", "uidnext", "highestmodseq", "n", "unseen"))
    return {row[0]: FolderCounts(*row) for row in rows}
