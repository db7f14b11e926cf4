"""Group commit for accepted mail: sessions finishing DATA at about the same time share
one transaction and one set of disk syncs, and each gets its 250 only after the commit.

While one batch commits on the thread pool, the next messages wait and form the next
batch, so the batch size follows the load by itself: one message when the server is
quiet (no added latency), dozens under load (far fewer fsyncs per message).
"""
import asyncio
import logging

from mailcore.delivery.queue import Envelope, enqueue_batch

log = logging.getLogger(__name__)
MAX_BATCH = 64


class GroupCommitter:
    def __init__(self, host, max_batch: int = MAX_BATCH):
        self.host = host
        self.max_batch = max_batch
        self._pending: list[tuple[bytes, Envelope, asyncio.Future]] = []
        self._draining = False

    async def commit(self, raw: bytes, envelope: Envelope) -> int:
        """Queue one message durably; return its queue id once committed."""
        future = asyncio.get_running_loop().create_future()
        self._pending.append((raw, envelope, future))
        if not self._draining:
            self._draining = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self):
        try:
            while self._pending:
                batch, self._pending = self._pending[:self.max_batch], self._pending[self.max_batch:]
                await self._commit_batch(batch)
        finally:
            self._draining = False

    async def _commit_batch(self, batch):
        try:
            ids = await self.host.run_blocking(enqueue_batch, [(raw, envelope) for raw, envelope, _f in batch])
        except Exception:
            if len(batch) == 1:
                log.exception("could not queue a message")
                _settle(batch[0][2], error=RuntimeError("queueing failed"))
                return
            # One bad message must not fail the others: commit them one by one.
            for item in batch:
                await self._commit_batch([item])
            return
        for (_raw, _envelope, future), queue_id in zip(batch, ids, strict=True):
            _settle(future, result=queue_id)


def _settle(future: asyncio.Future, result=None, error=None):
    if future.done():  # the session went away (client disconnected); the mail is queued anyway
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
