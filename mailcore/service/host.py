"""The mail-core host: one asyncio loop in a daemon thread, the listeners, the heartbeat.

A Celery worker started with --mailcore runs one MailcoreHost in its main process (see
bootstep.py); `manage.py mailcore` runs one alone. The SMTP, IMAP and POP3 listeners of
later issues register a factory with `register_listener`; the host starts every
registered listener on its loop and stops them on `stop()`.

Blocking work (ORM, password hashing, file I/O) never runs on the loop thread: coroutines
call `await host.run_blocking(func, *args)`, which runs func on a bounded thread pool
(settings.HOPTHU_IO_THREADS) after django.db.close_old_connections(), like a request.
"""
from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import logging
import os
import socket
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

from django.conf import settings

log = logging.getLogger(__name__)


class Listener(Protocol):
    """What a listener factory returns once its server is listening."""

    #: Shown in the heartbeat and /healthz, e.g. {"name": "smtp", "port": 2525, "tls": "starttls"}.
    info: dict

    async def close(self) -> None: ...


#: A coroutine function taking the host and returning a started Listener.
ListenerFactory = Callable[["MailcoreHost"], Awaitable[Listener]]

_LISTENER_FACTORIES: list[ListenerFactory] = []


def register_listener(factory: ListenerFactory) -> ListenerFactory:
    """Register a listener factory (usable as a decorator); the host starts them in order."""
    if factory not in _LISTENER_FACTORIES:
        _LISTENER_FACTORIES.append(factory)
    return factory


def registered_listeners() -> list[ListenerFactory]:
    return list(_LISTENER_FACTORIES)


def ensure_broker_dirs() -> None:
    """Create the folders of the embedded filesystem:// broker (kombu does not)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


def _fresh_connection_call(func, args, kwargs):
    from django.db import close_old_connections

    close_old_connections()
    return func(*args, **kwargs)


class MailcoreHost:
    """Runs the mail-core listeners on an asyncio loop in a daemon thread.

    start() returns once every listener is listening and the first heartbeat is written,
    or raises what went wrong. stop() closes the listeners, deletes the heartbeat row and
    joins the thread; both are idempotent and called from a non-loop thread.
    """

    def __init__(self, *, factories: list[ListenerFactory] | None = None,
                 heartbeat_seconds: float | None = None, io_threads: int | None = None, heartbeat: bool = True):
        self.factories = registered_listeners() if factories is None else list(factories)
        self.heartbeat = heartbeat  # False in listener worker processes: the host reports for them
        self.heartbeat_seconds = heartbeat_seconds or settings.HOPTHU_HEARTBEAT_SECONDS
        self.io_threads = io_threads or settings.HOPTHU_IO_THREADS
        self.hostname = socket.gethostname()
        self.pid = os.getpid()
        self.node = f"{self.hostname}:{self.pid}"
        self.listeners: list[Listener] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.executor: ThreadPoolExecutor | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._stopping: asyncio.Event | None = None
        self._main_done = threading.Event()
        self._started_at = None
        self._child_fds: set[int] = set()
        self._fork_hook_installed = False

    # --- Public API --------------------------------------------------------------------

    def start(self, timeout: float = 60) -> None:
        if self._thread is not None:
            return
        ensure_broker_dirs()
        self._install_fork_hook()
        # Also stop on interpreter exit, e.g. when the worker is interrupted while it starts.
        atexit.register(self.stop)
        self.executor = ThreadPoolExecutor(max_workers=self.io_threads, thread_name_prefix="mailcore-io")
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run_loop, name="mailcore-loop", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError(f"the mail core did not start within {timeout} seconds")
        if self._startup_error is not None:
            error = self._startup_error
            self.stop()
            raise error
        log.info("mail core %s running with %d listener(s)", self.node, len(self.listeners))

    def stop(self, timeout: float = 30) -> None:
        thread, loop = self._thread, self.loop
        if thread is None or loop is None or os.getpid() != self.pid:
            return  # not started, already stopped, or a forked child that has no loop thread
        if thread.is_alive() and self._stopping is not None:
            loop.call_soon_threadsafe(self._stopping.set)
            if not self._main_done.wait(timeout):
                log.warning("mail core %s did not stop within %s seconds", self.node, timeout)
                loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if self.executor is not None:
            self._close_pool_connections(timeout)
            self.executor.shutdown(wait=True, cancel_futures=True)
        if not thread.is_alive():
            loop.close()
        self._thread = None
        self.loop = None
        self.executor = None
        atexit.unregister(self.stop)
        log.info("mail core %s stopped", self.node)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and self._ready.is_set()

    async def run_blocking(self, func: Callable[..., Any], *args, **kwargs) -> Any:
        """Run func(*args, **kwargs) on the I/O thread pool; every ORM call goes through here."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.executor, functools.partial(_fresh_connection_call, func, args, kwargs)
        )

    def close_in_children(self, fd: int) -> None:
        """Close fd in any process forked from this one (e.g. a respawned pool child).

        Listeners call this with their listening socket's fd so a worker process that the
        prefork pool replaces later never holds a listening socket.
        """
        self._child_fds.add(fd)

    # --- The loop thread ---------------------------------------------------------------

    def _run_loop(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self._main())
        except BaseException:
            log.exception("mail core loop failed")
        finally:
            self._ready.set()  # never leave start() waiting
            self._main_done.set()
            try:
                self.loop.run_until_complete(self.loop.shutdown_asyncgens())
            except Exception:  # the loop may have been stopped from outside
                log.debug("shutdown_asyncgens failed", exc_info=True)

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        heartbeat = None
        try:
            for factory in self.factories:
                self.listeners.append(await factory(self))
            if self.heartbeat:
                await self.run_blocking(self._write_heartbeat, True)
                heartbeat = asyncio.create_task(self._heartbeat_loop(), name="mailcore-heartbeat")
        except BaseException as exc:
            self._startup_error = exc
            self._ready.set()
            await self._close_listeners()
            return
        self._ready.set()
        await self._stopping.wait()
        if heartbeat is not None:
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)
        await self._close_listeners()
        if not self.heartbeat:
            return
        try:
            await self.run_blocking(self._delete_heartbeat)
        except Exception:
            log.exception("could not delete the heartbeat of %s", self.node)

    async def _close_listeners(self) -> None:
        while self.listeners:
            listener = self.listeners.pop()
            try:
                await listener.close()
            except Exception:
                log.exception("error while closing listener %s", getattr(listener, "info", listener))
        # Closed: those fd numbers may be reused by anything now, so a process forked
        # later must not close them.
        self._child_fds.clear()

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                await self.run_blocking(self._write_heartbeat, False)
            except Exception:
                # A busy or briefly unreachable database must not kill the listeners.
                log.exception("heartbeat of %s failed", self.node)

    # --- Blocking helpers (run on the thread pool) --------------------------------------

    def _write_heartbeat(self, first: bool) -> None:
        from django.utils import timezone

        from .models import Heartbeat

        now = timezone.now()
        if first:
            self._started_at = now
        Heartbeat.objects.update_or_create(
            node=self.node,
            defaults={
                "hostname": self.hostname,
                "pid": self.pid,
                "started": self._started_at,
                "last_seen": now,
                "listeners": [dict(listener.info) for listener in self.listeners],
            },
        )

    def _delete_heartbeat(self) -> None:
        from .models import Heartbeat

        Heartbeat.objects.filter(node=self.node).delete()

    def _close_pool_connections(self, timeout: float) -> None:
        """Close the database connections the I/O threads hold (they are per thread).

        One job per possible thread, each waiting on a barrier, so every thread of the
        pool runs exactly one of them.
        """
        from django.db import connections

        barrier = threading.Barrier(self.io_threads)

        def close():
            connections.close_all()
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout)

        futures = [self.executor.submit(close) for _ in range(self.io_threads)]
        for future in futures:
            try:
                future.result(timeout + 1)
            except Exception:
                log.debug("closing a pool connection failed", exc_info=True)

    # --- Fork safety -------------------------------------------------------------------

    def _install_fork_hook(self) -> None:
        if self._fork_hook_installed:
            return
        self._fork_hook_installed = True
        os.register_at_fork(after_in_child=self._after_fork_in_child)

    def _after_fork_in_child(self) -> None:
        for fd in list(self._child_fds):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._child_fds.clear()
