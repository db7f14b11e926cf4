"""Turning CONDSTORE on by using it (RFC 7162 §3.1).

A client enables CONDSTORE with ENABLE or SELECT (CONDSTORE), or by using it: FETCH of
MODSEQ or with CHANGEDSINCE, STORE with UNCHANGEDSINCE, SEARCH with MODSEQ. When that
happens while a folder is selected, the client is told the folder's HIGHESTMODSEQ in an
untagged OK first (§3.1.2.1), as Dovecot does: it did not get one at SELECT.
"""


async def enable_condstore(session):
    """Mark CONDSTORE enabled; the first time, with a folder selected, send HIGHESTMODSEQ.

    The value is the MODSEQ this session's view of the folder reflects (updates.sync):
    every change up to it has been reported, so a client that resynchronizes from it
    misses nothing."""
    if "CONDSTORE" in session.enabled:
        return
    session.enabled.add("CONDSTORE")
    if session.folder is not None:
        highest = getattr(session, "synced_modseq", None) or session.modseq
        await session.untagged(f"OK [HIGHESTMODSEQ {highest}] Highest")
