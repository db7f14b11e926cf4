"""What a resynchronizing client asks: which UIDs left a folder, and which messages
changed, after a MODSEQ it saw (RFC 7162 §3.2.5, §3.2.6 QRESYNC).

Every expunge and move-out leaves an Expunged row with its MODSEQ (messages.py); the
rows go only with their folder, whose UIDVALIDITY goes with it, so the history is
complete for any MODSEQ a client can hold (no RFC 7162 §3.2.5.2 gaps to cover).
"""
from .fetch import FLAG_COLUMNS, MessageRow
from .models import Expunged, Message


def _within(uid: int, ranges) -> bool:
    return ranges is None or any(low <= uid and (high is None or uid <= high) for low, high in ranges)


def expunged_since(folder_id: int, modseq: int, ranges=None) -> list[int]:
    """UIDs removed from the folder after this MODSEQ, ascending; only those within
    ranges [(low, high)], high None for no upper bound, when ranges are given."""
    uids = (Expunged.objects.filter(folder_id=folder_id, modseq__gt=modseq)
            .order_by("uid").values_list("uid", flat=True).distinct())
    return [uid for uid in uids if _within(uid, ranges)]


def changed_since(folder_id: int, modseq: int, ranges=None, upto: int | None = None
                  ) -> list[tuple[int, int, list[str]]]:
    """(uid, modseq, flags) of the messages changed (or added) after this MODSEQ, by UID;
    only those within ranges when given (as for expunged_since), and only changes up to
    MODSEQ upto when given."""
    names = ("uid", "modseq", *FLAG_COLUMNS)
    rows = Message.objects.filter(folder_id=folder_id, modseq__gt=modseq)
    if upto is not None:
        rows = rows.filter(modseq__lte=upto)
    rows = rows.order_by("uid").values_list(*names)
    out = []
    for values in rows:
        row = MessageRow(dict(zip(names, values, strict=True)))
        if _within(row.uid, ranges):
            out.append((row.uid, row.modseq, list(row.flags)))
    return out
