"""Noticing changes to folders that IDLE and NOTIFY sessions watch, whoever made them.

Delivery, the webmail and other IMAP sessions may run in other processes, so changes
are found in the database: one poll every POLL_SECONDS for all watched folders of this
process (one query, however many sessions idle), comparing each folder's UIDNEXT and
HIGHESTMODSEQ, which every append, flag change and expunge moves (store/messages.py).

NOTIFY sessions (RFC 5465) watch a whole account: the same poll reads, in one more
query for all of them, every folder of the watched accounts with its name and marks
(and the subscriptions, for accounts whose sessions asked), keeps the latest read per
account and wakes that account's sessions when it differs from the one before.

On PostgreSQL the store's notices (store/notices.py, LISTEN/NOTIFY) say at once which
account and folder changed, on whichever node: a notice for something watched here starts
the poll at once, and the timed poll runs only every NOTICED_POLL_SECONDS, as a safety
net. While the listening connection is down it is back to POLL_SECONDS.
"""
import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field

from mailcore.store import notices
from mailcore.store.status import account_marks, change_marks

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # an IDLE client hears of new mail within a second (issue 4)
NOTICED_POLL_SECONDS = 5.0  # with store notices: they wake the poll, this is the net


@dataclass(frozen=True)
class AccountSnapshot:
    """An account's folders (store.status.FolderMark, in id order) and subscribed names
    (None when not read), as read by a query started at `taken` (time.monotonic())."""

    folders: tuple
    subscribed: frozenset | None
    taken: float = field(compare=False)


def read_snapshot(account_id: int, subscriptions: bool, taken: float) -> AccountSnapshot:
    """Blocking: one account's snapshot now (for a session that needs it at once)."""
    folders, subscribed = account_marks([account_id], [account_id] if subscriptions else ())[account_id]
    return AccountSnapshot(folders, subscribed, taken)


def _poll(folder_ids: tuple, accounts: dict) -> tuple[dict, dict]:
    states = change_marks(folder_ids) if folder_ids else {}
    marks = account_marks(accounts, [pk for pk, subscriptions in accounts.items() if subscriptions]) if accounts else {}
    return states, marks


class FolderWatcher:
    def __init__(self, host):
        self.host = host
        self.watchers: dict[int, set[asyncio.Event]] = {}
        self.known: dict[int, tuple[int, int]] = {}
        # NOTIFY: per account, each session's event and whether it needs subscriptions.
        self.accounts: dict[int, dict[asyncio.Event, bool]] = {}
        self.snapshots: dict[int, AccountSnapshot] = {}
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._due: asyncio.Event | None = None  # a notice came for something watched
        self._noticed = False  # subscribed to the store's notices

    def _start(self):
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._due = asyncio.Event()
            self._task = self._loop.create_task(self._run(), name="imap-folder-watch")

    def _on_notice(self, account_id: int | None, folder_id: int | None):
        """store.notices subscriber, in the listener thread: wake the poll if it matters here."""
        loop, due = self._loop, self._due
        if loop is None or due is None:
            return
        if account_id is None or folder_id in self.watchers or account_id in self.accounts:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(due.set)

    async def _wait(self):
        """Until the next poll: a notice, or the timer (short while notices are off)."""
        timeout = NOTICED_POLL_SECONDS if self._noticed and notices.listening() else POLL_SECONDS
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._due.wait(), timeout)
        self._due.clear()

    def watch(self, folder_id: int, event: asyncio.Event, state: tuple[int, int]):
        self.watchers.setdefault(folder_id, set()).add(event)
        self.known.setdefault(folder_id, state)
        self._start()
        if self._noticed:
            self._due.set()  # a change just before it was watched had its notice ignored

    def unwatch(self, folder_id: int, event: asyncio.Event):
        events = self.watchers.get(folder_id)
        if events is not None:
            events.discard(event)
            if not events:
                del self.watchers[folder_id]
                self.known.pop(folder_id, None)

    def watch_account(self, account_id: int, event: asyncio.Event, subscriptions: bool):
        self.accounts.setdefault(account_id, {})[event] = subscriptions
        self._start()
        if self._noticed:
            self._due.set()

    def unwatch_account(self, account_id: int, event: asyncio.Event):
        events = self.accounts.get(account_id)
        if events is not None:
            events.pop(event, None)
            if not events:
                del self.accounts[account_id]
                self.snapshots.pop(account_id, None)

    async def _run(self):
        if not self._noticed:
            self._noticed = await self.host.run_blocking(notices.subscribe, self._on_notice)
        while self.watchers or self.accounts:
            await self._wait()
            accounts = {pk: any(events.values()) for pk, events in self.accounts.items()}
            taken = time.monotonic()
            try:
                states, marks = await self.host.run_blocking(_poll, tuple(self.watchers), accounts)
            except Exception:
                log.exception("could not poll watched folders")
                continue
            for folder_id, state in states.items():
                if self.known.get(folder_id) != state:
                    self.known[folder_id] = state
                    for event in self.watchers.get(folder_id, ()):
                        event.set()
            for account_id, (folders, subscribed) in marks.items():
                if account_id not in self.accounts:
                    continue  # its last session left while the poll ran
                snapshot = AccountSnapshot(folders, subscribed, taken)
                changed = self.snapshots.get(account_id) != snapshot
                self.snapshots[account_id] = snapshot  # the newest read, even when equal
                if changed:
                    for event in self.accounts[account_id]:
                        event.set()

    async def close(self):
        if self._noticed:
            notices.unsubscribe(self._on_notice)
            self._noticed = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def watcher_of(host) -> FolderWatcher:
    watcher = getattr(host, "imap_watcher", None)
    if watcher is None:
        watcher = host.imap_watcher = FolderWatcher(host)
    return watcher
