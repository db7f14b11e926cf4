"""What an administrator may do to waiting mail: retry it now, or remove it from the queue.

Remove does not bounce (Postfix's `postsuper -d` does not either): the usual reason to
remove mail is spam stuck in the queue, often with a forged sender, and a bounce would
send it to an innocent party. The recipient row stays, marked failed with the reason,
so the delivery log still tells what became of the mail. A delivery already in progress
when the admin acts (its lease taken) records its own result afterwards and wins.
"""
from django.db import transaction
from django.utils import timezone

from .models import QueueRecipient

Status = QueueRecipient.Status
WAITING = [Status.QUEUED, Status.DEFERRED]
REMOVED_REPLY = "554 5.0.0 removed from the queue by an administrator"


def retry_now(recipients) -> int:
    """Make waiting recipients due now and wake their delivery; return how many."""
    ids = [recipient.pk for recipient in recipients if recipient.status in WAITING]
    updated = QueueRecipient.objects.filter(pk__in=ids, status__in=WAITING).update(next_attempt=timezone.now())
    kinds = {recipient.kind for recipient in recipients if recipient.pk in ids}
    if updated:
        transaction.on_commit(lambda: _wake(kinds))
    return updated


def remove(recipients) -> int:
    """Take waiting recipients out of the queue without a bounce; return how many."""
    ids = [recipient.pk for recipient in recipients if recipient.status in WAITING]
    return QueueRecipient.objects.filter(pk__in=ids, status__in=WAITING).update(
        status=Status.FAILED, finished_at=timezone.now(), last_result=REMOVED_REPLY)


def _wake(kinds: set[str]) -> None:
    # The same wake-up as newly queued mail (queue.on_enqueued listeners): the outbound
    # task for remote mail; local delivery also sweeps every few seconds by itself.
    from .queue import notify

    notify(kinds)
