"""What happens on Send: at once, later (scheduled send), or after the undo delay.

Every path goes through mailcore.smtp: submission.submit sends (and keeps the copy in
Sent), scheduled.schedule keeps it for later. The undo delay is a scheduled send a few
seconds ahead, so one mechanism (a database row beat re-dispatches) covers both, and a
restart during the delay neither loses the message nor sends it twice.
"""
import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from mailcore import contacts
from mailcore.smtp import scheduled, submission
from mailcore.store.lookup import find_by_message_id
from mailcore.store.messages import store_flags
from webmail.models import preferences_for

from . import drafts

# submit/schedule key their refusals by these; the form names its own fields.
FIELD_OF = {"from": "from_address", "recipients": "to", "rate": None}


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def send(request, draft, raw: bytes, send_at=None, replaces: int | None = None):
    """Send raw now, at send_at, or after the undo delay; raise ValidationError keyed by
    form field. Return the ScheduledMessage row when it waits, else None.

    replaces: the scheduled message this one is an edit of. It is cancelled in the same
    transaction, so either the edit is on its way and the earlier version is not, or
    (it left meanwhile: TooLate) nothing changes."""
    account = request.account
    delay = preferences_for(account).undo_send_seconds
    if send_at is None and delay:
        send_at = timezone.now() + dt.timedelta(seconds=delay)
    try:
        with transaction.atomic():
            if replaces:
                _take_back(account, replaces)
            if send_at is None:
                submission.submit(account, raw, draft.recipients, client_ip=client_ip(request))
                row = None
            else:
                row = scheduled.schedule(account, raw, draft.recipients, send_at, client_ip=client_ip(request))
    except ValidationError as error:
        if isinstance(error, TooLate):
            raise
        raise ValidationError({FIELD_OF.get(key) or "__all__": value
                               for key, value in error.message_dict.items()}) from None
    contacts.remember(account.pk, [*draft.to, *draft.cc, *draft.bcc], sent=True)
    mark_answered(account, draft.in_reply_to)
    return row


class TooLate(ValidationError):
    """The scheduled message being edited has already left (or was cancelled elsewhere)."""


def _take_back(account, pk: int) -> None:
    try:
        scheduled.cancel(account, pk)
    except ValidationError:
        raise TooLate({"__all__": _(
            "The earlier version of this message has already been sent, so this one was not. "
            "Send it again as a new message, or save it as a draft.")}) from None


def mark_answered(account, in_reply_to: str) -> None:
    """Flag the message replied to \\Answered (RFC 9051 §2.3.2), found by its Message-ID.

    A reply reopened from Drafts, or one that waited for the undo delay, still finds
    its original this way. Marked when the user presses Send, as Thunderbird does."""
    if not in_reply_to:
        return
    targets = find_by_message_id(account.pk, in_reply_to, unanswered=True)
    with transaction.atomic():
        for folder_id, uid in targets:
            store_flags(account.pk, folder_id, [uid], ["\\Answered"])


def announce(request, row) -> None:
    """The notice after Send: with an Undo button while the message waits."""
    if row is None:
        messages.success(request, _("Your message was sent."))
        return
    if row.send_at - row.created > dt.timedelta(seconds=60):
        messages.success(request, _("Your message will be sent at %(time)s.")
                         % {"time": timezone.localtime(row.send_at).strftime("%Y-%m-%d %H:%M")})
        return
    # The layout prints notices as text; this one carries its own small form (no script
    # needed to undo). undo-send.js asks for the row's status once the delay is over and
    # takes the notice away when the message has left (or says why it could not).
    seconds_left = max(0.0, (row.send_at - timezone.now()).total_seconds())
    messages.success(request, format_html(
        '<span data-undo-text>{}</span> <form method="post" action="{}" class="undo-send" data-status-url="{}" '
        'data-seconds-left="{}" data-sent-text="{}" data-failed-text="{}"><input type="hidden" '
        'name="csrfmiddlewaretoken" value="{}"><button type="submit" class="button" data-shortcut="z">{}</button>'
        '</form>',
        _("Sending your message…"), reverse("webmail:undo_send", args=[row.pk]),
        reverse("webmail:scheduled_status", args=[row.pk]), f"{seconds_left:.1f}", _("Your message was sent."),
        _("Your message could not be sent:"), get_token(request), _("Undo")))


def undo(request, pk: int) -> int:
    """Take a waiting message back into Drafts; return the draft's UID."""
    raw = scheduled.cancel(request.account, pk)
    return drafts.save(request.account, raw)
