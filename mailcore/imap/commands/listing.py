"""LIST and LSUB: the folder hierarchy. RFC 9051 §6.3.9, RFC 3501 §6.3.8-9, RFC 6154
(special-use attributes), RFC 3348 (\\HasChildren / \\HasNoChildren)."""
import contextlib
import re

from mailcore.store.models import DELIMITER, INBOX, Folder

from ..parser import Cursor
from ..server import AUTHED, command
from .mailbox import mailbox_name, wire_name


def pattern_regex(reference: str, pattern: str) -> re.Pattern:
    """RFC 9051 §6.3.9: "*" matches anything, "%" anything but the hierarchy delimiter.

    INBOX is case-insensitive (RFC 9051 §5.1), so a pattern starting with any case of
    "inbox" is matched as starting with "INBOX".
    """
    full = reference + pattern
    if full[:len(INBOX)].upper() == INBOX and full[len(INBOX):len(INBOX) + 1] in ("", DELIMITER, "*", "%"):
        full = INBOX + full[len(INBOX):]
    parts = []
    for char in full:
        if char == "*":
            parts.append(".*")
        elif char == "%":
            parts.append(f"[^{re.escape(DELIMITER)}]*")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def _folders(account_id: int, subscribed_only: bool):
    folders = Folder.objects.filter(account_id=account_id).order_by("name")
    names = set(Folder.objects.filter(account_id=account_id).values_list("name", flat=True))
    rows = []
    for folder in folders:
        if subscribed_only and not folder.subscribed:
            continue
        children = any(other.startswith(folder.name + DELIMITER) for other in names)
        attributes = ["\\HasChildren" if children else "\\HasNoChildren"]
        if folder.special_use:
            attributes.append(folder.special_use)
        rows.append((folder.name, attributes))
    return rows


async def _list(session, tag, cursor: Cursor, verb: str):
    cursor.sp()
    reference = mailbox_name(session, cursor)
    cursor.sp()
    pattern = cursor.list_mailbox().decode("utf-8", "replace")
    cursor.end()
    if "UTF8=ACCEPT" not in session.enabled:
        from .. import utf7

        with contextlib.suppress(utf7.InvalidMailboxName):  # odd patterns are matched as given
            pattern = utf7.decode(pattern)
    if pattern == "":
        # RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
        await session.untagged(f'{verb} (\\Noselect) "{DELIMITER}" ""')
        await session.ok(tag, f"{verb} completed")
        return
    regex = pattern_regex(reference, pattern)
    rows = await session.host.run_blocking(_folders, session.account.pk, verb == "LSUB")
    for name, attributes in rows:
        if regex.match(name):
            line = f'{verb} ({" ".join(attributes)}) "{DELIMITER}" '.encode() + wire_name(session, name)
            await session.untagged(line)
    await session.ok(tag, f"{verb} completed")


@command("LIST", AUTHED)
async def cmd_list(session, tag: str, cursor: Cursor):
    """List folders matching a pattern. State: authenticated or selected. RFC 9051 §6.3.9."""
    await _list(session, tag, cursor, "LIST")


@command("LSUB", AUTHED)
async def cmd_lsub(session, tag: str, cursor: Cursor):
    """List subscribed folders. State: authenticated or selected. RFC 3501 §6.3.9."""
    await _list(session, tag, cursor, "LSUB")
