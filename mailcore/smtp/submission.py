"""Message submission (RFC 6409) as a user: the one place its rules live.

SMTP submission (handler.py) and the webmail both come here. The From addresses must be
the account's own or those of its aliases; the account's hourly send rate applies,
counted last, so a refused message uses none of it. `submit` is the webmail's whole send:
recipients checked, Bcc removed from what is sent (RFC 5322 §3.6.3), a Received field,
the queue (durable when it returns), and a copy in the Sent folder.
"""
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mailcore.auth.errors import RateLimited
from mailcore.auth.ratelimit import check_send_rate
from mailcore.delivery import trace
from mailcore.delivery.queue import Envelope, Source, enqueue
from mailcore.mime.fields import parse_fields
from mailcore.mime.structure import split_header

from . import policy
from .originator import originator_refusal

MAX_RECIPIENTS = 1000
# A header field: its first line and any folded continuation lines (RFC 5322 §2.2.3).
_FIELD = re.compile(rb"[^ \t\r\n][^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n)?")
_BCC = re.compile(rb"(?i)bcc[ \t]*:")


class Refused(Exception):
    """A submission refused: `reply` for SMTP, `field` and `message` for a form."""

    def __init__(self, reply: str, field: str, message: str):
        super().__init__(message)
        self.reply, self.field, self.message = reply, field, message


def check(account, raw: bytes, count_rate: bool = True) -> None:
    """Raise Refused unless account may send raw now (its From, then its rate).

    count_rate=False checks the From only (a message scheduled for later counts when it
    leaves)."""
    refusal = originator_refusal(raw)  # exactly one From field (RFC 5322 §3.6)
    if refusal is not None:
        raise Refused(refusal.reply, "from", refusal.message)
    headers = parse_fields(raw[:split_header(raw, 0, len(raw))])
    senders = headers.addresses("from")
    if not senders:
        raise Refused("550 5.6.0 The message has no From header", "from", _("The message has no sender (From)."))
    for _name, address in senders:
        if not policy.may_send_as(account, address):
            raise Refused("553 5.7.1 The From header names an address you may not send as", "from",
                          _("You may not send as %(address)s.") % {"address": address})
    if not count_rate:
        return
    try:
        check_send_rate(account)
    except RateLimited as error:
        raise Refused(f"451 4.7.1 {error.message}", "rate", error.message) from None


def without_bcc(raw: bytes) -> bytes:
    """raw with its Bcc fields removed, everything else byte for byte: the recipients must
    not see who else got it."""
    end = split_header(raw, 0, len(raw))
    pieces, position = [], 0
    for match in _FIELD.finditer(raw, 0, end):
        if _BCC.match(match.group(0)):
            pieces.append(raw[position:match.start()])
            position = match.end()
    return b"".join(pieces) + raw[position:] if pieces else raw


def check_recipients(recipients: list[str]) -> tuple[list[str], dict]:
    """The canonical recipients and their kinds, or ValidationError keyed "recipients"."""
    if not recipients:
        raise ValidationError({"recipients": _("Give at least one recipient.")})
    if len(recipients) > MAX_RECIPIENTS:
        raise ValidationError({"recipients": _("At most %(count)d recipients.") % {"count": MAX_RECIPIENTS}})
    accepted, kinds = [], {}
    for address in recipients:
        verdict = policy.check_recipient(address, may_relay=True)
        if verdict.reply:
            raise ValidationError({"recipients": _("%(address)s cannot receive mail: %(reason)s")
                                   % {"address": address, "reason": verdict.reply[10:]}})
        if verdict.address not in kinds:
            accepted.append(verdict.address)
            kinds[verdict.address] = (verdict.kind, verdict.domain)
    return accepted, kinds


def submit(account, raw: bytes, recipients: list[str], *, client_ip: str | None = None,
           sent_folder: bool = True) -> int:
    """Send raw from account to recipients; return the queue id. Blocking.

    Raises ValidationError keyed "recipients", "from" or "rate" when refused; nothing is
    queued or stored then.
    """
    accepted, kinds = check_recipients(recipients)
    try:
        check(account, raw)
    except Refused as refusal:
        raise ValidationError({refusal.field: refusal.message}) from None
    mail_from = str(policy.parse_path(parse_fields(raw[:split_header(raw, 0, len(raw))]).addresses("from")[0][1]))
    header = trace.received(helo="webmail", client_ip=client_ip, hostname=settings.HOPTHU_HOSTNAME, protocol="HTTP",
                            queue_id="webmail", recipient=accepted[0] if len(accepted) == 1 else None)
    queue_id = enqueue(header + without_bcc(raw), Envelope(
        mail_from=mail_from, recipients=accepted, source=Source.WEBMAIL, account_id=account.pk,
        client_ip=client_ip, helo="webmail", smtputf8=not raw.isascii(), kinds=kinds))
    if sent_folder:
        _keep_sent_copy(account, raw)
    return queue_id


def _keep_sent_copy(account, raw: bytes) -> None:
    """The sender's copy keeps its Bcc, as mail clients keep it. The mail is already sent:
    a full mailbox must not undo that, so a refused copy is logged, not raised."""
    import logging

    from mailcore.store.append import append
    from mailcore.store.errors import StoreError
    from mailcore.store.lookup import special_folder

    folder = special_folder(account.pk, "\\Sent")
    try:
        append(account.pk, folder.name if folder else "Sent", raw, flags=["\\Seen"])
    except StoreError:
        logging.getLogger(__name__).warning("No Sent copy for account %s: the store refused it", account.pk)
