"""Local delivery in its own process, so the mail core uses a second core.

The listeners' process is bound by one interpreter lock; delivering (parsing, expanding,
writing mailboxes) costs as much CPU as accepting. The host spawns a fresh interpreter
(spawn, not fork: the host has threads and listening sockets) that delivers whenever the
host says mail was queued, and at least every HOPTHU_DELIVERY_SWEEP_SECONDS. If the host
dies, the pipe closes and the child exits; the queue in the database is the truth, so
nothing is lost either way.
"""
import asyncio
import logging
import multiprocessing
import os

from django.conf import settings
from django.db import connection

from . import queue
from .models import QueueRecipient
from .process_child import child_main

log = logging.getLogger(__name__)
# Settings the child must see as the host sees them (tests override them in-process).
_INHERITED = ("HOPTHU_BLOB_DIR", "HOPTHU_HOSTNAME", "HOPTHU_QUEUE_LIFETIME_SECONDS", "HOPTHU_DELIVERY_SWEEP_SECONDS",
              "HOPTHU_SRS_DOMAIN", "HOPTHU_SRS_SECRET", "HOPTHU_DIRECTORY_CACHE_SECONDS", "HOPTHU_MAX_MESSAGE_SIZE",
              "HOPTHU_FORWARD_RATE_PER_HOUR", "HOPTHU_DOMAIN_FORWARD_RATE_PER_HOUR", "SECRET_KEY")


class DeliveryProcess:
    """A host factory's product: has `info` and `close()` like a listener.

    Wakes are an Event, not messages: setting it twice is setting it once, so a burst of
    commits never queues up anything or blocks the committing thread.
    """

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self._wake = context.Event()
        self._quit = context.Event()
        overrides = {name: getattr(settings, name) for name in _INHERITED if hasattr(settings, name)}
        overrides["DATABASE_NAME"] = str(connection.settings_dict["NAME"])
        self._process = context.Process(target=child_main, args=(self._wake, self._quit, os.getpid(), overrides),
                                        name="hopthu-delivery", daemon=True)
        self._process.start()
        self.info = {"name": "local-delivery", "pid": self._process.pid}
        queue.on_enqueued(self._on_enqueued)

    def _on_enqueued(self, kinds):
        if QueueRecipient.Kind.LOCAL in kinds:
            self._wake.set()

    def stop(self):
        queue.remove_listener(self._on_enqueued)
        self._quit.set()
        self._wake.set()
        self._process.join(30)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)

    async def close(self):
        await asyncio.get_running_loop().run_in_executor(None, self.stop)


async def start_delivery_process(host) -> DeliveryProcess:
    return await host.run_blocking(DeliveryProcess)
