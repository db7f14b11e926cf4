"""Sequence sets → the UIDs they name in the selected folder (RFC 9051 §9 sequence-set).

Message sequence numbers are positions in session.uids (kept in UID order); "*" is the
last message or the highest UID. A range may be written either way round. "$" is the
result saved by SEARCH RETURN (SAVE) (RFC 5182), the same messages by number or UID.
"""
import bisect

from ..errors import ImapBad
from .updates import uid_ranges


def resolve(session, ranges, by_uid: bool, strict: bool = True) -> list[int]:
    """The UIDs a sequence set names. Not strict (SEARCH), numbers past the last message
    name nothing instead of being an error."""
    uids = session.uids
    if any(r.start == -1 for r in ranges):
        return saved_uids(session)
    chosen: set[int] = set()
    if by_uid:
        highest = uids[-1] if uids else 0
        for r in ranges:
            low, high = sorted((highest if r.start is None else r.start, highest if r.end is None else r.end))
            chosen.update(uids[bisect.bisect_left(uids, low):bisect.bisect_right(uids, high)])
    else:
        count = len(uids)
        for r in ranges:
            low, high = sorted((count if r.start is None else r.start, count if r.end is None else r.end))
            if (low < 1 or high > count) and strict:
                # RFC 9051 §6.4.5: a sequence number that doesn't exist is an error.
                raise ImapBad("No such message sequence number")
            chosen.update(uids[max(low, 1) - 1:high])
    return sorted(chosen)


def saved_uids(session) -> list[int]:
    """The messages of "$" the client still has (RFC 5182 §2.1: an expunged message leaves
    the saved result). The saved UIDs are kept as they were; one the client was told is
    expunged is out of its view, and UIDs are never used again in a folder, so leaving
    them out here is the same as removing them when they go."""
    return [uid for uid in session.saved if session.position(uid) is not None]


def known_uid_ranges(session, ranges) -> list[tuple[int, int | None]]:
    """A UID set as (low, high) pairs that may name UIDs gone from the folder (as
    updates.uid_ranges), "$" as the UIDs it saved (for UID FETCH ... VANISHED)."""
    if any(r.start == -1 for r in ranges):
        return [(uid, uid) for uid in session.saved]
    return uid_ranges(ranges)
