"""Search results kept up to date: RETURN (UPDATE) (RFC 5267 §4.3; CONTEXT=SEARCH and
CONTEXT=SORT).

A SEARCH or SORT with RETURN (UPDATE) leaves a context in the session: its search
program (sequence numbers already made UIDs, §4.3), its sort order, and its result as
UIDs. When the session learns of changes (commands/updates.sync: NOOP, IDLE, EXPUNGE,
APPEND, COPY, MOVE…) or makes them itself (STORE, a FETCH that sets \\Seen), each
context is checked again and what changed goes to the client with the searching
command's tag:

    * ESEARCH (TAG "B01") UID ADDTO (0 32768:32769)     SEARCH: position 0, mailbox order
    * ESEARCH (TAG "S01") REMOVEFROM (3 7)              SORT: the place in the order

REMOVEFROM goes before the EXPUNGE of what it removes and ADDTO after the EXISTS of what
it adds, so the numbers in them are valid when sent (§4.3.3, §4.3.4).

Only messages that changed since a context was last checked are searched again: every
change to a message (flags, arrival) gives it a new MODSEQ (store/messages.py), so
those with a MODSEQ above the context's mark are the only ones whose match can have
changed, and expunged ones are those gone from the folder's UID list (Appendix B's
strategy, with MODSEQ to find the changes). A session without contexts pays nothing.
Updates stop at CANCELUPDATE or when the folder is closed (§4.3, §4.3.5).
"""
import bisect
from dataclasses import dataclass

from mailcore.store.search.criteria import search_uids
from mailcore.store.search.sorting import sort_uids

from .errors import ImapBad, ImapNo
from .recent import bind_recent
from .responses import ordered_set

MAX_CONTEXTS = 32  # per session; more are refused with NOUPDATE (§4.3.1)


@dataclass
class SearchContext:
    tag: str
    by_uid: bool
    criteria: tuple  # store criteria, RECENT/NEW/OLD left live (recent.bind_recent)
    order: list[tuple[str, bool]] | None  # SORT's criteria; None: mailbox order (SEARCH)
    uids: list[int]  # the result as the client holds it, in the requested order
    checked: int  # every message with a MODSEQ up to this one has been checked


def refuse_tag_reuse(session, tag: str):
    """RFC 5267 §4.3: UPDATE with the tag of a live context is BAD, and does nothing."""
    if tag in session.contexts:
        raise ImapBad(f"Tag {tag} is in use by a search that is being updated; use another tag")


async def open_context(session, tag: str, by_uid: bool, criteria: tuple, order, uids: list[int]):
    """Keep the result of a SEARCH or SORT with RETURN (UPDATE) up to date from now on."""
    if len(session.contexts) >= MAX_CONTEXTS:
        # §4.3.1: the other return options are answered; only the updates are refused.
        await session.untagged(f'NO [NOUPDATE "{tag}"] Too many searches are being updated')
        return
    mark = getattr(session, "synced_modseq", None) or session.modseq
    session.contexts[tag] = SearchContext(tag, by_uid, criteria, order, list(uids), mark)


def cancel(session, tags: list[str]):
    """CANCELUPDATE (§4.3.5): stop updating these contexts; all named must be live."""
    unknown = [tag for tag in tags if tag not in session.contexts]
    if unknown:
        raise ImapNo(f"No search is being updated under tag {unknown[0]}")
    for tag in tags:
        del session.contexts[tag]


# --- Checking again ---------------------------------------------------------------------------

def _consecutive(uids: list[int]) -> list[tuple[int, int]]:
    """Ascending UIDs as ranges of consecutive numbers: exactly these UIDs, no others."""
    ranges: list[list[int]] = []
    for uid in uids:
        if ranges and ranges[-1][1] + 1 == uid:
            ranges[-1][1] = uid
        else:
            ranges.append([uid, uid])
    return [(low, high) for low, high in ranges]


def _contains(sorted_uids, uid: int) -> bool:
    at = bisect.bisect_left(sorted_uids, uid)
    return at < len(sorted_uids) and sorted_uids[at] == uid


def _recheck(folder_id: int, account_id: int, checks: list, upto: int | None, current, touched: list[int] | None
             ) -> list[list[int] | None]:
    """Blocking: for each (context, bound criteria), its new result in its order, or None
    when it is the same. Either the messages changed in (context.checked, upto] with the
    folder's UIDs `current` as of upto (after an update), or the messages `touched` (after
    this session's STORE, the folder otherwise as the client knows it)."""
    out = []
    changed_by_mark: dict[int, set[int]] = {}
    for context, criteria in checks:
        if touched is not None:
            changed = set(touched)
            found = search_uids(folder_id, account_id, ("and", [criteria, ("uids", _consecutive(sorted(changed)))]))
            matching = {uid for uid, _modseq in found}
        elif upto is None:  # the folder is gone: so is everything
            changed, matching = set(), set()
        else:
            since = ("modseq", context.checked + 1)
            if context.checked not in changed_by_mark:  # contexts checked together share this
                changed_by_mark[context.checked] = {
                    uid for uid, modseq in search_uids(folder_id, account_id, since) if modseq <= upto}
            changed = changed_by_mark[context.checked]
            found = search_uids(folder_id, account_id, ("and", [criteria, since])) if changed else []
            matching = {uid for uid, modseq in found if modseq <= upto}
        members = {uid for uid in context.uids if uid not in changed} | matching
        if current is not None:
            members = {uid for uid in members if _contains(current, uid)}  # expunged ones leave
        if members == set(context.uids):
            out.append(None)
        elif context.order is None:
            out.append(sorted(members))
        else:
            # Sort keys never change, so the old members keep their order among themselves;
            # the database places the new ones.
            ordered = sort_uids(folder_id, account_id, ("uids", _consecutive(sorted(members))), context.order)
            out.append([uid for uid in ordered if uid in members])
    return out


def _runs(uids: list[int], chosen: set[int]) -> list[tuple[int, list[int]]]:
    """The chosen UIDs of a list as (1-based place of the first, [UIDs]) for each run of
    neighbours in the list."""
    runs: list[tuple[int, list[int]]] = []
    previous = -1
    for index, uid in enumerate(uids):
        if uid in chosen:
            if runs and previous == index - 1:
                runs[-1][1].append(uid)
            else:
                runs.append((index + 1, [uid]))
            previous = index
    return runs


def _numbers(session, context: SearchContext, uids: list[int]) -> list[int]:
    return uids if context.by_uid else [session.position(uid) for uid in uids]


def _removals(session, context: SearchContext, new: list[int]) -> str | None:
    """REMOVEFROM for what left the result, numbered as the client's view is now."""
    kept = set(new)
    gone = [uid for uid in context.uids if uid not in kept]
    if not gone:
        return None
    if context.order is None:
        # §4.3.4: position 0 for SEARCH, the set in mailbox order (its shortest form).
        pairs = [(0, sorted(_numbers(session, context, gone)))]
    else:
        # Each run of neighbours at its place in the list as the client holds it, the
        # earlier runs already removed (pairs are processed in order).
        pairs, removed = [], 0
        for place, run in _runs(context.uids, set(gone)):
            pairs.append((place - removed, _numbers(session, context, run)))
            removed += len(run)
    return _line(context, "REMOVEFROM", pairs)


def _additions(session, context: SearchContext, new: list[int], before: set[int]) -> str | None:
    """ADDTO for what joined the result, numbered as the client's view is now."""
    added = [uid for uid in new if uid not in before]
    if not added:
        return None
    if context.order is None:
        pairs = [(0, sorted(_numbers(session, context, added)))]  # §4.3.3: position 0 for SEARCH
    else:
        # At its place in the new list: inserted in order, each run lands where it belongs.
        pairs = [(place, _numbers(session, context, run)) for place, run in _runs(new, set(added))]
    return _line(context, "ADDTO", pairs)


def _line(context: SearchContext, item: str, pairs) -> str:
    uid = " UID" if context.by_uid else ""
    body = " ".join(f"{place} {ordered_set(numbers)}" for place, numbers in pairs)
    return f'ESEARCH (TAG "{context.tag}"){uid} {item} ({body})'


# --- Hooks for the points where changes are reported -------------------------------------------

async def remove_before_expunges(session, upto: int | None, current) -> list | None:
    """In an update (commands/updates.sync), before the EXPUNGEs: check every context
    against the folder as of MODSEQ upto (UIDs `current`), send the REMOVEFROMs, and
    return what add_after_exists needs. None, at no cost, without contexts."""
    if not session.contexts:
        return None
    contexts = list(session.contexts.values())
    checks = [(context, bind_recent(session, context.criteria)) for context in contexts]
    results = await session.host.run_blocking(_recheck, session.folder.pk, session.account.pk, checks, upto,
                                              current, None)
    pending = []
    for context, new in zip(contexts, results, strict=True):
        if upto is not None:
            context.checked = upto
        if new is None:
            continue
        line = _removals(session, context, new)
        if line:
            await session.untagged(line)
        pending.append((context, new))
    return pending


async def add_after_exists(session, pending: list | None):
    """In an update, after the EXISTS and FETCHes: send the ADDTOs of what
    remove_before_expunges found."""
    for context, new in pending or ():
        before = set(context.uids)
        context.uids = new
        line = _additions(session, context, new, before)
        if line:
            await session.untagged(line)


async def recheck_touched(session, uids: list[int]):
    """After this session changed these messages' flags (STORE, FETCH setting \\Seen):
    send what that changed in each context (§4.3: as and when results change)."""
    if not session.contexts or not uids:
        return
    contexts = list(session.contexts.values())
    checks = [(context, bind_recent(session, context.criteria)) for context in contexts]
    results = await session.host.run_blocking(_recheck, session.folder.pk, session.account.pk, checks, None, None,
                                              list(uids))
    for context, new in zip(contexts, results, strict=True):
        if new is None:
            continue
        before = set(context.uids)
        line = _removals(session, context, new)
        if line:
            await session.untagged(line)
        context.uids = new
        line = _additions(session, context, new, before)
        if line:
            await session.untagged(line)
