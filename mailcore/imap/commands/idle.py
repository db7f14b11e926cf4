"""IDLE: updates pushed while the client waits. State: authenticated or selected.
RFC 2177; RFC 9051 §6.3.13.

A session in IDLE sends no command, so the check every command makes (is the account or
its domain disabled? server.dispatch) would wait for DONE, up to 30 minutes. The IDLE
waits on the host's DisabledWatch too (service/disabled.py: one check a second for all
idling sessions): a disabled account's IDLE ends with `* BYE` (issue 16).
"""
import asyncio
import contextlib
from functools import partial

from mailcore.service.disabled import account_disabled, disabled_watch_of
from mailcore.store.status import change_marks

from ..errors import ImapBad, ImapBye
from ..parser import Cursor
from ..server import AUTHED, IDLE_TIMEOUT, command
from ..watch import watcher_of
from .updates import sync


def _state(folder_id: int) -> tuple[int, int]:
    return change_marks([folder_id])[folder_id]


@command("IDLE", AUTHED)
async def cmd_idle(session, tag: str, cursor: Cursor):
    """Wait for changes until the client says DONE. State: authenticated or selected. RFC 2177."""
    cursor.end()
    await session.send(b"+ idling\r\n")
    changed = asyncio.Event()
    watcher = watcher_of(session.host)
    folder_id = session.folder.pk if session.folder is not None else None
    update = partial(sync, session)
    if session.notify is not None:  # RFC 5465 §4: exactly the events NOTIFY asked for
        changed, folder_id = session.notify.changed, None
        update = partial(session.notify.deliver, session, fresh=False, held=False)
        changed.clear()
        await session.notify.deliver(session, fresh=True, held=False)
    if folder_id is not None:
        watcher.watch(folder_id, changed, await session.host.run_blocking(_state, folder_id))
        await sync(session)  # anything that happened before IDLE started
    disabled_watch, disabled_now = disabled_watch_of(session.host), asyncio.Event()
    disabled_watch.watch(session.account, disabled_now)
    done = asyncio.ensure_future(session.reader.readline())
    try:
        while True:
            waiters = {asyncio.ensure_future(changed.wait()), asyncio.ensure_future(disabled_now.wait())}
            finished, _pending = await asyncio.wait({done, *waiters}, timeout=IDLE_TIMEOUT,
                                                    return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
            if done in finished:
                break
            if not finished:
                raise ImapBad("IDLE timed out")  # RFC 9051 §5.4: idle at most 30 minutes
            if disabled_now.is_set():
                disabled_now.clear()
                # Read again before ending the session (an account enabled again a moment ago).
                if await account_disabled(session.host, session.account):
                    # RFC 9051 §7.1.5, RFC 2177: the server may end IDLE with BYE and close;
                    # the dispatcher sends it and the session ends (issue 16).
                    raise ImapBye("This account is disabled")
            if changed.is_set():
                changed.clear()
                await update()
    finally:
        disabled_watch.unwatch(disabled_now)
        if folder_id is not None:
            watcher.unwatch(folder_id, changed)
        if not done.done():
            done.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await done
    line = done.result()
    if not line:
        raise ConnectionError("the client went away during IDLE")
    if line.strip().upper() != b"DONE":
        raise ImapBad("Expected DONE to end IDLE")
    await session.ok(tag, "IDLE terminated")
