"""Sequence sets → the UIDs they name in the selected folder (RFC 9051 §9 sequence-set).

Message sequence numbers are positions in session.uids (kept in UID order); "*" is the
last message or the highest UID. A range may be written either way round.
"""
import bisect

from ..errors import ImapBad


def resolve(session, ranges, by_uid: bool, strict: bool = True) -> list[int]:
    """The UIDs a sequence set names. Not strict (SEARCH), numbers past the last message
    name nothing instead of being an error."""
    uids = session.uids
    if any(r.start == -1 for r in ranges):
        raise ImapBad("$ (SEARCHRES) is not supported")
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
