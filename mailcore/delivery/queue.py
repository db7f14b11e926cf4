"""Accepting mail into the queue: the step after which SMTP may answer 250.

`enqueue_batch` makes each message's body durable and writes its queue rows in one
transaction (several messages share the syncs: group commit). Once it returns, the
mail is the server's responsibility; local recipients are delivered by local.py and
remote ones by the outbound queue, each in the same transaction as its status change.
"""
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Account
from mailcore.sending_alerts.watch import note_sent
from mailcore.stats import pending as pending_counts
from mailcore.store.bodies import DurableBodies

from .models import QueuedMessage, QueueRecipient

log = logging.getLogger(__name__)
# Where a message came from and what a recipient is, for callers that must not import the
# models (the SMTP listeners: tests/test_layering.py).
Source = QueuedMessage.Source
Kind = QueueRecipient.Kind
# Mail an account of ours sent, whose volume the sending alerts watch.
WATCHED_SOURCES = {Source.SUBMISSION, Source.WEBMAIL, Source.RELAY}

# Called after a commit that queued local or remote recipients (the mail core wakes its
# local delivery; the outbound side dispatches Celery tasks). Set by the service layer.
_listeners: list[Callable[[set[str]], None]] = []


@dataclass
class Envelope:
    mail_from: str  # "" for the null reverse-path (bounces)
    recipients: list[str]
    source: str = QueuedMessage.Source.MX
    account_id: int | None = None
    owner_domain: str = ""  # QueuedMessage.owner_domain; else the account's domain
    client_ip: str | None = None
    helo: str = ""
    smtputf8: bool = False
    kinds: dict = field(default_factory=dict)  # recipient -> "local"/"remote" when already known
    spam_score: float | None = None  # the MX's scan (mailcore.filters.scan); None: not scanned
    spam_report: dict | None = None
    delay: timedelta | None = None  # wait this long before the first attempt (forward_limits)
    delay_reason: str = ""


def on_enqueued(listener: Callable[[set[str]], None]):
    """Register listener(kinds) called after each commit with the kinds queued."""
    if listener not in _listeners:
        _listeners.append(listener)
    return listener


def remove_listener(listener):
    if listener in _listeners:
        _listeners.remove(listener)


def recipient_kind(address: str) -> tuple[str, str]:
    """("local"|"remote", destination domain) of a recipient address."""
    domain = parse_address(address, allow_quoted=True).domain
    if hosted_domain(domain) is not None:
        return QueueRecipient.Kind.LOCAL, domain
    return QueueRecipient.Kind.REMOTE, domain


def enqueue_batch(items: list[tuple[bytes, Envelope]]) -> list[int]:
    """Queue messages durably; return their QueuedMessage ids, in order."""
    now = timezone.now()
    kinds_queued: set[str] = set()
    with DurableBodies([raw for raw, _envelope in items]) as bodies, transaction.atomic(), \
            connection.cursor() as cursor:
        blob_ids = bodies.install(cursor)
        owners = _account_domains({envelope.account_id for _raw, envelope in items
                                   if envelope.account_id and not envelope.owner_domain})
        messages = QueuedMessage.objects.bulk_create([
            QueuedMessage(
                blob_id=blob_id, size=len(raw), mail_from=envelope.mail_from, source=envelope.source,
                account_id=envelope.account_id, client_ip=envelope.client_ip or None, helo=envelope.helo[:255],
                owner_domain=envelope.owner_domain or owners.get(envelope.account_id, ""),
                smtputf8=envelope.smtputf8, received_at=now, message_id=message_id_of(raw),
                spam_score=envelope.spam_score, spam_report=envelope.spam_report,
            )
            for (raw, envelope), blob_id in zip(items, blob_ids, strict=True)
        ])
        recipients = []
        for message, (_raw, envelope) in zip(messages, items, strict=True):
            for address in envelope.recipients:
                kind, domain = envelope.kinds.get(address) or recipient_kind(address)
                kinds_queued.add(kind)
                recipient = QueueRecipient(message=message, address=address, kind=kind, domain=domain,
                                           next_attempt=now)
                if envelope.delay:
                    recipient.status = QueueRecipient.Status.DEFERRED
                    recipient.next_attempt = now + envelope.delay
                    recipient.last_result = envelope.delay_reason
                recipients.append(recipient)
        QueueRecipient.objects.bulk_create(recipients)
        # Sending alerts: a counter per sending account and batch (docs/sending-alerts.md).
        sent = [(envelope.account_id, envelope.recipients) for _raw, envelope in items
                if envelope.account_id and envelope.source in WATCHED_SOURCES]
        if sent:
            _note_sent_safely(sent, now)
        received = Counter(r.domain for r in recipients if r.kind == "local")
        ids = [message.pk for message in messages]
        transaction.on_commit(lambda: notify(kinds_queued))
        # Noted in memory and written every few seconds in the background: a write per
        # group commit would compete with the queue for SQLite's one writer.
        transaction.on_commit(lambda: _note_received(received))
    return ids


def _note_sent_safely(sent, now):
    # In a savepoint: a failure of the count is logged, never a refusal of the mail.
    try:
        with transaction.atomic():
            note_sent(sent, now)
    except Exception:
        log.exception("sending alerts: could not count what was sent")


def _account_domains(account_ids: set) -> dict[int, str]:
    """{account id: its domain's name}; no query when there is none (MX mail)."""
    if not account_ids:
        return {}
    return dict(Account.objects.filter(pk__in=account_ids).values_list("pk", "domain__name"))


def _note_received(received: Counter):
    for domain, n in received.items():
        pending_counts.note(domain, pending_counts.Kind.RECEIVED, n)


# RFC 5322 §3.6.4; the value may be folded onto continuation lines (§2.2.3).
_MESSAGE_ID_RE = re.compile(rb"^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.IGNORECASE | re.MULTILINE)


def message_id_of(raw: bytes) -> str:
    """The Message-ID field of the top-level header, for the delivery log ("" if none)."""
    end = raw.find(b"\r\n\r\n")
    match = _MESSAGE_ID_RE.search(raw if end < 0 else raw[:end + 2])
    return b" ".join(match.group(1).split()).decode("utf-8", "replace")[:998] if match else ""


def enqueue(raw: bytes, envelope: Envelope) -> int:
    return enqueue_batch([(raw, envelope)])[0]


def notify(kinds: set[str]):
    # After the commit: the mail is safe whatever a listener does, so a failing one
    # (a broker that is down) is logged, never raised into the session that queued it.
    for listener in list(_listeners):
        try:
            listener(kinds)
        except Exception:
            log.exception("a queue listener failed; the periodic sweep will pick the mail up")
