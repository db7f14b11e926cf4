"""LIST and LSUB: the folder hierarchy. RFC 9051 §6.3.9, RFC 3501 §6.3.8-9, RFC 6154
(special-use attributes), RFC 3348 (\\HasChildren / \\HasNoChildren)."""
import bisect
import contextlib
import re

from mailcore.store.models import DELIMITER, INBOX, Folder

from ..errors import ImapBad
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


def _folders(account_id: int):
    """(name, attributes, subscribed, special use) of every folder, in name order."""
    folders = list(Folder.objects.filter(account_id=account_id).order_by("name"))
    names = sorted(folder.name for folder in folders)
    rows = []
    for folder in folders:
        # Sorted names: a child, if any, sorts right after its parent's prefix.
        index = bisect.bisect_right(names, folder.name + DELIMITER)
        children = index < len(names) and names[index].startswith(folder.name + DELIMITER)
        attributes = ["\\HasChildren" if children else "\\HasNoChildren"]
        if folder.special_use:
            attributes.append(folder.special_use)
        rows.append((folder.name, attributes, folder.subscribed, folder.special_use))
    return rows


SELECTION_OPTIONS = {"SUBSCRIBED", "REMOTE", "RECURSIVEMATCH", "SPECIAL-USE"}
RETURN_OPTIONS = {"SUBSCRIBED", "CHILDREN", "SPECIAL-USE", "STATUS"}


def _options(cursor: Cursor, allowed: set, what: str) -> dict:
    """A parenthesised list of option names; STATUS takes its own list (RFC 5819)."""
    options = {}

    def option():
        name = cursor.atom(what).upper()
        if name not in allowed:
            raise ImapBad(f"Unknown {what} {name}")
        if name == "STATUS":
            cursor.sp()
            options[name] = [item.upper() for item in cursor.paren_list(lambda: cursor.atom("a status item"))]
        else:
            options[name] = True
        return name

    cursor.paren_list(option)
    return options


def _patterns(session, cursor: Cursor) -> list[str]:
    if cursor.peek() == ord("("):
        raw = cursor.paren_list(cursor.list_mailbox)
        if not raw:
            raise ImapBad("At least one pattern is required")
    else:
        raw = [cursor.list_mailbox()]
    patterns = []
    for item in raw:
        pattern = item.decode("utf-8", "replace")
        if "UTF8=ACCEPT" not in session.enabled:
            from .. import utf7

            with contextlib.suppress(utf7.InvalidMailboxName):  # odd patterns are matched as given
                pattern = utf7.decode(pattern)
        patterns.append(pattern)
    return patterns


async def _list(session, tag, cursor: Cursor, verb: str):
    """LIST, with the extended syntax of RFC 5258 and LIST-STATUS (RFC 5819)."""
    cursor.sp()
    selection = {}
    if verb == "LIST" and cursor.peek() == ord("("):
        selection = _options(cursor, SELECTION_OPTIONS, "selection option")
        cursor.sp()
    reference = mailbox_name(session, cursor)
    cursor.sp()
    patterns = _patterns(session, cursor)
    returns = {}
    if verb == "LIST" and cursor.take(b" RETURN "):
        returns = _options(cursor, RETURN_OPTIONS, "return option")
    cursor.end()
    if patterns == [""]:
        # RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root.
        await session.untagged(f'{verb} (\\Noselect) "{DELIMITER}" ""')
        await session.ok(tag, f"{verb} completed")
        return
    regexes = [pattern_regex(reference, pattern) for pattern in patterns if pattern]
    subscribed_only = verb == "LSUB" or "SUBSCRIBED" in selection
    rows = await session.host.run_blocking(_folders, session.account.pk)
    for name, attributes, subscribed, special_use in rows:
        if not any(regex.match(name) for regex in regexes):
            continue
        if (subscribed_only and not subscribed) or ("SPECIAL-USE" in selection and not special_use):
            continue
        shown = list(attributes)
        if subscribed and verb == "LIST" and ("SUBSCRIBED" in selection or "SUBSCRIBED" in returns):
            shown.append("\\Subscribed")
        line = f'{verb} ({" ".join(shown)}) "{DELIMITER}" '.encode() + wire_name(session, name)
        await session.untagged(line)
        if "STATUS" in returns:
            await _status_line(session, name, returns["STATUS"])
    await session.ok(tag, f"{verb} completed")


async def _status_line(session, name: str, items: list[str]):
    from .mailbox import STATUS_ITEMS, _status

    wanted = [item for item in items if item in STATUS_ITEMS]
    values = await session.host.run_blocking(_status, session.account.pk, name, wanted)
    pairs = " ".join(f"{item} {value}" for item, value in values.items())
    await session.untagged(b"STATUS " + wire_name(session, name) + f" ({pairs})".encode())


@command("LIST", AUTHED)
async def cmd_list(session, tag: str, cursor: Cursor):
    """List folders matching a pattern. State: authenticated or selected. RFC 9051 §6.3.9."""
    await _list(session, tag, cursor, "LIST")


@command("LSUB", AUTHED)
async def cmd_lsub(session, tag: str, cursor: Cursor):
    """List subscribed folders. State: authenticated or selected. RFC 3501 §6.3.9."""
    await _list(session, tag, cursor, "LSUB")
