"""Folder status: the counts every client shows, computed in one place.

IMAP STATUS and SELECT, the webmail's folder list and POP3 all read a folder's counts
here, so an unread count is the same number in every client. "Unseen" is RFC 9051
§6.3.11's: messages without \\Seen, \\Deleted ones included until they are expunged
(the webmail lists those struck through, so they count where they are shown).
"""
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from .folders import get_folder
from .models import Folder, Message


@dataclass(frozen=True)
class FolderStatus:
    folder_id: int
    name: str
    messages: int
    unseen: int
    deleted: int
    size: int
    uidnext: int
    uidvalidity: int
    highestmodseq: int


_COUNTS = {
    "messages": Count("pk"),
    "unseen": Count("pk", filter=Q(seen=False)),
    "deleted": Count("pk", filter=Q(deleted=True)),
}


def _status(folder: Folder, counts: dict) -> FolderStatus:
    return FolderStatus(
        folder_id=folder.pk, name=folder.name, messages=counts.get("messages") or 0,
        unseen=counts.get("unseen") or 0, deleted=counts.get("deleted") or 0, size=counts.get("size") or 0,
        uidnext=folder.uidnext, uidvalidity=folder.uidvalidity, highestmodseq=folder.highestmodseq)


def folder_status(account_id: int, name: str, with_size: bool = False) -> FolderStatus:
    """The status of one folder by name; raises FolderNotFound. The total size (RFC 8438
    STATUS=SIZE) costs a pass over the folder, so it is 0 unless asked for."""
    folder = get_folder(account_id, name)
    counts = {**_COUNTS, "size": Sum("size")} if with_size else _COUNTS
    return _status(folder, Message.objects.filter(folder=folder).aggregate(**counts))


def unseen_counts(folder_ids) -> dict[int, int]:
    """Unseen messages per folder (folders with none are absent): one grouped query along
    the (folder, seen) index, for folder lists such as the webmail's sidebar."""
    rows = (Message.objects.filter(folder_id__in=list(folder_ids), seen=False)
            .values_list("folder").annotate(n=Count("pk")).order_by())
    return dict(rows)


def change_marks(folder_ids) -> dict[int, tuple[int, int]]:
    """(UIDNEXT, HIGHESTMODSEQ) per folder: every append, flag change and expunge moves
    one of them (messages.py), so comparing marks tells a watcher that a folder changed.
    Folders that no longer exist are absent."""
    return {pk: (uidnext, modseq) for pk, uidnext, modseq in
            Folder.objects.filter(pk__in=list(folder_ids)).values_list("pk", "uidnext", "highestmodseq")}
