"""Extended search results: SEARCH and SORT RETURN options and the ESEARCH response.

    tag SEARCH RETURN (MIN COUNT) UNSEEN     →   * ESEARCH (TAG "tag") MIN 4 COUNT 2
    tag UID SEARCH RETURN () UNSEEN          →   * ESEARCH (TAG "tag") UID ALL 7:9,12
    tag SORT RETURN (PARTIAL 1:2) (DATE) UTF-8 ALL  →  * ESEARCH (TAG "tag") PARTIAL (1:2 5,3)

RFC 4731 (ESEARCH: MIN, MAX, ALL, COUNT, and MODSEQ with CONDSTORE, §3.2), RFC 5267 §3
(ESORT: the same options for SORT, in sort order), RFC 5267 §4.4 and RFC 9394 (PARTIAL,
also counted from the last result), RFC 5182 (SAVE: the result becomes "$"). UPDATE and
CONTEXT (RFC 5267 §4.2-4.3) are parsed here, with the CANCELUPDATE command; the live
updates are imap/searchcontext.py's.

Results come in as UIDs in the command's order (mailbox order for SEARCH, the requested
order for SORT) and go out as message numbers or UIDs.
"""
import re
from array import array
from contextlib import contextmanager
from dataclasses import dataclass

from ..errors import ImapBad
from ..parser import MAX_NUMBER, Cursor
from ..responses import ordered_set
from ..searchcontext import cancel, open_context
from ..server import SELECTED, command

# RFC 4731 §3.1, RFC 5182 §2.1, RFC 9394 §3.1, RFC 5267 §4.2-4.3
OPTIONS = ("MIN", "MAX", "ALL", "COUNT", "SAVE", "PARTIAL", "UPDATE", "CONTEXT")
_PARTIAL_RE = re.compile(r"(-?)(\d{1,10}):(-?)(\d{1,10})\Z")


@dataclass
class ReturnOptions:
    """What a RETURN (...) list asked for. `partial` is (first, last), 1-based; both
    negative when counted from the last result (RFC 9394 §3.1)."""

    min: bool = False
    max: bool = False
    all: bool = False
    count: bool = False
    save: bool = False
    update: bool = False
    context: bool = False
    partial: tuple[int, int] | None = None

    @property
    def answers(self) -> bool:
        """Whether an ESEARCH response goes out: not for SAVE alone (RFC 5182 §2.1: the
        result is only kept), as Dovecot does."""
        return self.min or self.max or self.all or self.count or self.update or self.partial is not None


def read_return_options(cursor: Cursor) -> ReturnOptions | None:
    """`RETURN (opt ...) ` after the command name's space, or None if the command has
    none (RFC 4466 §2.6 search-return-opts). Unknown options are BAD."""
    if not cursor.take(b"RETURN "):
        return None
    options = ReturnOptions()
    for name, value in cursor.paren_list(lambda: _return_option(cursor)):
        if name == "PARTIAL":
            if options.partial is not None:
                raise ImapBad("PARTIAL may be given only once")  # RFC 9394 §3.1
            options.partial = value
        else:
            setattr(options, name.lower(), True)
    if options.partial is not None and options.all:
        # RFC 5267 §4.4, RFC 9394 §3.1: one PARTIAL, one ALL, or neither.
        raise ImapBad("PARTIAL and ALL may not be used together")
    if not (options.min or options.max or options.count or options.save or options.update
            or options.partial is not None):
        # RFC 4731 §3.1: an empty list means ALL; CONTEXT alone is only a hint (RFC 5267
        # §4.2), so it too is answered with ALL, as Dovecot does.
        options.all = True
    cursor.sp()
    return options


def _return_option(cursor: Cursor) -> tuple[str, tuple[int, int] | None]:
    name = cursor.atom("a RETURN option").upper()
    if name not in OPTIONS:
        raise ImapBad(f"Unknown RETURN option {name}")
    if name != "PARTIAL":
        return name, None
    cursor.sp()
    return name, read_partial_range(cursor)


def read_partial_range(cursor: Cursor) -> tuple[int, int]:
    """RFC 9394 §4 partial-range: n:m, or -n:-m counted from the last result; no "*" or
    0, both ends of one sign. Returned with the end nearer the start (or the last) first:
    4:2 is 2:4 and -100:-1 is -1:-100."""
    text = cursor.atom("a PARTIAL range like 1:100 or -1:-100")
    match = _PARTIAL_RE.match(text)
    if not match or match.group(1) != match.group(3):
        raise ImapBad(f"Expected a PARTIAL range like 1:100 or -1:-100, not {text!r}")
    first, last = int(match.group(2)), int(match.group(4))
    if not (0 < first <= MAX_NUMBER and 0 < last <= MAX_NUMBER):
        raise ImapBad(f"A PARTIAL range holds non-zero 32-bit numbers, not {text!r}")
    first, last = sorted((first, last))
    return (-first, -last) if match.group(1) else (first, last)


def partial_slice(results: list, partial: tuple[int, int]) -> list:
    """The results a PARTIAL range names, in the results' order (RFC 9394 §3.1: -1 is the
    last result). A range past the results gives what is there, perhaps nothing."""
    first, last = partial
    if first > 0:
        return results[first - 1:last]
    count = len(results)
    return results[max(count + last, 0):max(count + first + 1, 0)]


def returned_uids(options: ReturnOptions, uids: list[int]) -> list[int]:
    """The messages a RETURN list gives back, in the results' order: all of them with ALL
    or COUNT; else those of MIN, MAX and PARTIAL (RFC 4731 §3.2 for MODSEQ, RFC 5182
    §2.4 and RFC 9394 §3.2 for what SAVE keeps)."""
    if options.all or options.count or not (options.min or options.max or options.partial is not None):
        return uids
    chosen = list(partial_slice(uids, options.partial)) if options.partial is not None else []
    if uids and options.min and uids[0] not in chosen:
        chosen.insert(0, uids[0])
    if uids and options.max and uids[-1] not in chosen:
        chosen.append(uids[-1])
    return chosen


def esearch_line(session, tag: str, by_uid: bool, options: ReturnOptions, uids: list[int],
                 modseqs: dict[int, int] | None = None) -> str:
    """The ESEARCH response for the matching UIDs (in the command's order, all in the
    session's view). With modseqs (the search used MODSEQ), the highest MODSEQ of the
    messages returned is added (RFC 4731 §3.2); nothing is, when none matched."""
    numbers = uids if by_uid else [session.position(uid) for uid in uids]
    parts = [f'(TAG "{tag}")'] + (["UID"] if by_uid else [])
    if numbers and options.min:
        parts.append(f"MIN {numbers[0]}")
    if numbers and options.max:
        parts.append(f"MAX {numbers[-1]}")
    if numbers and options.all:
        parts.append(f"ALL {ordered_set(numbers)}")
    if options.partial is not None:
        first, last = options.partial
        page = ordered_set(partial_slice(numbers, options.partial)) or "NIL"
        parts.append(f"PARTIAL ({first}:{last} {page})")
    if options.count:
        parts.append(f"COUNT {len(numbers)}")
    if modseqs is not None and numbers:
        returned = returned_uids(options, uids)
        if returned:
            parts.append(f"MODSEQ {max(modseqs[uid] for uid in returned)}")
    return "ESEARCH " + " ".join(parts)


@contextmanager
def saving(session, options: ReturnOptions | None):
    """Around a search with RETURN: RFC 5182 §2.1, a search with SAVE that fails with NO
    empties "$"; one that fails with BAD (a syntax error) leaves it as it was."""
    try:
        yield
    except ImapBad:
        raise
    except Exception:
        if options is not None and options.save:
            session.saved = array("I")
        raise


def save_result(session, options: ReturnOptions, uids: list[int]):
    """RFC 5182 §2.1: a successful SEARCH with SAVE makes its result the "$" of later
    commands (with MIN, MAX or PARTIAL alone, only what those return, §2.4)."""
    session.saved = array("I", sorted(returned_uids(options, uids)))


async def answer(session, tag: str, by_uid: bool, options: ReturnOptions, uids: list[int],
                 modseqs: dict[int, int] | None = None, live: tuple | None = None):
    """Send what RETURN asked for about the matching UIDs (in the session's view, in the
    command's order), keep "$" if SAVE was asked, and with UPDATE keep the result up to
    date from now on; `live` is (criteria, sort order or None) for that."""
    if options.save:
        save_result(session, options, uids)
    if options.answers:
        await session.untagged(esearch_line(session, tag, by_uid, options, uids, modseqs))
    if options.update:
        criteria, order = live
        await open_context(session, tag, by_uid, criteria, order, uids)


@command("CANCELUPDATE", {SELECTED})
async def cmd_cancelupdate(session, tag: str, cursor: Cursor):
    """Stop the updates of searches by their tags. State: selected. RFC 5267 §4.3.5."""
    tags = []
    while cursor.take(b" "):
        tags.append(cursor.astring().decode("utf-8", "replace"))
    cursor.end()
    if not tags:
        raise ImapBad("CANCELUPDATE needs the tag of at least one search")
    cancel(session, tags)
    await session.ok(tag, "Updates cancelled")
