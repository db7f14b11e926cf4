"""APPEND. State: authenticated or selected. RFC 9051 §6.3.12, RFC 4315 (APPENDUID),
RFC 7888 (LITERAL+). The message goes through the one append function of the store."""
from mailcore.store.append import append

from ..errors import ImapBad, ImapNo
from ..parser import Cursor
from ..server import AUTHED, command
from .mailbox import mailbox_name, store_errors
from .updates import sync


@command("APPEND", AUTHED)
async def cmd_append(session, tag: str, cursor: Cursor):
    """Add a message to a folder. State: authenticated or selected. RFC 9051 §6.3.12."""
    cursor.sp()
    name = mailbox_name(session, cursor)
    cursor.sp()
    flags = []
    if cursor.peek() == ord("("):
        flags = cursor.flag_list()
        cursor.sp()
    internal_date = None
    if cursor.peek() == ord('"'):
        internal_date = cursor.date_time()
        cursor.sp()
    message = cursor.string()
    cursor.end()
    if not message:
        raise ImapBad("An empty message cannot be appended")
    if any(flag.lower() == "\\recent" for flag in flags):
        raise ImapBad("\\Recent cannot be set")
    try:
        appended = await session.host.run_blocking(
            store_errors, append, session.account.pk, name, message, flags, internal_date)
    except ImapNo as error:
        if error.code == "NONEXISTENT":
            error.code = "TRYCREATE"  # RFC 9051 §6.3.12
        raise
    if session.folder is not None and session.folder.pk == appended.folder_id:
        await sync(session)
    await session.ok(tag, "APPEND completed", code=f"APPENDUID {appended.uidvalidity} {appended.uid}")
