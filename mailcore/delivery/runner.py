"""Local delivery inside the mail core: delivers as soon as mail is queued, and sweeps.

The host runs one LocalDeliveryLoop: it wakes when a commit queued local recipients (in
this process) and at least every HOPTHU_DELIVERY_SWEEP_SECONDS (mail queued by other
processes, retries after a temporary failure, what a crash left behind). Each round
delivers batches on the thread pool until nothing is due.
"""
import asyncio
import contextlib
import logging

from django.conf import settings

from . import queue
from .local import deliver_due_local
from .models import QueueRecipient

log = logging.getLogger(__name__)
BATCH = 100


class LocalDeliveryLoop:
    def __init__(self, host):
        self.host = host
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.info = {"name": "local-delivery"}
        queue.on_enqueued(self._on_enqueued)

    def _on_enqueued(self, kinds):
        # Called in whichever thread committed: hand over to the loop thread.
        if QueueRecipient.Kind.LOCAL in kinds and self.host.loop is not None:
            self.host.loop.call_soon_threadsafe(self._wake.set)

    def start(self):
        self._task = asyncio.get_running_loop().create_task(self._run(), name="local-delivery")


    async def close(self):
        queue.remove_listener(self._on_enqueued)
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self):
        sweep = getattr(settings, "HOPTHU_DELIVERY_SWEEP_SECONDS", 5)
        while True:
            self._wake.clear()  # before delivering: a wake during the round is kept
            try:
                while await self.host.run_blocking(deliver_due_local, BATCH) == BATCH:
                    pass
            except Exception:
                log.exception("local delivery failed; retrying shortly")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), sweep)


async def start_local_delivery(host) -> LocalDeliveryLoop:
    """A host factory: the loop is hosted like a listener (it has info and close())."""
    loop = LocalDeliveryLoop(host)
    loop.start()
    return loop


async def start_local_delivery_default(host):
    """Local delivery as configured: its own process (HOPTHU_DELIVERY_PROCESS, the default)
    or the host's thread pool."""
    if getattr(settings, "HOPTHU_DELIVERY_PROCESS", True):
        from .process import start_delivery_process

        return await start_delivery_process(host)
    return await start_local_delivery(host)
