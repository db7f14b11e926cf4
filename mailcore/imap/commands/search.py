"""SEARCH and UID SEARCH. State: selected. RFC 9051 §6.4.4, RFC 3501 §6.4.4.

The search keys are parsed here into plain criteria (tuples, see
mailcore/store/search/criteria.py), which the store turns into one query over the
folder's messages, so OR and NOT compose with every key. Sequence sets become UID
ranges here, where the session's message numbers are known. Text keys are
case-insensitive substring matches (§6.4.4) on the store's folded text.
"""
import bisect

from mailcore.store.search.criteria import search_uids

from ..errors import ImapBad, ImapNo
from ..parser import MAX_NESTING, Cursor
from ..recent import bind_recent
from ..searchcontext import refuse_tag_reuse
from ..server import SELECTED, command
from .condstore import enable_condstore
from .esearch import answer, read_return_options, saving
from .sequence import resolve

CHARSETS = ("UTF-8", "US-ASCII")
FLAG_KEYS = {
    "ANSWERED": ("flag", "answered", True), "UNANSWERED": ("flag", "answered", False),
    "DELETED": ("flag", "deleted", True), "UNDELETED": ("flag", "deleted", False),
    "DRAFT": ("flag", "draft", True), "UNDRAFT": ("flag", "draft", False),
    "FLAGGED": ("flag", "flagged", True), "UNFLAGGED": ("flag", "flagged", False),
    "SEEN": ("flag", "seen", True), "UNSEEN": ("flag", "seen", False),
    "ALL": ("all",),
}
RECENT_KEYS = ("RECENT", "NEW", "OLD")  # \Recent is the session's, not a column: recent.bind_recent
# RFC 9051 §6.4.4: substring keys on the text of one part of the message.
TEXT_KEYS = ("TEXT", "BODY", "SUBJECT", "FROM", "TO", "CC", "BCC")
DATE_KEYS = {"BEFORE": ("date", "before"), "ON": ("date", "on"), "SINCE": ("date", "since"),
             "SENTBEFORE": ("sent", "before"), "SENTON": ("sent", "on"), "SENTSINCE": ("sent", "since")}


def uid_ranges(session, uids: list[int]) -> list[tuple[int, int]]:
    """Sorted UIDs of the session as (low, high) ranges of neighbours in its UID list: no
    other message of the folder lies inside one (later UIDs are all higher)."""
    ranges: list[list[int]] = []
    known = session.uids
    last = -2
    for uid in uids:
        at = bisect.bisect_left(known, uid)
        if ranges and at == last + 1:
            ranges[-1][1] = uid
        else:
            ranges.append([uid, uid])
        last = at
    return [(low, high) for low, high in ranges]


class _Parser:
    def __init__(self, session, cursor: Cursor):
        self.session, self.cursor = session, cursor
        self.uses_modseq = False
        self.uses_recent = False

    def keys(self) -> tuple:
        """One or more keys separated by spaces, ANDed."""
        keys = [self.key(0)]
        while self.cursor.take(b" "):
            keys.append(self.key(0))
        return keys[0] if len(keys) == 1 else ("and", keys)

    def key(self, depth: int) -> tuple:
        if depth > MAX_NESTING:
            raise ImapBad("Search keys nested too deeply")
        cursor = self.cursor
        if cursor.take(b"("):
            keys = [self.key(depth + 1)]
            while cursor.take(b" "):
                keys.append(self.key(depth + 1))
            cursor.expect(b")", "')'")
            return ("and", keys)
        if cursor.peek() is not None and (chr(cursor.peek()).isdigit() or cursor.peek() in b"*$"):
            # RFC 3501 §6.4.4: numbers past the last message match nothing (no BAD), as
            # other servers answer; "*" is the last message (§9 seq-number).
            uids = resolve(self.session, cursor.sequence_set(), by_uid=False, strict=False)
            return ("uids", uid_ranges(self.session, uids))
        name = cursor.atom("a search key").upper()
        if name in FLAG_KEYS:
            return FLAG_KEYS[name]
        if name in RECENT_KEYS:
            self.uses_recent = True
            return ("recent", name)
        if name == "NOT":
            cursor.sp()
            return ("not", self.key(depth + 1))
        if name == "OR":
            cursor.sp()
            left = self.key(depth + 1)
            cursor.sp()
            return ("or", left, self.key(depth + 1))
        cursor.sp()
        return self.argument_key(name)

    def argument_key(self, name: str) -> tuple:
        cursor = self.cursor
        if name in TEXT_KEYS:
            return ("text", name.lower(), cursor.astring().decode("utf-8", "replace"))
        if name in ("KEYWORD", "UNKEYWORD"):
            has = ("keyword", cursor.flag())
            return has if name == "KEYWORD" else ("not", has)
        if name in ("LARGER", "SMALLER"):
            return ("size", name.lower(), cursor.number())
        if name == "UID":
            uids = resolve(self.session, cursor.sequence_set(), by_uid=True)
            return ("uids", uid_ranges(self.session, uids))
        if name == "MODSEQ":  # RFC 7162 §3.1.5 (the optional entry name and type are not used)
            if cursor.peek() == 0x22:
                cursor.quoted()
                cursor.sp()
                cursor.atom("an entry type")
                cursor.sp()
            self.uses_modseq = True
            return ("modseq", cursor.number())
        if name in DATE_KEYS:
            return (*DATE_KEYS[name], cursor.date().date())
        if name == "HEADER":
            field = cursor.astring().decode("ascii", "replace")
            cursor.sp()
            return ("header", field, cursor.astring().decode("utf-8", "replace"))
        raise ImapBad(f"Unknown search key {name}")


def read_criteria(session, cursor: Cursor, live: bool = False) -> tuple[tuple, bool]:
    """The search keys at cursor, which must end the command, as store criteria; and
    whether MODSEQ was among them. SORT (sort.py) and THREAD share this. Live, RECENT,
    NEW and OLD are left as ("recent", key) for bind_recent; sequence sets are always
    UIDs as the command found them (RFC 5267 §4.3)."""
    parser = _Parser(session, cursor)
    criteria = parser.keys()
    cursor.end()
    if parser.uses_recent and not live:
        criteria = bind_recent(session, criteria)
    return criteria, parser.uses_modseq


def read_charset(cursor: Cursor) -> None:
    """A charset name and the space after it (SEARCH's after "CHARSET ", SORT's always):
    UTF-8 or US-ASCII, else NO [BADCHARSET] (RFC 9051 §6.4.4)."""
    name = cursor.astring().decode("ascii", "replace").upper()
    if name not in CHARSETS:
        raise ImapNo("Unsupported charset", code=f"BADCHARSET ({' '.join(CHARSETS)})")
    cursor.sp()


def _search(session, cursor: Cursor) -> tuple[tuple, list[tuple[int, int]], bool]:
    """Blocking: the criteria (live, see read_criteria), the matching (uid, modseq) in UID
    order, and whether the search used MODSEQ."""
    criteria, uses_modseq = read_criteria(session, cursor, live=True)
    return criteria, search_uids(session.folder.pk, session.account.pk, bind_recent(session, criteria)), uses_modseq


async def _search_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    options = read_return_options(cursor)
    if options is not None and options.update:
        refuse_tag_reuse(session, tag)
    with saving(session, options):
        if cursor.take(b"CHARSET "):
            read_charset(cursor)
        criteria, rows, uses_modseq = await session.host.run_blocking(_search, session, cursor)
    if uses_modseq:
        await enable_condstore(session)  # RFC 7162 §3.1: SEARCH MODSEQ enables CONDSTORE
    # Only messages the client knows of: new mail is reported (EXISTS) before it is found.
    rows = [(uid, modseq) for uid, modseq in rows if session.position(uid) is not None]
    if options is not None:
        # RFC 4731 §3.1: with RETURN, one ESEARCH response instead of SEARCH.
        await answer(session, tag, by_uid, options, [uid for uid, _modseq in rows],
                     dict(rows) if uses_modseq else None, live=(criteria, None))
    else:
        numbers = [uid if by_uid else session.position(uid) for uid, _modseq in rows]
        # RFC 7162 §3.1.5: a search with MODSEQ reports the highest MODSEQ of what it found.
        modseq = f" (MODSEQ {max(m for _uid, m in rows)})" if uses_modseq and rows else ""
        await session.untagged("SEARCH" + "".join(f" {n}" for n in numbers) + modseq)
    await session.ok(tag, f"{'UID ' if by_uid else ''}SEARCH completed")


@command("SEARCH", {SELECTED})
async def cmd_search(session, tag: str, cursor: Cursor):
    """Find messages; answers sequence numbers. State: selected. RFC 9051 §6.4.4."""
    await _search_command(session, tag, cursor, by_uid=False)


@command("UID SEARCH", {SELECTED})
async def cmd_uid_search(session, tag: str, cursor: Cursor):
    """Find messages; answers UIDs. State: selected. RFC 9051 §6.4.9."""
    await _search_command(session, tag, cursor, by_uid=True)
