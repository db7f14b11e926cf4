"""A folder as one MODSEQ left it: its UID list and its keywords, read cheaply and
shared by the sessions of a process.

Every change to a folder (append, flags, copy, move, expunge) takes a new MODSEQ
(messages.py), so (folder, highestmodseq) names one exact list: twenty IMAP clients
selecting the same 5,000-message INBOX read it from the database once. IMAP SELECT and
its updates (NOOP, IDLE...) read a folder here; the webmail's pages go through
listing.py.
"""
import threading
from array import array
from collections import OrderedDict

from django.db import connection

from .status import folder_keywords

LISTS_KEPT = 256  # (folder, MODSEQ) lists kept per process, least recently used dropped
_uid_lists: OrderedDict[tuple[int, int], array] = OrderedDict()
_keyword_lists: OrderedDict[tuple[int, int], list[str]] = OrderedDict()
_lock = threading.Lock()


def highest_modseq(folder_id: int) -> int | None:
    """The folder's HIGHESTMODSEQ now (RFC 7162 §3.1.2), None if it is gone. One indexed
    read: what an IDLE poll asks first, to learn that nothing happened."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT highestmodseq FROM store_folder WHERE id = %s", [folder_id])
        row = cursor.fetchone()
    return row[0] if row else None


def folder_uids(folder_id: int, highestmodseq: int | None = None) -> array:
    """The folder's UIDs in ascending order (a fresh array the caller may change).

    With highestmodseq (read before this call), the list is shared through the cache;
    without it, it is read from the database.
    """
    key = (folder_id, highestmodseq)
    if highestmodseq is not None:
        with _lock:
            cached = _uid_lists.get(key)
            if cached is not None:
                _uid_lists.move_to_end(key)
                return array("I", cached)
    with connection.cursor() as cursor:
        # Plain SQL: the ORM's per-row work costs more than the query for 5,000 rows.
        cursor.execute("SELECT uid FROM store_message WHERE folder_id = %s ORDER BY uid", [folder_id])
        uids = array("I", [row[0] for row in cursor.fetchall()])
    if highestmodseq is not None:
        _keep(_uid_lists, key, uids)
        return array("I", uids)
    return uids


def keywords_at(folder_id: int, highestmodseq: int) -> list[str]:
    """The keywords in use in the folder as of this MODSEQ (read before the call), for
    SELECT's FLAGS; shared like the UID lists, as reading them costs as much."""
    key = (folder_id, highestmodseq)
    with _lock:
        cached = _keyword_lists.get(key)
        if cached is not None:
            _keyword_lists.move_to_end(key)
            return cached
    keywords = folder_keywords(folder_id)
    _keep(_keyword_lists, key, keywords)
    return keywords


def _keep(lists: OrderedDict, key: tuple[int, int], value) -> None:
    with _lock:
        lists[key] = value
        while len(lists) > LISTS_KEPT:
            lists.popitem(last=False)
