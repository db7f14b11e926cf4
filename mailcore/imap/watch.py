"""Noticing changes to folders that IDLE sessions watch, whoever made them.

Delivery, the webmail and other IMAP sessions may run in other processes, so changes
are found in the database: one poll every POLL_SECONDS for all watched folders of this
process (one query, however many sessions idle), comparing each folder's UIDNEXT and
HIGHESTMODSEQ, which every append, flag change and expunge moves (store/messages.py).
"""
import asyncio
import contextlib
import logging

from mailcore.store.status import change_marks

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # an IDLE client hears of new mail within a second (issue 4)


class FolderWatcher:
    def __init__(self, host):
        self.host = host
        self.watchers: dict[int, set[asyncio.Event]] = {}
        self.known: dict[int, tuple[int, int]] = {}
        self._task: asyncio.Task | None = None

    def watch(self, folder_id: int, event: asyncio.Event, state: tuple[int, int]):
        self.watchers.setdefault(folder_id, set()).add(event)
        self.known.setdefault(folder_id, state)
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name="imap-folder-watch")

    def unwatch(self, folder_id: int, event: asyncio.Event):
        events = self.watchers.get(folder_id)
        if events is not None:
            events.discard(event)
            if not events:
                del self.watchers[folder_id]
                self.known.pop(folder_id, None)

    async def _run(self):
        while self.watchers:
            await asyncio.sleep(POLL_SECONDS)
            try:
                states = await self.host.run_blocking(change_marks, tuple(self.watchers))
            except Exception:
                log.exception("could not poll watched folders")
                continue
            for folder_id, state in states.items():
                if self.known.get(folder_id) != state:
                    self.known[folder_id] = state
                    for event in self.watchers.get(folder_id, ()):
                        event.set()

    async def close(self):
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def watcher_of(host) -> FolderWatcher:
    watcher = getattr(host, "imap_watcher", None)
    if watcher is None:
        watcher = host.imap_watcher = FolderWatcher(host)
    return watcher
