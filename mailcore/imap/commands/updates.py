"""Bringing a session's view of its folder up to date: untagged EXPUNGE (or VANISHED
once QRESYNC is enabled) and EXISTS; and QRESYNC's resynchronization at SELECT.

Other sessions, delivery and the webmail change the folder; the session learns of it
here, at the points where RFC 9051 §7.5.1 allows EXPUNGE responses (NOOP, CHECK, IDLE,
EXPUNGE, MOVE...), never during FETCH, STORE or SEARCH, where sequence numbers must not
shift under the client. The folder's UID list and MODSEQ come from the store's
snapshot (mailcore/store/snapshot.py), shared by the sessions of this process.
"""
from array import array

from mailcore.store.recent import claim_recent
from mailcore.store.snapshot import folder_uids, highest_modseq
from mailcore.store.vanished import changed_since, expunged_since

from ..errors import ImapBad
from ..responses import compact_set
from ..searchcontext import add_after_exists, remove_before_expunges

SYSTEM_FLAGS = r"\Answered \Flagged \Deleted \Seen \Draft"


def _changes(folder_id: int, since_modseq: int, synced: int | None, claim: bool = True):
    """None when the folder is as it was at MODSEQ `synced`; else its MODSEQ now, the UIDs
    now in it, the flags of messages changed after since_modseq, and the UIDs [first,
    upto) this session now holds as recent (RFC 3501 §2.3.2; with claim False only looked at)."""
    highest = highest_modseq(folder_id)
    if highest is not None and highest == synced:
        return None  # nothing happened: the common case of NOOP and IDLE polls
    # New mail nobody has seen is this session's to report as recent. Claimed before the
    # UIDs are read, so every claimed message is in the list below.
    recent = claim_recent(folder_id, claim) if highest is not None else (0, 0)
    if recent[0] < recent[1]:
        highest = highest_modseq(folder_id)
    uids = folder_uids(folder_id, highest)
    # RFC 7162 §3.2: no FETCH may show a MODSEQ above an expunge not yet reported, or a
    # client that then loses the connection resynchronizes past it. The UID list is as of
    # `highest`, so changes after it wait for the next update.
    changed = changed_since(folder_id, since_modseq, upto=highest)
    return highest, uids, changed, recent


async def sync(session):
    """Report expunged and new messages, the recent count, and flags others changed
    (RFC 9051 §7.5.2 FETCH, RFC 3501 §7.3.2 RECENT)."""
    if session.folder is None:
        return
    found = await session.host.run_blocking(_changes, session.folder.pk, session.modseq,
                                            getattr(session, "synced_modseq", None), not session.readonly)
    if found is None:
        return
    highest, current, changed, recent = found
    session.recent.add(*recent)
    known = session.uids[-1] if session.uids else 0  # messages above this are new: EXISTS covers them
    contexts = await remove_before_expunges(session, highest, current)  # RFC 5267 §4.3.4
    expunged = await announce(session, current)
    shown = [(uid, modseq, flags) for uid, modseq, flags in changed
             if session.flag_updates and uid <= known and session.position(uid)]
    await announce_keywords(session, (flag for _uid, _modseq, flags in shown for flag in flags))
    session.modseq = max([session.modseq, *(modseq for _uid, modseq, _flags in changed)])
    for uid, modseq, flags in shown:
        await session.untagged(unsolicited_fetch(session, uid, modseq, flags))
    await add_after_exists(session, contexts)  # RFC 5267 §4.3.3: ADDTO after the EXISTS
    if expunged and highest is not None and "QRESYNC" in session.enabled:
        # A VANISHED carries no MODSEQ: tell the client the MODSEQ it is now synced to, so
        # its next SELECT (QRESYNC) starts from here (Dovecot sends the same code).
        await session.untagged(f"OK [HIGHESTMODSEQ {highest}] Highest")
    session.synced_modseq = highest  # the folder's MODSEQ this view now reflects


def unsolicited_fetch(session, uid: int, modseq: int, flags) -> str:
    """A FETCH of flags another change made. RFC 7162 §3.1.4.1: with CONDSTORE enabled
    it carries MODSEQ, and UID too (as Dovecot sends), so a QRESYNC client files it
    under the message's UID without a sequence-number map."""
    shown = f"FLAGS ({session.shown_flags(uid, flags)})"
    if "CONDSTORE" in session.enabled:
        return f"{session.position(uid)} FETCH (UID {uid} {shown} MODSEQ ({modseq}))"
    if session.notify is not None:  # RFC 5465 §5.1: UID and FLAGS (the client may not use positions)
        return f"{session.position(uid)} FETCH (UID {uid} {shown})"
    return f"{session.position(uid)} FETCH ({shown})"


async def announce(session, current: list[int]) -> bool:
    """Report the expunges, new mail and RECENT count; True if messages were expunged."""
    present = set(current)
    gone = [uid for uid in session.uids if uid not in present]
    if "QRESYNC" in session.enabled:
        # RFC 7162 §3.2.10: once QRESYNC is enabled, expunges are told by UID in one
        # VANISHED response, never as EXPUNGE.
        if gone:
            await session.untagged(f"VANISHED {compact_set(gone)}")
    else:
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
    recent = session.recent.count(session.uids)
    if new or recent > session.recent_reported:
        # RFC 3501 §7.3.2: the RECENT count goes with new mail (expunges lower it silently).
        await session.untagged(f"{recent} RECENT")
    session.recent_reported = recent
    return bool(gone)


def flags_lines(session) -> list[str]:
    """The untagged FLAGS and PERMANENTFLAGS lines: system flags and announced keywords."""
    keywords = "".join(" " + keyword for keyword in sorted(session.keywords.values(), key=str.lower))
    permanent = "()" if session.readonly else rf"({SYSTEM_FLAGS}{keywords} \*)"
    return [f"FLAGS ({SYSTEM_FLAGS}{keywords})", f"OK [PERMANENTFLAGS {permanent}] Flags allowed"]


async def announce_keywords(session, flags):
    """RFC 3501 §7.2.6: a keyword goes to the client in FLAGS before any FETCH shows it.
    Sends FLAGS and PERMANENTFLAGS again when flags hold a keyword not yet announced."""
    new = {flag.lower(): flag for flag in flags if not flag.startswith("\\") and flag.lower() not in session.keywords}
    if not new:
        return
    session.keywords.update(new)
    for line in flags_lines(session):
        await session.untagged(line)


def uid_ranges(ranges) -> list[tuple[int, int | None]]:
    """A UID sequence-set as (low, high) pairs, high None where "*" stands: a UID set
    sent to name UIDs the client knows may reach past the folder's last message."""
    out = []
    for r in ranges:
        if r.start == -1:
            raise ImapBad("$ (SEARCHRES) is not supported")
        if r.start is None or r.end is None:
            out.append((r.end or r.start or 1, None))
        else:
            out.append((min(r.start, r.end), max(r.start, r.end)))
    return out


async def resync(session, modseq: int, known):
    """RFC 7162 §3.2.5.1: after SELECT's responses, what changed since the client's
    MODSEQ: VANISHED (EARLIER) for known UIDs expunged since, then FETCH (UID FLAGS
    MODSEQ) for messages changed since (known UIDs only, when the client listed them)."""
    folder_id = session.folder.pk
    vanished, changed = await session.host.run_blocking(
        lambda: (expunged_since(folder_id, modseq, known), changed_since(folder_id, modseq, known)))
    # A UID still in this session's view was expunged after the SELECT read the folder:
    # the next update reports it with VANISHED, not as an earlier expunge.
    vanished = [uid for uid in vanished if session.position(uid) is None]
    if vanished:
        await session.untagged(f"VANISHED (EARLIER) {compact_set(vanished)}")
    shown = [(uid, m, flags) for uid, m, flags in changed if session.position(uid) is not None]
    await announce_keywords(session, (flag for _uid, _m, flags in shown for flag in flags))
    for uid, m, flags in shown:
        await session.untagged(unsolicited_fetch(session, uid, m, flags))
