"""The Celery worker bootstep that hosts the mail core when the worker runs with --mailcore.

It requires the pool, so the pool's children are forked before any listening socket
exists and never inherit one (DESIGN.md; children the pool respawns later are covered by
MailcoreHost.close_in_children). The listeners run on an asyncio loop in a thread of the
worker's main process; warm shutdown stops them cleanly, and so does a cold shutdown
(StartStopStep.terminate falls back to the host's stop()), so the heartbeat row goes away
in both cases.

Every worker and beat also makes sure the folders of the embedded filesystem:// broker
exist before they connect: kombu lists them but never creates them.
"""
from celery import bootsteps
from celery.signals import beat_init


def _ensure_broker_dirs():
    from .host import ensure_broker_dirs

    ensure_broker_dirs()


@beat_init.connect(weak=False)
def _beat_broker_dirs(sender=None, **kwargs):
    _ensure_broker_dirs()


class MailcoreStep(bootsteps.StartStopStep):
    label = "Mailcore"
    requires = {"celery.worker.components:Pool"}

    def __init__(self, worker, mailcore=False, **options):
        super().__init__(worker, **options)
        self.enabled = bool(mailcore)
        # Runs for every worker, before the consumer connects to the broker.
        _ensure_broker_dirs()

    def create(self, worker):
        from .host import MailcoreHost

        # Nothing listens yet: the host opens its sockets and thread only in start().
        return MailcoreHost()
