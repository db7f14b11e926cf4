"""Counts noted in memory and written in the background: SMTP refusals and received mail.

A refused RCPT is one recipient, and a dictionary attack sends thousands a second;
writing each would turn an attack into a write storm on the database that also holds
the queue; and a write per group commit of received mail would compete with the queue
for SQLite's one writer. So the SMTP handler and the queue only note counts here (a
dict update under a lock, safe on the event loop), and a single background thread
writes the sums at most every FLUSH_SECONDS: one upsert per (domain, kind) per flush.
The first note after a quiet period is written at once. A crash loses at most FLUSH_SECONDS of these counts
(statistics, not mail); normal shutdown flushes (atexit).

Fork: a child inherits memory, not threads. Forked mid-write, it would inherit whatever
the writing thread held (SQLite's and the import system's locks, a half-done
transaction) with no thread left to release them, and could hang on first use. So a
fork waits for a write in progress to end (_writing, taken in os.register_at_fork's
"before") and the child starts with empty counts; the parent keeps and writes its own.
"""
import atexit
import os
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import close_old_connections, connection

from .counts import Kind, count_safely  # noqa: F401  (Kind: for callers' convenience)

FLUSH_SECONDS = 10.0

_lock = threading.Lock()
_writing = threading.Lock()  # held for a whole write: a fork waits for it (see above)
_pending: Counter = Counter()
_next_flush = 0.0  # monotonic time before which notes only accumulate
_flush_planned = False
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats-flush")


def note(domain: str, kind: str, n: int = 1) -> None:
    """Add n to (domain, kind) of today; never touches the database in the caller's thread."""
    global _flush_planned
    if not domain or n <= 0:
        return
    with _lock:
        _pending[(domain.lower(), kind)] += n
        if _flush_planned:
            return
        _flush_planned = True
        delay = _next_flush - time.monotonic()
    if delay <= 0:
        _executor.submit(_flush_in_background)
    else:
        timer = threading.Timer(delay, _executor.submit, args=(_flush_in_background,))
        timer.daemon = True
        timer.start()


def flush(wait: bool = True) -> Future:
    """Write what is pending now (tests, shutdown); with wait, after any flush in progress."""
    future = _executor.submit(_flush_in_background)
    if wait:
        future.result()
    return future


def write_now() -> None:
    """Write what is pending in the caller's thread and connection (tests inside a transaction)."""
    count_safely(_take())


def discard() -> None:
    """Forget what is pending (tests: a test's refusals must not be written into the next's)."""
    _take()


def _take() -> Counter:
    global _flush_planned, _next_flush
    with _lock:
        tallies = Counter(_pending)
        _pending.clear()
        _flush_planned = False
        _next_flush = time.monotonic() + FLUSH_SECONDS
    return tallies


def _flush_in_background() -> None:
    with _writing:
        tallies = _take()
        if not tallies:
            return
        close_old_connections()
        try:
            count_safely(tallies)
        finally:
            connection.close()  # this thread's own connection: not held between flushes


def _flush_at_exit() -> None:
    # The executor is already shut down when atexit runs: write in this thread.
    count_safely(_take())


def _before_fork() -> None:
    _writing.acquire()  # no write in progress in the thread the child won't have


def _after_fork_in_parent() -> None:
    _writing.release()


def _reset_in_child() -> None:
    # A forked child (a Celery pool process) inherits the locks and the executor but not its
    # thread: start afresh; the parent still holds, and writes, what it had noted.
    global _lock, _writing, _executor, _flush_planned, _next_flush
    _lock, _writing = threading.Lock(), threading.Lock()
    _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stats-flush")
    _pending.clear()
    _flush_planned, _next_flush = False, 0.0


atexit.register(_flush_at_exit)
os.register_at_fork(before=_before_fork, after_in_parent=_after_fork_in_parent, after_in_child=_reset_in_child)
