"""The Celery worker bootstep that hosts the mail core when the worker runs with --mailcore.

It requires the pool, so the pool's children are forked before any listening socket
exists and never inherit one (DESIGN.md). The listeners run on an asyncio loop in a
thread of the worker's main process; warm shutdown stops them cleanly.
"""
from celery import bootsteps


class MailcoreStep(bootsteps.StartStopStep):
    requires = {"celery.worker.components:Pool"}

    def __init__(self, worker, mailcore=False, **options):
        super().__init__(worker, **options)
        self.enabled = bool(mailcore)
        self.host = None

    def start(self, worker):
        from .host import MailcoreHost

        self.host = MailcoreHost()
        self.host.start()

    def stop(self, worker):
        if self.host is not None:
            self.host.stop()
            self.host = None
