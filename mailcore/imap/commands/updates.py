"""Bringing a session's view of its folder up to date: untagged EXPUNGE and EXISTS.

Other sessions, delivery and the webmail change the folder; the session learns of it
here, at the points where RFC 9051 §7.5.1 allows EXPUNGE responses (NOOP, CHECK, IDLE,
EXPUNGE, MOVE...), never during FETCH, STORE or SEARCH, where sequence numbers must not
shift under the client.
"""
from mailcore.store.models import Message


def folder_uids(folder_id: int) -> list[int]:
    return list(Message.objects.filter(folder_id=folder_id).order_by("uid").values_list("uid", flat=True))


async def sync(session):
    if session.folder is None:
        return
    current = await session.host.run_blocking(folder_uids, session.folder.pk)
    await announce(session, current)


async def announce(session, current: list[int]):
    present = set(current)
    # Highest sequence numbers first, so each EXPUNGE leaves the ones before it valid.
    for position in range(len(session.uids), 0, -1):
        if session.uids[position - 1] not in present:
            await session.untagged(f"{position} EXPUNGE")
    session.uids = [uid for uid in session.uids if uid in present]
    highest = session.uids[-1] if session.uids else 0
    new = [uid for uid in current if uid > highest]
    if new:
        session.uids.extend(new)
        await session.untagged(f"{len(session.uids)} EXISTS")
