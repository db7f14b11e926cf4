"""Scheduled send and undo send: a message that leaves at a chosen time.

`schedule()` checks the message as `submission.submit` would (recipients, From; the
send rate counts when it leaves), has delivery/schedule.py keep its body and a
ScheduledMessage row, and asks Celery to send it at that time. `send_due()` sends what
is due, each message in one transaction with its row's change (delivery/schedule.py): a
crash before the commit leaves it waiting and nothing queued, so after a restart of
every process it is sent once. Beat runs `send_due` every HOPTHU_SCHEDULED_SWEEP_SECONDS
as the safety net for a lost task. `cancel()` gives the body back (undo send, or edit:
cancel, change, schedule again) until the message has left; `waiting()` reads it without
stopping it (an edit replaces it only when sent). While its account or domain is
disabled a message is held (delivery/schedule.py SENDABLE).
"""
import logging

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from mailcore.delivery import schedule as rows

from . import submission

log = logging.getLogger(__name__)
BATCH = 50


def schedule(account, raw: bytes, recipients: list[str], send_at, *, client_ip: str | None = None):
    """Keep raw to send from account at send_at (aware datetime); return the row."""
    accepted, _kinds = submission.check_recipients(recipients)
    try:
        submission.check(account, raw, count_rate=False)
    except submission.Refused as refusal:
        raise ValidationError({refusal.field: refusal.message}) from None
    return rows.keep(account, raw, accepted, send_at, client_ip=client_ip, after_commit=_ask_celery)


def _ask_celery(row):
    try:
        send_scheduled.apply_async(eta=row.send_at)
    except Exception:  # a broker that is down: beat's sweep sends it
        log.exception("could not ask Celery to send scheduled message %s", row.pk)


def cancel(account, pk: int) -> bytes:
    """Stop a waiting message and return its body; ValidationError if it already left."""
    return rows.take_back(account, pk)


def waiting(account, pk: int):
    """(row, body) of a message of account still waiting to leave; None otherwise. It
    stays scheduled: editing it changes nothing until the edit is sent (cancel, then schedule)."""
    return rows.read_waiting(account, pk)


def send_due(now=None, batch: int = BATCH) -> int:
    """Send the waiting messages due at now; return how many were handled."""
    now = now or timezone.now()
    handled = 0
    for pk in rows.due(now, batch):
        try:
            handled += rows.send_one(pk, now, _submit)
        except Exception:  # one broken row must not hold back every later send on the server
            log.exception("Scheduled message %s could not be sent; it is tried again at the next sweep", pk)
    return handled


def _submit(account, raw: bytes, recipients: list[str], client_ip: str | None) -> int:
    """A due message leaves as the webmail sends one, its rate counted now."""
    return submission.submit(account, raw, recipients, client_ip=client_ip)


@shared_task(name="mailcore.smtp.send_scheduled", ignore_result=True)
def send_scheduled():
    while send_due() == BATCH:
        pass
