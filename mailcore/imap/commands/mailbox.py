"""Mailbox commands: SELECT, EXAMINE, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE,
STATUS, CLOSE, UNSELECT. RFC 9051 §6.3, §6.4.2; RFC 3691 (UNSELECT).

Folder names arrive in modified UTF-7 (RFC 3501 §5.1.3) unless the client enabled
UTF8=ACCEPT; the store keeps them as Unicode with "/" between levels.
"""
from mailcore.store import folders as store_folders
from mailcore.store import subscriptions
from mailcore.store.errors import (
    FolderExists,
    FolderInUse,
    FolderNotFound,
    InvalidFolderName,
    MessageTooLarge,
    QuotaExceeded,
    StoreError,
)
from mailcore.store.messages import expunge
from mailcore.store.recent import claim_recent
from mailcore.store.snapshot import folder_uids, keywords_at
from mailcore.store.status import first_unseen_uid, folder_status

from .. import utf7
from ..errors import ImapBad, ImapNo
from ..parser import Cursor
from ..responses import mailbox_string, paren
from ..server import AUTHED, SELECTED, command
from .updates import flags_lines, resync, uid_ranges

STATUS_ITEMS = ("MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "RECENT", "HIGHESTMODSEQ")


def mailbox_name(session, cursor: Cursor) -> str:
    """Read a mailbox argument and return its Unicode name.

    A well-formed astring that is not valid modified UTF-7 (or UTF-8) is a name no
    mailbox can have, not a syntax error: NO [CANNOT], as Dovecot answers, not BAD.
    """
    raw = cursor.astring()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImapNo("Mailbox names are UTF-8 or modified UTF-7", code="CANNOT") from error
    if "UTF8=ACCEPT" in session.enabled:
        return text
    try:
        return utf7.decode(text)
    except utf7.InvalidMailboxName as error:
        raise ImapNo(f"Mailbox name is not valid modified UTF-7: {error}", code="CANNOT") from error


def wire_name(session, name: str) -> bytes:
    return mailbox_string(name if "UTF8=ACCEPT" in session.enabled else utf7.encode(name))


def store_errors(call, *args):
    """Run a store function; turn its refusals into NO with the RFC 5530 codes."""
    try:
        return call(*args)
    except FolderNotFound as error:
        raise ImapNo(_text(error), code="NONEXISTENT") from error
    except FolderExists as error:
        raise ImapNo(_text(error), code="ALREADYEXISTS") from error
    except FolderInUse as error:
        raise ImapNo(_text(error), code="INUSE") from error
    except InvalidFolderName as error:
        raise ImapNo(_text(error), code="CANNOT") from error
    except QuotaExceeded as error:
        raise ImapNo(_text(error), code="OVERQUOTA") from error
    except MessageTooLarge as error:
        raise ImapNo(_text(error), code="TOOBIG") from error
    except StoreError as error:
        raise ImapNo(_text(error)) from error


def _text(error) -> str:
    return " ".join(error.messages) if hasattr(error, "messages") else str(error)


# --- SELECT / EXAMINE ----------------------------------------------------------------------

def _open(account_id: int, name: str, readonly: bool):
    # RFC 3501 §2.3.2: SELECT claims the new mail as recent for this session; EXAMINE only
    # looks. Claimed before the folder is read, so the UID list holds every claimed UID.
    recent = claim_recent(store_folders.folder_id(account_id, name), claim=not readonly)
    folder = store_folders.get_folder(account_id, name)
    uids = folder_uids(folder.pk, folder.highestmodseq)  # shared by sessions of this process
    return folder, uids, first_unseen_uid(folder.pk), recent, keywords_at(folder.pk, folder.highestmodseq)


async def _select(session, tag: str, cursor: Cursor, readonly: bool):
    cursor.sp()
    name = mailbox_name(session, cursor)
    qresync = _select_params(session, cursor) if cursor.take(b" (") else None
    cursor.end()
    if session.folder is not None:
        # RFC 7162 §3.2.11 (RFC 9051 §7.1): say the old folder is closed before anything
        # of the new one, so a client tells the two folders' updates apart. Sent always,
        # as Dovecot does: a client that doesn't know CLOSED ignores the code.
        await session.untagged("OK [CLOSED] Previous mailbox closed")
    session.close_folder()  # RFC 9051 §6.3.2: a failed SELECT leaves no folder selected
    folder, uids, first_unseen, recent, keywords = await session.host.run_blocking(
        store_errors, _open, session.account.pk, name, readonly)
    session.open_folder(folder, uids, readonly, recent, keywords)
    session.synced_modseq = folder.highestmodseq  # see updates.sync
    await session.untagged(f"{len(uids)} EXISTS")
    await session.untagged(f"{session.recent_reported} RECENT")
    for line in flags_lines(session):
        await session.untagged(line)
    if first_unseen is not None:
        await session.untagged(f"OK [UNSEEN {session.position(first_unseen)}] First unseen")
    await session.untagged(f"OK [UIDVALIDITY {folder.uidvalidity}] UIDs valid")
    await session.untagged(f"OK [UIDNEXT {folder.uidnext}] Predicted next UID")
    await session.untagged(f"OK [HIGHESTMODSEQ {folder.highestmodseq}] Highest")
    if qresync is not None and qresync[0] == folder.uidvalidity:
        # RFC 7162 §3.2.5.1: a different UIDVALIDITY means the client's cache is void:
        # nothing more is said, and it fetches afresh.
        await resync(session, qresync[1], qresync[2])
    verb = "EXAMINE" if readonly else "SELECT"
    await session.ok(tag, f"{verb} completed", code="READ-ONLY" if readonly else "READ-WRITE")


def _select_params(session, cursor: Cursor):
    """RFC 7162 §7 select-params: "(" CONDSTORE / QRESYNC (...) [SP ...] ")". Returns the
    QRESYNC (uidvalidity, modseq, known UID ranges or None), or None without it."""
    qresync = None
    while True:
        if cursor.take(b"CONDSTORE"):  # RFC 7162 §3.1.8: SELECT (CONDSTORE)
            session.enabled.add("CONDSTORE")
        elif cursor.take(b"QRESYNC "):
            if "QRESYNC" not in session.enabled:
                # RFC 7162 §3.2.5: the parameter without ENABLE QRESYNC is BAD.
                raise ImapBad("QRESYNC is not enabled; send ENABLE QRESYNC first")
            qresync = _qresync_param(cursor)
        else:
            raise ImapBad(f"Unknown SELECT parameter {cursor.where()}")
        if cursor.take(b")"):
            return qresync
        cursor.sp()


def _qresync_param(cursor: Cursor):
    """ "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")" """
    cursor.expect(b"(", "'('")
    uidvalidity = cursor.number(nonzero=True)
    cursor.sp()
    modseq = cursor.modseq()
    known = None
    if cursor.take(b" ") and cursor.peek() != ord("("):
        ranges = cursor.sequence_set()
        if any(r.start is None or r.end is None for r in ranges):
            raise ImapBad("QRESYNC known-uids may not hold *")  # RFC 7162 §7 known-uids
        known = uid_ranges(ranges)
        cursor.take(b" ")
    if cursor.peek() == ord("("):
        # RFC 7162 §3.2.5.2: seq-match-data only helps a server that has forgotten
        # expunges; the Expunged history is whole (store/vanished.py), so it is read for
        # its syntax and not needed.
        cursor.expect(b"(")
        cursor.sequence_set()
        cursor.sp()
        cursor.sequence_set()
        cursor.expect(b")", "')'")
    cursor.expect(b")", "')'")
    return uidvalidity, modseq, known


@command("SELECT", AUTHED)
async def cmd_select(session, tag: str, cursor: Cursor):
    """Open a folder read-write. State: authenticated or selected. RFC 9051 §6.3.2."""
    await _select(session, tag, cursor, readonly=False)


@command("EXAMINE", AUTHED)
async def cmd_examine(session, tag: str, cursor: Cursor):
    """Open a folder read-only. State: authenticated or selected. RFC 9051 §6.3.3."""
    await _select(session, tag, cursor, readonly=True)


# --- CREATE / DELETE / RENAME / (UN)SUBSCRIBE ---------------------------------------------

@command("CREATE", AUTHED)
async def cmd_create(session, tag: str, cursor: Cursor):
    """Create a folder (and missing parents). State: authenticated or selected. RFC 9051 §6.3.4."""
    cursor.sp()
    name = mailbox_name(session, cursor).rstrip("/")  # a trailing delimiter only hints at children
    cursor.end()
    await session.host.run_blocking(store_errors, store_folders.create_folder, session.account.pk, name, "", False)
    await session.ok(tag, "CREATE completed")


@command("DELETE", AUTHED)
async def cmd_delete(session, tag: str, cursor: Cursor):
    """Delete a folder and its mail. State: authenticated or selected. RFC 9051 §6.3.5."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.end()
    await session.host.run_blocking(store_errors, store_folders.delete_folder, session.account.pk, name)
    if session.folder is not None and session.folder.name == store_folders.canonical_name(name):
        session.close_folder()
    await session.ok(tag, "DELETE completed")


@command("RENAME", AUTHED)
async def cmd_rename(session, tag: str, cursor: Cursor):
    """Rename a folder with its children. State: authenticated or selected. RFC 9051 §6.3.6."""
    cursor.sp()
    old = mailbox_name(session, cursor)
    cursor.sp()
    new = mailbox_name(session, cursor)
    cursor.end()
    await session.host.run_blocking(store_errors, store_folders.rename_folder, session.account.pk, old, new)
    await session.ok(tag, "RENAME completed")


@command("SUBSCRIBE", AUTHED)
async def cmd_subscribe(session, tag: str, cursor: Cursor):
    """Subscribe to a folder. State: authenticated or selected. RFC 9051 §6.3.7.

    The folder must exist (NO [NONEXISTENT] otherwise), as on Dovecot.
    """
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.end()
    await session.host.run_blocking(store_errors, subscriptions.subscribe, session.account.pk, name)
    await session.ok(tag, "SUBSCRIBE completed")


@command("UNSUBSCRIBE", AUTHED)
async def cmd_unsubscribe(session, tag: str, cursor: Cursor):
    """Unsubscribe from a name, whether or not its folder still exists. State:
    authenticated or selected. RFC 9051 §6.3.8."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.end()
    await session.host.run_blocking(store_errors, subscriptions.unsubscribe, session.account.pk, name)
    await session.ok(tag, "UNSUBSCRIBE completed")


# --- STATUS ---------------------------------------------------------------------------------

def _status(account_id: int, name: str, items: list[str]) -> dict:
    """The STATUS items asked for (upper-case names), from the store's one status read;
    LIST-STATUS (listing.py) uses it too."""
    status = folder_status(account_id, name, with_size="SIZE" in items, with_recent="RECENT" in items)
    values = {"MESSAGES": status.messages, "UIDNEXT": status.uidnext, "UIDVALIDITY": status.uidvalidity,
              "UNSEEN": status.unseen, "DELETED": status.deleted, "SIZE": status.size, "RECENT": status.recent,
              "HIGHESTMODSEQ": status.highestmodseq}
    return {item: values[item] for item in items}


@command("STATUS", AUTHED)
async def cmd_status(session, tag: str, cursor: Cursor):
    """Counts of a folder without selecting it. State: authenticated or selected. RFC 9051 §6.3.11."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.sp()
    items = [item.upper() for item in cursor.paren_list(lambda: cursor.atom("a status item"))]
    cursor.end()
    unknown = [item for item in items if item not in STATUS_ITEMS]
    if unknown or not items:
        raise ImapBad(f"Unknown status item {unknown[0]}" if unknown else "STATUS needs at least one item")
    values = await session.host.run_blocking(store_errors, _status, session.account.pk, name, items)
    pairs = b" ".join(f"{item} {value}".encode() for item, value in values.items())
    await session.untagged(b"STATUS " + wire_name(session, name) + b" " + paren([pairs]))
    await session.ok(tag, "STATUS completed")


# --- CLOSE / UNSELECT -----------------------------------------------------------------------

@command("CLOSE", {SELECTED})
async def cmd_close(session, tag: str, cursor: Cursor):
    """Expunge silently (unless read-only) and close the folder. State: selected. RFC 9051 §6.4.1."""
    cursor.end()
    if not session.readonly:
        await session.host.run_blocking(expunge, session.account.pk, session.folder.pk)
    session.close_folder()
    await session.ok(tag, "CLOSE completed")


@command("UNSELECT", {SELECTED})
async def cmd_unselect(session, tag: str, cursor: Cursor):
    """Close the folder without expunging. State: selected. RFC 3691 §2, RFC 9051 §6.4.2."""
    cursor.end()
    session.close_folder()
    await session.ok(tag, "UNSELECT completed")

