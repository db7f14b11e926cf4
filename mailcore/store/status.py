"""What a client reads about a folder without its messages, computed in one place.

IMAP STATUS and SELECT, the webmail's folder list and the IDLE watcher read a folder's
counts, marks and keywords here, so an unread count is the same number in every client.
"Unseen" is RFC 9051 §6.3.11's: messages without \\Seen, \\Deleted ones included until
they are expunged (the webmail lists those struck through, so they count where shown).
"""
from dataclasses import dataclass

from django.db.models import Count, Min, Q, Sum

from .folders import get_folder
from .models import Folder, Message
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
