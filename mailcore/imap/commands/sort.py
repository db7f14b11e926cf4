"""SORT and UID SORT. State: selected. RFC 5256 §3 (the SORT extension).

    tag SORT (REVERSE DATE SUBJECT) UTF-8 SINCE 1-Nov-2026   →   * SORT 5 3 4

The search keys are SEARCH's (search.read_criteria); the store orders the matches
(mailcore/store/search/sorting.py): base subjects (§2.1), first addresses (§3) and, for
SORT=DISPLAY's DISPLAYFROM and DISPLAYTO (RFC 5957 §4), display names are kept per
message at append, compared with i;ascii-casemap.
"""
from mailcore.store.search.sorting import CRITERIA, sort_uids
from mailcore.store.search.text import base_subject  # noqa: F401  (THREAD's subjects, tests)

from ..errors import ImapBad
from ..parser import Cursor
from ..server import SELECTED, command
from .search import read_charset, read_criteria

MAX_CRITERIA = 16


def read_order(cursor: Cursor) -> list[tuple[str, bool]]:
    """The parenthesized sort criteria: [(criterion, reversed)] (§3's sort-criterion list)."""
    cursor.expect(b"(", "'(' and sort criteria")
    order = []
    while True:
        reverse = False
        name = cursor.atom("a sort criterion").upper()
        if name == "REVERSE":
            reverse = True
            cursor.sp()
            name = cursor.atom("a sort criterion").upper()
        if name not in CRITERIA:
            raise ImapBad(f"Unknown sort criterion {name}")
        order.append((name, reverse))
        if len(order) > MAX_CRITERIA:
            raise ImapBad("Too many sort criteria")
        if cursor.take(b")"):
            return order
        cursor.sp()


def _sort(session, order: list[tuple[str, bool]], cursor: Cursor) -> list[int]:
    """Blocking: the UIDs of the matching messages in the order the criteria give."""
    criteria, _uses_modseq = read_criteria(session, cursor)
    return sort_uids(session.folder.pk, session.account.pk, criteria, order)


async def _sort_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    order = read_order(cursor)
    cursor.sp()
    read_charset(cursor)
    uids = await session.host.run_blocking(_sort, session, order, cursor)
    if by_uid:
        numbers = [uid for uid in uids if session.position(uid) is not None]
    else:
        numbers = [position for position in map(session.position, uids) if position is not None]
    await session.untagged("SORT" + "".join(f" {n}" for n in numbers))
    await session.ok(tag, f"{'UID ' if by_uid else ''}SORT completed")


@command("SORT", {SELECTED})
async def cmd_sort(session, tag: str, cursor: Cursor):
    """Search, then order; answers sequence numbers. State: selected. RFC 5256 §3."""
    await _sort_command(session, tag, cursor, by_uid=False)


@command("UID SORT", {SELECTED})
async def cmd_uid_sort(session, tag: str, cursor: Cursor):
    """Search, then order; answers UIDs. State: selected. RFC 5256 §3."""
    await _sort_command(session, tag, cursor, by_uid=True)
