"""Compose's starting point: new, reply, reply-all, forward, or a draft reopened."""
import re

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from mailcore.smtp import policy

from . import parsing

SIGNATURE_SEPARATOR = "-- \n"  # RFC 3676 §4.3: dash dash space on a line of its own
_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def signature_block(account_preferences) -> str:
    signature = account_preferences.signature.strip("\n")
    return f"\n\n{SIGNATURE_SEPARATOR}{signature}\n" if signature else ""


def new(account, preferences) -> dict:
    return {"from_address": account.address.lower(), "body": signature_block(preferences)}


def prefixed(prefix: str, subject: str) -> str:
    """"Re: x" once, however many Re:/Fwd:/AW: the original already had."""
    return f"{prefix} {_PREFIX.sub('', subject).strip()}".strip()


def _when(message) -> str:
    """The original's Date in the reader's zone; "" when it has none that can be read.

    parsing.date is always aware: "-0000" (RFC 5322 §3.3, what Python's formatdate
    writes) once gave a naive datetime here, and localtime() made every reply a 500.
    """
    date = parsing.date(message)
    return formats.date_format(timezone.localtime(date), "DATETIME_FORMAT") if date else ""


def _quote(message, text: str) -> str:
    when = _when(message)
    sender = parsing.format_addresses(parsing.addresses(message, "from")) or _("unknown sender")
    lines = "\n".join("> " + line if line else ">" for line in text.rstrip("\n").split("\n"))
    intro = _("On %(date)s, %(sender)s wrote:") % {"date": when, "sender": sender} if when else \
        _("%(sender)s wrote:") % {"sender": sender}
    return f"{intro}\n{lines}\n"


def _own(account) -> set[str]:
    return policy.sender_addresses(account)


def _answer_from(account, message) -> str:
    """Reply from the address the message was sent to, when it is one of ours."""
    own = _own(account)
    for _name, address in (*parsing.addresses(message, "to"), *parsing.addresses(message, "cc")):
        if address.lower() in own:
            return address.lower()
    return account.address.lower()


def reply(account, preferences, message, everyone: bool = False) -> dict:
    """RFC 5322 §3.6.4: In-Reply-To is the original's Message-ID, References its
    References (or In-Reply-To) followed by that id; replies go to Reply-To if set."""
    message_id = parsing.identifiers(message, "message-id")
    references = parsing.identifiers(message, "references") or parsing.identifiers(message, "in-reply-to")
    to = parsing.addresses(message, "reply-to") or parsing.addresses(message, "from")
    cc = []
    if everyone:
        own = _own(account)
        seen = {address.lower() for _name, address in to}
        for name, address in (*parsing.addresses(message, "to"), *parsing.addresses(message, "cc")):
            if address.lower() not in own and address.lower() not in seen:
                seen.add(address.lower())
                cc.append((name, address))
        to = [pair for pair in to if pair[1].lower() not in own] or to
    return {
        "from_address": _answer_from(account, message),
        "to": parsing.format_addresses(to),
        "cc": parsing.format_addresses(cc),
        "subject": prefixed("Re:", parsing.subject(message)),
        "body": "\n\n" + _quote(message, parsing.body_text(message)) + signature_block(preferences),
        "in_reply_to": message_id,
        "references": f"{references} {message_id}".strip(),
    }


def forward(account, preferences, message) -> dict:
    """Forwarded inline: the text quoted under a header block, attachments carried along
    (the view lists them as kept). References links it to the thread; no In-Reply-To,
    so the original is not marked \\Answered."""
    message_id = parsing.identifiers(message, "message-id")
    header = "\n".join([
        _("---------- Forwarded message ----------"),
        _("From: %(value)s") % {"value": parsing.format_addresses(parsing.addresses(message, "from"))},
        _("Date: %(value)s") % {"value": _when(message) or parsing.field_text(message, "date")},
        _("Subject: %(value)s") % {"value": parsing.subject(message)},
        _("To: %(value)s") % {"value": parsing.format_addresses(parsing.addresses(message, "to"))},
    ])
    return {
        "from_address": _answer_from(account, message),
        "subject": prefixed("Fwd:", parsing.subject(message)),
        "body": f"\n\n{header}\n\n{parsing.body_text(message).rstrip()}\n" + signature_block(preferences),
        "references": message_id,
    }


def draft(message) -> dict:
    """A draft reopened: its fields as they were saved."""
    senders = parsing.addresses(message, "from")
    html = parsing.body_html(message)
    return {
        "from_address": senders[0][1].lower() if senders else "",
        "to": parsing.format_addresses(parsing.addresses(message, "to")),
        "cc": parsing.format_addresses(parsing.addresses(message, "cc")),
        "bcc": parsing.format_addresses(parsing.addresses(message, "bcc")),
        "subject": parsing.subject(message),
        "body": parsing.body_text(message),
        "html": html,
        "in_reply_to": parsing.identifiers(message, "in-reply-to"),
        "references": parsing.identifiers(message, "references"),
    }
