"""Whether a logged-in session's account has been disabled since it logged in.

IMAP, POP3 and SMTP submission ask before each command (issue 16): a disabled account or
domain ends its open sessions at their next command. The answer comes from the
directory's snapshot in memory (directory/disabled.py); when the snapshot is due for a
check, one refresh runs on the host's thread pool and every session of the loop waits
for that one. A database that cannot be reached leaves sessions running on what was
known, rather than ending them all.
"""
import asyncio
import contextlib
import logging

from mailcore.directory import disabled

log = logging.getLogger(__name__)
CHECK_SECONDS = 1.0  # how soon a waiting session (IMAP IDLE) hears of a change made here

_refreshing: dict[asyncio.AbstractEventLoop, asyncio.Task] = {}


async def account_disabled(host, account) -> bool:
    """True if account (loaded at login, with domain_id) or its domain is disabled now."""
    refreshed = disabled.is_stale()
    if refreshed:
        await _refresh(host)
    if not disabled.is_disabled(account.pk, account.domain_id):
        return False
    if not refreshed:
        # "Disabled" ends the session: not on a snapshot that may be a few seconds old,
        # when the account was enabled again elsewhere and has just logged in.
        await _refresh(host)
    return disabled.is_disabled(account.pk, account.domain_id)


async def _refresh(host) -> None:
    loop = asyncio.get_running_loop()
    task = _refreshing.get(loop)
    if task is None:
        task = loop.create_task(host.run_blocking(disabled.refresh), name="disabled-accounts-refresh")
        _refreshing[loop] = task
        task.add_done_callback(lambda _done: _refreshing.pop(loop, None))
    try:
        await asyncio.shield(task)  # one session cancelled must not cancel the others' refresh
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("could not read which accounts are disabled; open sessions go on meanwhile")


class DisabledWatch:
    """Sessions that wait without sending commands (IMAP IDLE) hear here that their
    account or domain was disabled: one task checks every CHECK_SECONDS for all of them
    (memory, and a shared refresh when the snapshot is due) and sets the event of each
    session whose account is disabled. One wake-up a second per loop, not per session."""

    def __init__(self, host):
        self.host = host
        self.waiting: dict[asyncio.Event, object] = {}  # event -> account (pk, domain_id)
        self._task: asyncio.Task | None = None

    def watch(self, account, event: asyncio.Event):
        self.waiting[event] = account
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="disabled-accounts-watch")

    def unwatch(self, event: asyncio.Event):
        self.waiting.pop(event, None)

    async def _run(self):
        while self.waiting:
            await asyncio.sleep(CHECK_SECONDS)
            if disabled.is_stale():
                await _refresh(self.host)
            for event, account in list(self.waiting.items()):
                if disabled.is_disabled(account.pk, account.domain_id):
                    event.set()

    async def close(self):
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def disabled_watch_of(host) -> DisabledWatch:
    """The host's DisabledWatch (made on first use, like imap/watch.py's watcher_of)."""
    watch = getattr(host, "disabled_watch", None)
    if watch is None:
        watch = host.disabled_watch = DisabledWatch(host)
    return watch
