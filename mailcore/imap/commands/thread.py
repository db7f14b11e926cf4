"""THREAD and UID THREAD. State: selected. RFC 5256 §4 (the THREAD extension).

    tag THREAD REFERENCES UTF-8 SINCE 1-Nov-2026   →   * THREAD (2)(3 6 (4 23)(44 7 96))

The search keys are SEARCH's (search.read_criteria, store.search.criteria.matching); the
threads are made by the store (mailcore/store/threading.py) from the summary stored at
append, with RFC 5256 §2.1's base subject (store.search.text.base_subject). The answer
nests as §4's thread-list: a message and its only reply in one list, "(3 6)"; two or
more replies each in a list of their own, "(4 (5)(6))"; a dummy parent (REFERENCES) as a
list of lists, "((7)(8))".
"""
from mailcore.store.search.criteria import matching
from mailcore.store.search.text import base_subject
from mailcore.store.threading import Thread, ordered_subject_threads, references_threads, thread_rows

from ..errors import ImapBad
from ..parser import Cursor
from ..server import SELECTED, command
from .search import read_charset, read_criteria

ALGORITHMS = {"ORDEREDSUBJECT": ordered_subject_threads, "REFERENCES": references_threads}


def _threads(session, algorithm: str, cursor: Cursor) -> list[Thread]:
    """Blocking: the threads of the matching messages the session knows of."""
    criteria, _uses_modseq = read_criteria(session, cursor)
    matches = matching(session.folder.pk, session.account.pk, criteria)
    rows = [row for row in thread_rows(matches) if session.position(row.uid) is not None]
    return ALGORITHMS[algorithm](rows, base_subject)


def thread_lists(threads: list[Thread], number) -> str:
    """The thread-lists of RFC 5256 §4's thread-data, each message as number(uid).
    Written without recursion: a thread may be thousands of replies deep."""
    out = []
    pending: list = []  # what is left to write, last first: text, or a Thread to open
    for thread in reversed(threads):
        pending += [")", thread, "("]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node = item
        if node.uid is not None:
            out.append(str(number(node.uid)))
            while len(node.children) == 1:  # thread-members: a chain of only replies
                node = node.children[0]
                out.append(f" {number(node.uid)}")
            if node.children:
                out.append(" ")
        for child in reversed(node.children):  # thread-nested: two or more lists
            pending += [")", child, "("]
    return "".join(out)


async def _thread_command(session, tag: str, cursor: Cursor, by_uid: bool):
    cursor.sp()
    algorithm = cursor.atom("a threading algorithm").upper()
    if algorithm not in ALGORITHMS:
        raise ImapBad(f"Unknown threading algorithm {algorithm}")
    cursor.sp()
    read_charset(cursor)
    threads = await session.host.run_blocking(_threads, session, algorithm, cursor)
    lists = thread_lists(threads, (lambda uid: uid) if by_uid else session.position)
    await session.untagged(f"THREAD {lists}" if lists else "THREAD")
    await session.ok(tag, f"{'UID ' if by_uid else ''}THREAD completed")


@command("THREAD", {SELECTED})
async def cmd_thread(session, tag: str, cursor: Cursor):
    """Search, then thread; answers sequence numbers. State: selected. RFC 5256 §4."""
    await _thread_command(session, tag, cursor, by_uid=False)


@command("UID THREAD", {SELECTED})
async def cmd_uid_thread(session, tag: str, cursor: Cursor):
    """Search, then thread; answers UIDs. State: selected. RFC 5256 §4."""
    await _thread_command(session, tag, cursor, by_uid=True)
