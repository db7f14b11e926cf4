"""Bringing a session's view of its folder up to date: untagged EXPUNGE and EXISTS.

Other sessions, delivery and the webmail change the folder; the session learns of it
here, at the points where RFC 9051 §7.5.1 allows EXPUNGE responses (NOOP, CHECK, IDLE,
EXPUNGE, MOVE...), never during FETCH, STORE or SEARCH, where sequence numbers must not
shift under the client.
"""
from array import array

from mailcore.store.models import Message


def folder_uids(folder_id: int) -> list[int]:
    return list(Message.objects.filter(folder_id=folder_id).order_by("uid").values_list("uid", flat=True))


def _changes(folder_id: int, since_modseq: int):
    """UIDs now in the folder, and the flags of messages changed after since_modseq."""
    uids = folder_uids(folder_id)
    changed = [(m.uid, m.modseq, m.flags) for m in Message.objects.filter(folder_id=folder_id, modseq__gt=since_modseq)
               .only("uid", "modseq", "seen", "answered", "flagged", "deleted", "draft", "keywords").order_by("uid")]
    return uids, changed


async def sync(session):
    """Report expunged and new messages, and flags others changed (RFC 9051 §7.5.2 FETCH)."""
    if session.folder is None:
        return
    current, changed = await session.host.run_blocking(_changes, session.folder.pk, session.modseq)
    known = session.uids[-1] if session.uids else 0  # messages above this are new: EXISTS covers them
    await announce(session, current)
    for uid, modseq, flags in changed:
        session.modseq = max(session.modseq, modseq)
        position = session.position(uid)
        if uid <= known and position is not None:
            await session.untagged(f"{position} FETCH (FLAGS ({' '.join(flags)}))")


async def announce(session, current: list[int]):
    present = set(current)
    # Highest sequence numbers first, so each EXPUNGE leaves the ones before it valid.
    for position in range(len(session.uids), 0, -1):
        if session.uids[position - 1] not in present:
            await session.untagged(f"{position} EXPUNGE")
    session.uids = array("I", (uid for uid in session.uids if uid in present))
    highest = session.uids[-1] if session.uids else 0
    new = [uid for uid in current if uid > highest]
    if new:
        session.uids.extend(new)
        await session.untagged(f"{len(session.uids)} EXISTS")
