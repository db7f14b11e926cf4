"""Celery tasks of the outbound queue. The database holds the truth (DESIGN.md): a task
only says "look now"; beat's sweep finds whatever a lost task or a restart left."""
from celery import shared_task

from .remote import deliver_due_remote

BATCH = 100


@shared_task(name="mailcore.delivery.deliver_remote", ignore_result=True)
def deliver_remote(domain: str | None = None):
    """Deliver due remote mail (of one destination, or all) until none is left."""
    while deliver_due_remote(BATCH, domain) == BATCH:
        pass


def on_commit_send(kinds):
    """queue.on_enqueued listener: remote mail was queued, have a worker look now."""
    from .models import QueueRecipient

    if QueueRecipient.Kind.REMOTE in kinds:
        deliver_remote.delay()
