"""Notices of store changes across processes and nodes: PostgreSQL LISTEN/NOTIFY.

On PostgreSQL a trigger (migration 0012) sends NOTIFY hopthu_store 'account folder' when
a transaction that changed a folder row (UIDNEXT, HIGHESTMODSEQ, name) or a subscription
commits; a folder of 0 means "the account's folder list or subscriptions". PostgreSQL
delivers it to every listening connection of every node, so an IDLE on node B hears of a
message node A appended at once, without waiting for its next poll (issue 20).

Each process that has subscribers holds one listening connection, in a daemon thread
that calls the subscribers with (account_id, folder_id). After the connection is (re)made
it calls them with (None, None), "anything may have changed": notices sent while it was
away are lost, so subscribers look again. Subscribers still poll now and then
(listening() tells how often), which covers a notice lost any other way.

SQLite (the single-node default) has no notices: enabled() is False and watchers poll.
HOPTHU_STORE_NOTICES=off turns them off on PostgreSQL too.
"""
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)

CHANNEL = "hopthu_store"
RECONNECT_SECONDS = 1.0
Subscriber = Callable[[int | None, int | None], None]

_lock = threading.Lock()
_subscribers: set = set()
_thread: threading.Thread | None = None
_started: list[threading.Thread] = []  # for stop(): a thread may still be closing its connection
_listening = threading.Event()


def enabled() -> bool:
    """Whether this process can hear of other processes' changes (PostgreSQL, not off)."""
    return settings.HOPTHU_STORE_NOTICES != "off" and connection.vendor == "postgresql"


def listening() -> bool:
    """Whether the listening connection is up now (else subscribers must poll often)."""
    return _listening.is_set()


def subscribe(callback: Subscriber) -> bool:
    """Call callback(account_id, folder_id) on every notice, from the listener thread;
    it must be quick and thread-safe (hand over to a loop with call_soon_threadsafe).
    Return False, subscribing nothing, when notices are not enabled."""
    global _thread
    if not enabled():
        return False
    params = _connection_params()
    with _lock:
        _subscribers.add(callback)
        if _thread is None:
            _thread = threading.Thread(target=_listen, args=(params,), name="store-notices", daemon=True)
            _thread.start()
            _started[:] = [thread for thread in _started if thread.is_alive()] + [_thread]
    return True


def unsubscribe(callback: Subscriber):
    """Stop calling callback; the listener ends (within a second) when nobody is left."""
    with _lock:
        _subscribers.discard(callback)


def _connection_params() -> dict:
    """Django's own parameters for this database (the test database under tests)."""
    params = connection.get_connection_params()
    for private in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(private, None)
    return params


def _publish(account_id: int | None, folder_id: int | None):
    with _lock:
        subscribers = list(_subscribers)
    for callback in subscribers:
        try:
            callback(account_id, folder_id)
        except Exception:
            log.exception("a store notice subscriber failed")


def _parse(payload: str) -> tuple[int, int] | None:
    try:
        account, folder = payload.split()
        return int(account), int(folder)
    except ValueError:
        return None


def _nobody_left() -> bool:
    """Under the lock: with no subscriber, this thread is done (a new one starts later)."""
    global _thread
    with _lock:
        if _subscribers:
            return False
        _thread = None
        return True


def _listen(params: dict):
    import psycopg

    while not _nobody_left():
        try:
            with psycopg.connect(**params, autocommit=True) as conn:
                conn.execute(f"LISTEN {CHANNEL}")
                _listening.set()
                _publish(None, None)  # whatever happened while nobody listened
                while True:
                    for notice in conn.notifies(timeout=1.0):
                        parsed = _parse(notice.payload)
                        if parsed is None:
                            log.warning("ignored a store notice %r", notice.payload)
                            continue
                        _publish(*parsed)
                    if _nobody_left():
                        return
        except Exception as error:
            if _listening.is_set():
                log.warning("store notices lost their connection (%s); polling until it is back", error)
            else:
                log.debug("store notices could not connect: %s", error)
        finally:
            _listening.clear()
        time.sleep(RECONNECT_SECONDS)


def stop(timeout: float = 5.0):
    """Drop every subscriber and wait for the listening connection to close (tests do,
    before their database is dropped)."""
    with _lock:
        _subscribers.clear()
        threads = list(_started)
    for thread in threads:
        thread.join(timeout)
