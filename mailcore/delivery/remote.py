"""The outbound queue: due remote recipients → the destination's mail servers.

Rows are claimed first (a lease: next_attempt pushed ahead, in a short transaction with
SKIP LOCKED), then delivered over the network outside any transaction, then marked
delivered, deferred (backoff: delivery/local.retry_delay) or failed with a bounce, in
one transaction. A worker that dies mid-delivery leaves the lease to expire and the mail
is tried again: at least once, as every MTA must when an answer is lost.
"""
import logging
from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mailcore.dns import TemporaryDNSError
from mailcore.sending_alerts.holds import held_accounts
from mailcore.stats import counts
from mailcore.store import blobs

from .models import QueuedMessage, QueueRecipient
from .outbound import DeliveryError, Job, Result, deliver_many

log = logging.getLogger(__name__)
Status = QueueRecipient.Status
DUE = [Status.QUEUED, Status.DEFERRED]
LEASE = timedelta(minutes=15)
SIGNED_SOURCES = {QueuedMessage.Source.SUBMISSION, QueuedMessage.Source.WEBMAIL, QueuedMessage.Source.RELAY,
                  QueuedMessage.Source.BOUNCE}


def _claim(limit: int, domain: str | None) -> list[QueueRecipient]:
    now = timezone.now()
    with transaction.atomic():
        skip_locked = connection.features.has_select_for_update_skip_locked
        due = QueueRecipient.objects.select_for_update(skip_locked=skip_locked)
        due = due.filter(kind=QueueRecipient.Kind.REMOTE, status__in=DUE, next_attempt__lte=now)
        # An account held by the sending alerts keeps its mail queued (docs/sending-alerts.md).
        due = due.exclude(message__account_id__in=held_accounts())
        if domain:
            due = due.filter(domain=domain)
        claimed = list(due.select_related("message__blob").order_by("id")[:limit])
        QueueRecipient.objects.filter(pk__in=[r.pk for r in claimed]).update(next_attempt=now + LEASE)
    return claimed


def _signed(message: QueuedMessage, raw: bytes) -> bytes:
    """DKIM-sign mail of our own users with the From domain's key (mime/dkim.py)."""
    if message.source not in SIGNED_SOURCES:
        return raw  # forwarded mail keeps its author's signature untouched
    from mailcore.delivery.trace import parsed_header
    from mailcore.mime.dkim import sign

    senders = parsed_header(raw).addresses("from")
    if not senders or "@" not in senders[0][1]:
        return raw
    return sign(raw, senders[0][1].rpartition("@")[2].lower())


def deliver_due_remote(limit: int = 100, domain: str | None = None) -> int:
    """Try the due remote recipients (up to limit); return how many were tried."""
    claimed = _claim(limit, domain)
    if not claimed:
        return 0
    by_domain = defaultdict(lambda: defaultdict(list))
    for recipient in claimed:
        by_domain[recipient.domain][recipient.message].append(recipient)
    outcomes: dict[int, Result | str] = {}
    for destination, messages in by_domain.items():
        jobs, owners = [], []
        for message, recipients in messages.items():
            raw = _signed(message, blobs.read(message.blob.digest))
            jobs.append(Job(message.mail_from, [r.address for r in recipients], raw))
            owners.append(recipients)
        try:
            results = deliver_many(destination, jobs)
        except DeliveryError as error:  # for the whole domain: null MX, no servers, ...
            results = [{r.address: error.result for r in recipients} for recipients in owners]
        except TemporaryDNSError as error:
            results = [{r.address: f"451 4.4.3 DNS: {error}" for r in recipients} for recipients in owners]
        for recipients, per_address in zip(owners, results, strict=True):
            for recipient in recipients:
                outcomes[recipient.pk] = per_address.get(recipient.address, "451 4.4.0 no answer")
    _record(claimed, outcomes)
    return len(claimed)


def _record(claimed, outcomes):
    now = timezone.now()
    lifetime = timedelta(seconds=settings.HOPTHU_QUEUE_LIFETIME_SECONDS)
    failed = []
    with transaction.atomic():
        for recipient in claimed:
            outcome = outcomes[recipient.pk]
            text = str(outcome)
            delivered = isinstance(outcome, Result) and outcome.delivered
            permanent = isinstance(outcome, Result) and outcome.permanent and not delivered
            recipient.attempts += 1
            recipient.last_result = text
            if delivered:
                recipient.status, recipient.finished_at = Status.DELIVERED, now
            elif permanent or now >= recipient.message.received_at + lifetime:
                recipient.status, recipient.finished_at = Status.FAILED, now
                failed.append(recipient)
            else:
                from .local import retry_delay

                recipient.status, recipient.next_attempt = Status.DEFERRED, now + retry_delay(recipient.attempts)
        QueueRecipient.objects.bulk_update(claimed, ["status", "attempts", "last_result", "next_attempt",
                                                     "finished_at"])
        counts.count_after_commit(Counter((r.message.mail_from.rpartition("@")[2], counts.Kind.SENT)
                                          for r in claimed if r.status == Status.DELIVERED))
        if failed:
            from .bounce import bounce

            bounce(failed, outcomes)  # the Results name the remote MTA that refused (RFC 3464 §2.3.5)
