"""Scheduled send and undo send: a message that leaves at a chosen time.

`schedule()` checks the message as `submission.submit` would (recipients, From; the
send rate counts when it leaves), stores its body as a blob and a ScheduledMessage row,
and asks Celery to send it at that time. `send_due()` sends what is due, each message in
one transaction with its row's change: a crash before the commit leaves it waiting and
nothing queued, so after a restart of every process it is sent once. Beat runs
`send_due` every HOPTHU_SCHEDULED_SWEEP_SECONDS as the safety net for a lost task.
`cancel()` gives the body back (undo send, or edit: cancel, change, schedule again)
until the message has left. While its account or domain is disabled a message is held.
"""
import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mailcore.delivery.models import ScheduledMessage
from mailcore.store import blobs
from mailcore.store.bodies import DurableBodies

from . import submission

log = logging.getLogger(__name__)
BATCH = 50
# A disabled account's or domain's messages are held, not sent and not cancelled: they
# wait, and leave at the first sweep after it is enabled again (docs/security.md).
SENDABLE = {"account__active": True, "account__domain__active": True}


def schedule(account, raw: bytes, recipients: list[str], send_at, *, client_ip: str | None = None):
    """Keep raw to send from account at send_at (aware datetime); return the row."""
    accepted, _kinds = submission.check_recipients(recipients)
    try:
        submission.check(account, raw, count_rate=False)
    except submission.Refused as refusal:
        raise ValidationError({refusal.field: refusal.message}) from None
    with DurableBodies([raw]) as bodies, transaction.atomic(), connection.cursor() as cursor:
        (blob_id,) = bodies.install(cursor)
        row = ScheduledMessage.objects.create(account=account, blob_id=blob_id, recipients=accepted,
                                              send_at=send_at, client_ip=client_ip)
        transaction.on_commit(lambda: _ask_celery(row))
    return row


def _ask_celery(row):
    try:
        send_scheduled.apply_async(eta=row.send_at)
    except Exception:  # a broker that is down: beat's sweep sends it
        log.exception("could not ask Celery to send scheduled message %s", row.pk)


def cancel(account, pk: int) -> bytes:
    """Stop a waiting message and return its body; ValidationError if it already left."""
    with transaction.atomic():
        row = (ScheduledMessage.objects.select_for_update().select_related("blob")
               .filter(pk=pk, account=account).first())
        if row is None or row.status != ScheduledMessage.Status.WAITING:
            raise ValidationError({"message": _("This message has already been sent or cancelled.")})
        raw = blobs.read(row.blob.digest)
        row.delete()  # the blob goes with the next garbage collection
    return raw


def send_due(now=None, batch: int = BATCH) -> int:
    """Send the waiting messages due at now; return how many were handled."""
    now = now or timezone.now()
    due = list(ScheduledMessage.objects.filter(status=ScheduledMessage.Status.WAITING, send_at__lte=now, **SENDABLE)
               .order_by("send_at").values_list("pk", flat=True)[:batch])
    handled = 0
    for pk in due:
        try:
            handled += _send_one(pk, now)
        except Exception:  # one broken row must not hold back every later send on the server
            log.exception("Scheduled message %s could not be sent; it is tried again at the next sweep", pk)
    return handled


def _send_one(pk: int, now) -> int:
    with transaction.atomic():
        row = (ScheduledMessage.objects.select_for_update(of=("self",)).select_related("account", "blob")
               .filter(pk=pk, status=ScheduledMessage.Status.WAITING, send_at__lte=now, **SENDABLE).first())
        if row is None:
            return 0  # sent, cancelled or held meanwhile
        try:
            raw = blobs.read(row.blob.digest)
        except FileNotFoundError:  # the body is gone (disk restored from an older backup): nothing to send
            log.error("Scheduled message %s has lost its body %s", pk, row.blob.digest)
            row.status, row.error = ScheduledMessage.Status.FAILED, _("The message body is missing from storage.")
            row.save(update_fields=["status", "error"])
            return 1
        try:
            row.queued_message_id = submission.submit(row.account, raw, row.recipients, client_ip=row.client_ip)
            row.status = ScheduledMessage.Status.SENT
        except ValidationError as error:  # a recipient gone, the From no longer allowed, the rate
            row.status = ScheduledMessage.Status.FAILED
            row.error = " ".join(message for messages in error.message_dict.values() for message in messages)
            log.info("Scheduled message %s was not sent: %s", pk, row.error)
        row.save(update_fields=["status", "queued_message_id", "error"])
    return 1


@shared_task(name="mailcore.smtp.send_scheduled", ignore_result=True)
def send_scheduled():
    while send_due() == BATCH:
        pass
