"""STORE, EXPUNGE, COPY, MOVE (and their UID forms), CHECK. State: selected.
RFC 9051 §6.4.3, §6.4.6-8, RFC 6851 (MOVE), RFC 4315 (UIDPLUS)."""
from mailcore.store.errors import InvalidFlag
from mailcore.store.messages import copy_messages, expunge, move_messages, store_flags

from ..errors import ImapBad, ImapNo
from ..parser import Cursor
from ..searchcontext import recheck_touched
from ..server import SELECTED, command
from .condstore import enable_condstore
from .mailbox import mailbox_name, store_errors
from .sequence import resolve
from .updates import announce_keywords, sync


def _read_only(session):
    if session.readonly:
        raise ImapNo("The folder is open read-only (EXAMINE)", code="READ-ONLY")


# --- STORE -----------------------------------------------------------------------------------

async def _store(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    ranges = cursor.sequence_set()
    cursor.sp()
    unchanged_since = None
    if cursor.take(b"("):  # RFC 7162 §3.1.3: STORE (UNCHANGEDSINCE n)
        cursor.expect(b"UNCHANGEDSINCE ", "UNCHANGEDSINCE")
        unchanged_since = cursor.number()
        cursor.expect(b")", "')'")
        cursor.sp()
    item = cursor.atom("+FLAGS, -FLAGS or FLAGS").upper()
    mode = {"+": "add", "-": "remove"}.get(item[:1], "replace")
    base = item.lstrip("+-")
    if base not in ("FLAGS", "FLAGS.SILENT"):
        raise ImapBad(f"Unknown STORE item {item}")
    cursor.sp()
    flags = cursor.flag_list() if cursor.peek() == ord("(") else _bare_flags(cursor)
    cursor.end()
    if unchanged_since is not None:
        await enable_condstore(session)  # RFC 7162 §3.1: UNCHANGEDSINCE enables CONDSTORE
    _read_only(session)
    uids = resolve(session, ranges, by_uid)
    try:
        changed, failed = await session.host.run_blocking(
            store_flags, session.account.pk, session.folder.pk, uids, flags, mode, unchanged_since)
    except InvalidFlag as error:
        raise ImapBad(" ".join(error.messages)) from error
    condstore = "CONDSTORE" in session.enabled
    await announce_keywords(session, (flag for change in changed for flag in change.flags))
    for change in changed:
        if base == "FLAGS" or condstore:  # RFC 7162 §3.1.3: .SILENT still reports MODSEQ
            # With QRESYNC the client files FETCHes by UID: it goes in every one (as Dovecot).
            uid_part = f"UID {change.uid} " if by_uid or "QRESYNC" in session.enabled else ""
            flags_part = f"FLAGS ({session.shown_flags(change.uid, change.flags)})" if base == "FLAGS" else ""
            modseq_part = f"MODSEQ ({change.modseq})" if condstore else ""
            items = " ".join(part for part in (uid_part.strip(), flags_part, modseq_part) if part)
            await session.untagged(f"{session.position(change.uid)} FETCH ({items})")
    await recheck_touched(session, [change.uid for change in changed])  # RFC 5267 §4.3: ADDTO, REMOVEFROM
    code = None
    if failed:
        numbers = failed if by_uid else [n for n in map(session.position, failed) if n is not None]
        code = "MODIFIED " + ",".join(str(n) for n in numbers)
    await session.ok(tag, f"{'UID ' if by_uid else ''}STORE completed", code=code)


def _bare_flags(cursor: Cursor) -> list[str]:
    """RFC 9051 §9 allows the flags without parentheses: STORE 1 +FLAGS \\Seen \\Flagged."""
    flags = [cursor.flag()]
    while cursor.take(b" "):
        flags.append(cursor.flag())
    return flags


@command("STORE", {SELECTED})
async def cmd_store(session, tag: str, cursor: Cursor):
    """Change flags by sequence number. State: selected. RFC 9051 §6.4.6."""
    await _store(session, tag, cursor, by_uid=False)


@command("UID STORE", {SELECTED})
async def cmd_uid_store(session, tag: str, cursor: Cursor):
    """Change flags by UID. State: selected. RFC 9051 §6.4.9."""
    await _store(session, tag, cursor, by_uid=True)


# --- EXPUNGE ---------------------------------------------------------------------------------

async def _expunge(session, tag: str, uids):
    _read_only(session)
    await session.host.run_blocking(expunge, session.account.pk, session.folder.pk, uids)
    await sync(session)
    await session.ok(tag, "EXPUNGE completed")


@command("EXPUNGE", {SELECTED})
async def cmd_expunge(session, tag: str, cursor: Cursor):
    """Remove messages flagged \\Deleted. State: selected. RFC 9051 §6.4.3."""
    cursor.end()
    await _expunge(session, tag, None)


@command("UID EXPUNGE", {SELECTED})
async def cmd_uid_expunge(session, tag: str, cursor: Cursor):
    """Remove the \\Deleted messages among these UIDs. State: selected. RFC 4315 §2.1."""
    cursor.sp()
    ranges = cursor.sequence_set()
    cursor.end()
    await _expunge(session, tag, resolve(session, ranges, by_uid=True))


# --- COPY / MOVE -------------------------------------------------------------------------------

def _uid_set(uids) -> str:
    return ",".join(str(uid) for uid in uids)


async def _transfer(session, tag: str, cursor: Cursor, by_uid: bool, move: bool):
    cursor.sp()
    ranges = cursor.sequence_set()
    cursor.sp()
    target = mailbox_name(session, cursor)
    cursor.end()
    if move:
        _read_only(session)
    uids = resolve(session, ranges, by_uid)
    verb = "MOVE" if move else "COPY"
    if not uids:
        await session.ok(tag, f"{verb} completed: nothing matched")
        return
    call = move_messages if move else copy_messages
    try:
        pairs = await session.host.run_blocking(store_errors, call, session.account.pk, session.folder.pk, uids,
                                                target)
    except ImapNo as error:
        if error.code == "NONEXISTENT":
            error.code = "TRYCREATE"  # RFC 9051 §6.4.7: the client may create it and retry
        raise
    from mailcore.store.folders import get_folder

    destination = await session.host.run_blocking(store_errors, get_folder, session.account.pk, target)
    code = f"COPYUID {destination.uidvalidity} {_uid_set(p[0] for p in pairs)} {_uid_set(p[1] for p in pairs)}"
    if move:
        # RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
        await session.untagged(f"OK [{code}] Moved")
        await sync(session)  # the EXPUNGEs; into the folder itself, EXISTS and RECENT too
        await session.ok(tag, "MOVE completed")
    else:
        if destination.pk == session.folder.pk:
            await sync(session)  # RFC 3501 §6.4.7: the copies are new (and recent) here
        await session.ok(tag, "COPY completed", code=code)


@command("COPY", {SELECTED})
async def cmd_copy(session, tag: str, cursor: Cursor):
    """Copy messages to a folder. State: selected. RFC 9051 §6.4.7."""
    await _transfer(session, tag, cursor, by_uid=False, move=False)


@command("UID COPY", {SELECTED})
async def cmd_uid_copy(session, tag: str, cursor: Cursor):
    """Copy messages by UID. State: selected. RFC 9051 §6.4.9."""
    await _transfer(session, tag, cursor, by_uid=True, move=False)


@command("MOVE", {SELECTED})
async def cmd_move(session, tag: str, cursor: Cursor):
    """Move messages to a folder. State: selected. RFC 6851 §3.1."""
    await _transfer(session, tag, cursor, by_uid=False, move=True)


@command("UID MOVE", {SELECTED})
async def cmd_uid_move(session, tag: str, cursor: Cursor):
    """Move messages by UID. State: selected. RFC 6851 §3.2."""
    await _transfer(session, tag, cursor, by_uid=True, move=True)


@command("CHECK", {SELECTED})
async def cmd_check(session, tag: str, cursor: Cursor):
    """A checkpoint; every change is already durable, so only updates. State: selected. RFC 3501 §6.4.1."""
    cursor.end()
    from .notify import poll_updates

    await poll_updates(session)  # updates.sync, or what NOTIFY asked for
    await session.ok(tag, "CHECK completed")
