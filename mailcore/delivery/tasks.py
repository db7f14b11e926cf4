"""Celery tasks of the outbound queue. The database holds the truth (DESIGN.md): a task
only says "look now"; beat's sweep finds whatever a lost task or a restart left.

The sweep fans out one task per destination domain, so the worker pool delivers to
several destinations at once and a slow one holds up only its own mail.
"""
from celery import shared_task
from django.utils import timezone

from .models import QueueRecipient
from .remote import DUE, deliver_due_remote

BATCH = 100


def due_domains() -> list[str]:
    return list(
        QueueRecipient.objects.filter(kind=QueueRecipient.Kind.REMOTE, status__in=DUE,
                                      next_attempt__lte=timezone.now())
        .order_by().values_list("domain", flat=True).distinct()
    )


@shared_task(name="mailcore.delivery.deliver_remote", ignore_result=True)
def deliver_remote(domain: str | None = None):
    """Without a domain: one task per destination with due mail. With one: deliver its
    due mail until none is left."""
    if domain is None:
        for destination in due_domains():
            deliver_remote.delay(destination)
        return
    while deliver_due_remote(BATCH, domain) == BATCH:
        pass


def on_commit_send(kinds):
    """queue.on_enqueued listener: remote mail was queued, have a worker look now."""
    if QueueRecipient.Kind.REMOTE in kinds:
        deliver_remote.delay()
