"""LIST and LSUB: the folder hierarchy. RFC 9051 §6.3.9, RFC 3501 §6.3.8-9, RFC 5258
(LIST-EXTENDED: selection and return options, \\NonExistent, CHILDINFO), RFC 6154
(special-use attributes), RFC 3348 (\\HasChildren / \\HasNoChildren), RFC 5819
(LIST-STATUS).

The names come from one store read (subscriptions.folder_tree); which ones a command
shows, and with what attributes, is decided here.
"""
import contextlib
import re

from mailcore.store.folders import DELIMITER, INBOX
from mailcore.store.subscriptions import folder_tree

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
    """One pattern, or several in parentheses (RFC 5258 §3)."""
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


def _ancestors(name: str):
    """"a/b/c" → "a", "a/b"."""
    levels = name.split(DELIMITER)
    return (DELIMITER.join(levels[:depth]) for depth in range(1, len(levels)))


def _matches(regexes, name: str) -> bool:
    return any(regex.match(name) for regex in regexes)


def list_lines(tree, regexes, selection: dict, returns: dict) -> list[tuple[str, list[str], list[str]]]:
    """(name, attributes, CHILDINFO items) for each name LIST returns, in name order.

    RFC 5258 §3: the selection options (SUBSCRIBED, SPECIAL-USE) are criteria a name
    must meet; a subscribed name whose folder is gone is \\NonExistent (§3.4). With
    RECURSIVEMATCH a name that matches a pattern but not the criteria is returned too
    when a descendant meets them and is not itself returned, with
    CHILDINFO (the criteria) (§3.5). Dovecot adds CHILDINFO to a returned name whenever a
    descendant meets the criteria; so do we.
    """
    criteria = [option for option in ("SUBSCRIBED", "SPECIAL-USE") if option in selection]

    def meets(name: str) -> bool:
        return all(
            (name in tree.subscribed) if option == "SUBSCRIBED" else bool(tree.folders.get(name))
            for option in criteria
        )

    # Subscribed names may name no folder; only SUBSCRIBED selection shows those.
    universe = set(tree.folders)
    if "SUBSCRIBED" in criteria:
        universe |= tree.subscribed
    selected = {name for name in universe if meets(name) and _matches(regexes, name)}
    childinfo = {}
    if "RECURSIVEMATCH" in selection:
        for name in (name for name in universe if meets(name)):
            for ancestor in _ancestors(name):  # ancestor → has a descendant not returned
                childinfo[ancestor] = childinfo.get(ancestor, False) or name not in selected
    parents = {ancestor for name in tree.folders for ancestor in _ancestors(name)}
    shown = set(selected)
    shown |= {name for name, unreturned_child in childinfo.items() if unreturned_child and _matches(regexes, name)}
    lines = []
    for name in sorted(shown):
        attributes = []
        if name in tree.folders:
            attributes.append("\\HasChildren" if name in parents else "\\HasNoChildren")  # RFC 3348
            if tree.folders[name]:
                attributes.append(tree.folders[name])
        else:
            attributes.append("\\NonExistent")  # RFC 5258 §3.4: implies \Noselect
        if name in tree.subscribed and ("SUBSCRIBED" in selection or "SUBSCRIBED" in returns):
            attributes.append("\\Subscribed")
        lines.append((name, attributes, criteria if name in childinfo else []))
    return lines


def lsub_lines(tree, regexes, patterns: list[str]) -> list[tuple[str, list[str]]]:
    """(name, attributes) for LSUB: the subscribed names that match, folder or not.

    RFC 3501 §6.3.9: when "%" stops short of a subscribed "foo/bar" whose parent "foo"
    is not subscribed, "foo" is returned flagged \\Noselect.
    """
    lines = {name: [] for name in tree.subscribed if _matches(regexes, name)}
    cut_short = [regex for regex, pattern in zip(regexes, patterns, strict=True) if "%" in pattern]
    for name in tree.subscribed:
        for ancestor in _ancestors(name):
            if ancestor in tree.subscribed or ancestor in lines:
                continue
            if any(regex.match(ancestor) and not regex.match(name) for regex in cut_short):
                lines[ancestor] = ["\\Noselect"]
    return sorted(lines.items())


async def _list(session, tag, cursor: Cursor, verb: str):
    """LIST, with the extended syntax of RFC 5258 and LIST-STATUS (RFC 5819); LSUB."""
    cursor.sp()
    selection = {}
    if verb == "LIST" and cursor.peek() == ord("("):
        selection = _options(cursor, SELECTION_OPTIONS, "selection option")
        cursor.sp()
        # RFC 5258 §3: RECURSIVEMATCH alone, or with only REMOTE, selects nothing: BAD.
        if "RECURSIVEMATCH" in selection and not set(selection) - {"RECURSIVEMATCH", "REMOTE"}:
            raise ImapBad("RECURSIVEMATCH needs another selection option")
    reference = mailbox_name(session, cursor)
    cursor.sp()
    extended = bool(selection) or cursor.peek() == ord("(")
    patterns = _patterns(session, cursor)
    returns = {}
    if verb == "LIST" and cursor.take(b" RETURN "):
        returns = _options(cursor, RETURN_OPTIONS, "return option")
        extended = True
    cursor.end()
    if patterns == [""] and not extended:
        # RFC 9051 §6.3.9: an empty pattern asks for the delimiter and the root; in the
        # extended syntax "" is a pattern like any other (imaptest listext, Dovecot).
        await session.untagged(f'{verb} (\\Noselect) "{DELIMITER}" ""')
        await session.ok(tag, f"{verb} completed")
        return
    patterns = [pattern for pattern in patterns if pattern]
    regexes = [pattern_regex(reference, pattern) for pattern in patterns]
    tree = await session.host.run_blocking(folder_tree, session.account.pk)
    if verb == "LSUB":
        for name, attributes in lsub_lines(tree, regexes, patterns):
            await session.untagged(f'LSUB ({" ".join(attributes)}) "{DELIMITER}" '.encode() + wire_name(session, name))
        await session.ok(tag, "LSUB completed")
        return
    for name, attributes, childinfo in list_lines(tree, regexes, selection, returns):
        line = f'LIST ({" ".join(attributes)}) "{DELIMITER}" '.encode() + wire_name(session, name)
        if childinfo:
            items = " ".join(f'"{item}"' for item in childinfo)
            line += f" (CHILDINFO ({items}))".encode()  # RFC 5258 §3.5, spelled as Dovecot does
        await session.untagged(line)
        if "STATUS" in returns and name in tree.folders:  # RFC 5819 §1: selectable names only
            await _status_line(session, name, returns["STATUS"])
    await session.ok(tag, "LIST completed")


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
