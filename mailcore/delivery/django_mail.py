"""Django email backend that hands mail to HopThu's own queue.

Mail Django sends (allauth's password reset links, admin notices) is queued like any
other message: local recipients are delivered by local.py, remote ones by the outbound
queue, never through an SMTP hop to some other server. It is signed with the DKIM key of
its From domain when that domain is hosted here, so receivers can trust the link in it.
"""
import logging
from email.utils import make_msgid, parseaddr

from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from mailcore.mime.dkim import sign

from .models import QueuedMessage
from .queue import Envelope, enqueue_batch, recipient_kind

log = logging.getLogger(__name__)


class EmailBackend(BaseEmailBackend):
    """Queue each EmailMessage durably; return how many were queued."""

    def send_messages(self, email_messages):
        items = []
        for message in email_messages:
            try:
                items.append(self._queue_item(message))
            except (ValidationError, ValueError) as error:
                # A bad address or header: Django's contract is to raise unless told not to.
                if not self.fail_silently:
                    raise
                log.warning("Django mail not queued: %s", error)
        items = [item for item in items if item is not None]
        if items:
            enqueue_batch(items)
        return len(items)

    @staticmethod
    def _queue_item(message) -> tuple[bytes, Envelope] | None:
        recipients = message.recipients()
        if not recipients:
            return None
        sender = parseaddr(str(message.from_email))[1]
        domain = sender.rpartition("@")[2].lower()
        if domain and not any(name.lower() == "message-id" for name in message.extra_headers):
            # Django would name the machine (often "localhost"), which spam filters dislike.
            message.extra_headers["Message-ID"] = make_msgid(domain=domain)
        # message() refuses CR/LF in headers (BadHeaderError, a ValueError).
        raw = message.message().as_bytes(linesep="\r\n")
        if domain:
            raw = sign(raw, domain)  # unchanged when the domain is not hosted here
        # Recipients may carry display names ("Bob <bob@example.test>"); the envelope wants the
        # bare address, and an unparsable one raises here, before anything is written.
        addresses = list(dict.fromkeys(parseaddr(str(r))[1] for r in recipients))
        kinds = {address: recipient_kind(address) for address in addresses}
        envelope = Envelope(mail_from=sender, recipients=addresses, source=QueuedMessage.Source.SYSTEM,
                            smtputf8=not raw.isascii() or not all(a.isascii() for a in addresses), kinds=kinds)
        return raw, envelope
