"""\\Recent (RFC 3501 §2.3.2): a message is recent in exactly one IMAP session, the first
that selects its folder after it arrived, and never again in any later one.

A folder keeps a mark, first_recent_uid: its messages from that UID up have not been
claimed by any session. A session that selects the folder (or sees new mail while it
has it selected) claims [first_recent_uid, uidnext) by raising the mark to uidnext,
with a compare-and-set on the folder row, so two sessions in any process never claim
the same UIDs (Dovecot keeps the same mark in its index header). uidnext commits in
the same transaction as the messages below it (models.py), so a claimed UID is one
that exists or was expunged, never one still on its way.
"""
from .models import Folder, Message

CLAIM_ATTEMPTS = 20  # compare-and-set rounds lost to other sessions before giving up


def claim_recent(folder_id: int, claim: bool = True) -> tuple[int, int]:
    """The UIDs [first, upto) recent for the calling session.

    With claim False (EXAMINE, RFC 3501 §6.3.2) the range is only looked at: it stays
    recent for the next session that selects the folder. A folder deleted meanwhile has
    nothing recent. One indexed read when nothing is new; a write only when something is.
    """
    for _attempt in range(CLAIM_ATTEMPTS):
        row = Folder.objects.filter(pk=folder_id).values_list("first_recent_uid", "uidnext").first()
        if row is None:
            return 0, 0
        first, upto = row
        if first >= upto or not claim:
            return first, upto
        if Folder.objects.filter(pk=folder_id, first_recent_uid=first).update(first_recent_uid=upto):
            return first, upto
    return 0, 0  # other sessions kept claiming first: nothing is recent for this one now


def unclaimed_count(folder: Folder) -> int:
    """How many messages no session has claimed yet: STATUS RECENT (RFC 3501 §6.3.10)."""
    return Message.objects.filter(folder_id=folder.pk, uid__gte=folder.first_recent_uid).count()
