"""Quarantine: mail held instead of delivered, and what admins and users decide about it.

hold() keeps the body as a blob (durable before the rows commit, as the queue does:
store/bodies.py) and one QuarantineRecipient row per mailbox the message would have
reached, so a user finds what was held for them even when it came through an alias.

release() queues the original bytes, unchanged, to the held recipients through the
delivery queue. Released mail never passes SMTP DATA again, where the scan runs
(filters/scan.py), so it is not held a second time; it is delivered like any mail
(trace fields, the user's rules). A release or delete can be scoped: a user acts on
their own copy (account=), a domain admin on their domains' recipients (domains=). When
other recipients are still waiting, only the scoped rows are removed and the message
stays held for the rest.

delete() and expire() remove the rows, so the blob has no holder left and the hourly
blob collection (store/gc.py) removes the body. Released rows stay, for the record,
until they expire like the held ones. The statistics (spam, virus, policy counts) are
counted by the scan where it decides, never here.
"""
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from mailcore.delivery.models import QueuedMessage
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Domain
from mailcore.mime.headers import decode_words
from mailcore.mime.structure import parse_header_block, parse_message, split_header
from mailcore.store import blobs
from mailcore.store.bodies import DurableBodies

from .models import FilterPolicy, QuarantinedMessage, QuarantineRecipient

log = logging.getLogger(__name__)
Status = QuarantinedMessage.Status
EXPIRE_BATCH = 500


def hold(raw: bytes, *, mail_from: str, recipients: list[str], kind: str, reason: str, score: float | None = None,
         client_ip: str | None = None, helo: str = "") -> QuarantinedMessage:
    """Keep a message that must not be delivered now; it expires after its domains' quarantine_days."""
    now = timezone.now()
    rows = _recipient_rows(recipients)
    with DurableBodies([raw]) as bodies, transaction.atomic(), connection.cursor() as cursor:
        [blob_id] = bodies.install(cursor)
        message = QuarantinedMessage.objects.create(
            blob_id=blob_id, size=len(raw), mail_from=mail_from[:320], subject=_subject(raw)[:998], kind=kind,
            reason=reason, score=score, client_ip=client_ip or None, helo=helo[:255], received_at=now,
            expires_at=now + timedelta(days=_keep_days({row.domain for row in rows})),
        )
        for row in rows:
            row.message = message
        QuarantineRecipient.objects.bulk_create(rows)
    return message


def _subject(raw: bytes) -> str:
    try:
        return decode_words(parse_message(raw)[1].get("subject"))
    except Exception:  # a header block the parser cannot read still gets held
        return ""


def _recipient_rows(recipients: list[str]) -> list[QuarantineRecipient]:
    """One row per account each recipient reaches (aliases expanded), or one without an account."""
    from mailcore.delivery.expand import expand

    rows = []
    for address in recipients:
        try:
            domain_name = parse_address(address, allow_quoted=True).domain
        except ValidationError:
            domain_name = address.rpartition("@")[2].lower()
        hosted = hosted_domain(domain_name)
        domain = hosted.name if hosted is not None else domain_name
        accounts = list(expand(address).accounts) if hosted is not None else []
        rows.extend(QuarantineRecipient(address=address[:320], domain=domain[:253], account_id=account_id)
                    for account_id in accounts or [None])
    return rows


def _keep_days(domains: set[str]) -> int:
    """The longest quarantine period of the recipients' domains: nobody's copy goes early."""
    chosen = dict(FilterPolicy.objects.filter(domain__name__in=domains).values_list("domain__name", "quarantine_days"))
    default = FilterPolicy._meta.get_field("quarantine_days").default
    hosted = set(Domain.objects.filter(name__in=domains).values_list("name", flat=True))
    return max([chosen.get(name, default) for name in hosted] or [default])


def _scoped(message: QuarantinedMessage, account=None, domains=None):
    rows = message.recipients.all()
    if account is not None:
        rows = rows.filter(account=account)
    if domains is not None:
        rows = rows.filter(domain__in=domains)
    return rows


def _claim(message: QuarantinedMessage, now):
    """Lock the held row (an UPDATE takes the write lock on every database) and reread it;
    None if it was decided already. Two releases at once queue here: one delivery only."""
    if not QuarantinedMessage.objects.filter(pk=message.pk, status=Status.HELD).update(decided_at=now):
        return None
    return QuarantinedMessage.objects.select_related("blob").get(pk=message.pk)


def release(message: QuarantinedMessage, actor=None, *, account=None, domains=None) -> bool:
    """Queue the original message to the held recipients in scope; False if there was nothing to release.

    With account=, the copy goes to that account's own address (an alias that reached it
    would deliver to everyone behind the alias). Idempotent: a second call finds nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        locked = _claim(message, now)
        rows = list(_scoped(locked, account, domains)) if locked is not None else []
        if not rows:
            transaction.set_rollback(True)
            return False
        addresses = [account.address] if account is not None else list(dict.fromkeys(row.address for row in rows))
        enqueue(blobs.read(locked.blob.digest), Envelope(
            mail_from=locked.mail_from, recipients=addresses, source=QueuedMessage.Source.MX,
            client_ip=locked.client_ip, helo=locked.helo))
        _finish(locked, rows, Status.RELEASED, now)
    log.info("quarantined message %s released to %s by %s", locked.pk, ", ".join(addresses), _name(actor))
    message.refresh_from_db()
    return True


def delete(message: QuarantinedMessage, actor=None, *, account=None, domains=None) -> bool:
    """Drop the held copies in scope without delivering them; False if there was nothing to delete."""
    now = timezone.now()
    with transaction.atomic():
        locked = _claim(message, now)
        rows = list(_scoped(locked, account, domains)) if locked is not None else []
        if not rows:
            transaction.set_rollback(True)
            return False
        _finish(locked, rows, Status.DELETED, now)
    log.info("quarantined message %s deleted by %s", locked.pk, _name(actor))
    return True


def _finish(message: QuarantinedMessage, rows: list, status: str, now):
    """Remove the decided rows while others wait; otherwise settle the whole message.

    A deleted message loses its row, which was the blob's last holder here (store/gc.py).
    """
    if message.recipients.exclude(pk__in=[row.pk for row in rows]).exists():
        QuarantineRecipient.objects.filter(pk__in=[row.pk for row in rows]).delete()
        QuarantinedMessage.objects.filter(pk=message.pk).update(decided_at=None)  # still held for others
    elif status == Status.DELETED:
        message.delete()
    else:
        QuarantinedMessage.objects.filter(pk=message.pk).update(status=status, decided_at=now)


def expire(now=None) -> int:
    """Delete every quarantined message past expires_at (held or already released); return how many."""
    cutoff = now or timezone.now()
    total = 0
    while True:
        ids = list(QuarantinedMessage.objects.filter(expires_at__lte=cutoff).values_list("pk", flat=True)
                   [:EXPIRE_BATCH])
        if not ids:
            return total
        QuarantinedMessage.objects.filter(pk__in=ids).delete()
        total += len(ids)


SUMMARY_FIELDS = ("From", "Reply-To", "To", "Cc", "Subject", "Date", "Message-ID")


def header_summary(message: QuarantinedMessage) -> list[tuple[str, str]]:
    """The top-level header fields a person judges held mail by, decoded (RFC 2047) for showing."""
    head = blobs.read_range(message.blob.digest, 0, min(message.size, 64 * 1024))
    try:
        fields = parse_header_block(head[:split_header(head, 0, len(head))])
    except Exception:  # a damaged header block: show nothing rather than fail the page
        return []
    return [(name, decode_words(fields.get(name))) for name in SUMMARY_FIELDS if fields.get(name)]


def _name(actor) -> str:
    return actor.get_username() if actor is not None else "the system"
