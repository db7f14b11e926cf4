"""SORT and UID SORT. State: selected. RFC 5256 §3 (the SORT extension).

    tag SORT (REVERSE DATE SUBJECT) UTF-8 SINCE 1-Nov-2026   →   * SORT 5 3 4
    tag SORT RETURN (MIN COUNT) (DATE) UTF-8 ALL   →   * ESEARCH (TAG "tag") MIN 5 COUNT 3

With RETURN (ESORT, RFC 5267 §3) the answer is an ESEARCH response (esearch.py).

The search keys are SEARCH's (search.read_criteria); the store orders the matches
(mailcore/store/search/sorting.py): base subjects (§2.1), first addresses (§3) and, for
SORT=DISPLAY's DISPLAYFROM and DISPLAYTO (RFC 5957 §4), display names are kept per
message at append, compared with i;ascii-casemap.
"""
from mailcore.store.search.criteria import search_uids
from mailcore.store.search.sorting import CRITERIA, sort_uids
from mailcore.store.search.text import base_subject  # noqa: F401  (THREAD's subjects, tests)

from ..errors import ImapBad
from ..parser import Cursor
from ..recent import bind_recent
from ..searchcontext import refuse_tag_reuse
from ..server import SELECTED, command
from .esearch import answer, read_return_options, saving
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


def _sort(session, order: list[tuple[str, bool]], cursor: Cursor) -> tuple[tuple, list[int], dict[int, int] | None]:
    """Blocking: the criteria (live, see search.read_criteria), the UIDs of the matching
    messages in the order the criteria give, and their MODSEQs when the search used MODSEQ
    (for ESORT, RFC 4731 §3.2)."""
    criteria, uses_modseq = read_criteria(session, cursor, live=True)
    bound = bind_recent(session, criteria)
    uids = sort_uids(session.folder.pk, session.account.pk, bound, order)
    modseqs = dict(search_uids(session.folder.pk, session.account.pk, bound)) if uses_modseq else None
    return criteria, uids, modseqs


async def _sort_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    options = read_return_options(cursor)  # RFC 5267 §3: ESORT
    if options is not None and options.update:
        refuse_tag_reuse(session, tag)
    with saving(session, options):
        order = read_order(cursor)
        cursor.sp()
        read_charset(cursor)
        criteria, uids, modseqs = await session.host.run_blocking(_sort, session, order, cursor)
    uids = [uid for uid in uids if session.position(uid) is not None]
    if options is not None:
        # RFC 5267 §3: the results in an ESEARCH response, in the requested order.
        await answer(session, tag, by_uid, options, uids, modseqs, live=(criteria, order))
    else:
        numbers = uids if by_uid else [session.position(uid) for uid in uids]
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
