"""The rows of scheduled send and undo send: a message kept until its time.

smtp/scheduled.py decides (the rules of submission, Celery); this module keeps the body
and the ScheduledMessage row, gives the body back, and sends a due row in one
transaction with its change of status, so that after a crash of every process a
message is sent once: a crash before the commit leaves it waiting with nothing queued.
"""
import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from mailcore.store import blobs
from mailcore.store.bodies import DurableBodies

from .models import ScheduledMessage

log = logging.getLogger(__name__)
Status = ScheduledMessage.Status


def keep(account, raw: bytes, recipients: list[str], send_at, *, client_ip: str | None = None,
         after_commit: Callable[[ScheduledMessage], None] | None = None) -> ScheduledMessage:
    """Store raw durably and a waiting row to send it at send_at; return the row.
    after_commit(row) runs once both are committed (smtp/scheduled.py asks Celery)."""
    with DurableBodies([raw]) as bodies, transaction.atomic(), connection.cursor() as cursor:
        (blob_id,) = bodies.install(cursor)
        row = ScheduledMessage.objects.create(account=account, blob_id=blob_id, recipients=recipients,
                                              send_at=send_at, client_ip=client_ip)
        if after_commit is not None:
            transaction.on_commit(lambda: after_commit(row))
    return row


def take_back(account, pk: int) -> bytes:
    """Delete account's waiting row pk and return its body; ValidationError if it already left."""
    with transaction.atomic():
        row = (ScheduledMessage.objects.select_for_update().select_related("blob")
               .filter(pk=pk, account=account).first())
        if row is None or row.status != Status.WAITING:
            raise ValidationError({"message": _("This message has already been sent or cancelled.")})
        raw = blobs.read(row.blob.digest)
        row.delete()  # the blob goes with the next garbage collection
    return raw


def read_waiting(account, pk: int) -> tuple[ScheduledMessage, bytes] | None:
    """account's row pk if it still waits, and its body, without stopping it; None when it
    has left, was cancelled, or its body is gone (sent and collected meanwhile)."""
    row = ScheduledMessage.objects.select_related("blob").filter(pk=pk, account=account, status=Status.WAITING).first()
    if row is None:
        return None
    try:
        return row, blobs.read(row.blob.digest)
    except FileNotFoundError:
        return None


# A disabled account's or domain's messages are held, not sent and not cancelled: they
# wait, and leave at the first sweep after it is enabled again (docs/security.md).
SENDABLE = {"account__active": True, "account__domain__active": True}


def due(now, limit: int) -> list[int]:
    """The ids of the waiting rows due at now and sendable, the earliest first."""
    return list(ScheduledMessage.objects.filter(status=Status.WAITING, send_at__lte=now, **SENDABLE)
                .order_by("send_at").values_list("pk", flat=True)[:limit])


def send_one(pk: int, now, send: Callable[[object, bytes, list[str], str | None], int]) -> int:
    """Send row pk if it still waits and is due: send(account, raw, recipients, client_ip)
    returns the queue id, or raises ValidationError when the message may no longer go (a
    recipient gone, the From no longer allowed, the rate), which marks the row failed.
    One transaction: any other error leaves the row waiting and nothing sent. Returns 1
    when the row was handled, 0 when it was sent or cancelled meanwhile."""
    with transaction.atomic():
        row = (ScheduledMessage.objects.select_for_update(of=("self",)).select_related("account", "blob")
               .filter(pk=pk, status=Status.WAITING, send_at__lte=now, **SENDABLE).first())
        if row is None:
            return 0  # sent, cancelled or held meanwhile
        try:
            raw = blobs.read(row.blob.digest)
        except FileNotFoundError:  # the body is gone (disk restored from an older backup): nothing to send
            log.error("Scheduled message %s has lost its body %s", pk, row.blob.digest)
            row.status, row.error = Status.FAILED, _("The message body is missing from storage.")
            row.save(update_fields=["status", "error"])
            return 1
        try:
            row.queued_message_id = send(row.account, raw, row.recipients, row.client_ip)
            row.status = Status.SENT
        except ValidationError as error:
            row.status = Status.FAILED
            row.error = " ".join(message for messages in error.message_dict.values() for message in messages)
            log.info("Scheduled message %s was not sent: %s", pk, row.error)
        row.save(update_fields=["status", "queued_message_id", "error"])
    return 1
