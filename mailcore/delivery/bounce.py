"""Bounces: a delivery status notification (RFC 3464) to the sender of failed mail.

Queued like any other message, with the null reverse-path so that a bounce never
bounces (RFC 5321 §4.5.5), and in the same transaction as the failure it reports.
"""
import re
from collections import Counter, defaultdict

from mailcore.stats import counts
from mailcore.store import blobs

from .dsn import build_dsn, should_bounce
from .models import QueuedMessage
from .outbound.result import Result
from .queue import Envelope, enqueue_batch

_REPLY_RE = re.compile(r"^([245]\d\d)(?:[ -]+([245]\.\d{1,3}\.\d{1,3}))?\s*(.*)$", re.DOTALL)


def split_reply(text: str) -> tuple[int, str, str]:
    """("550 5.1.1 No such mailbox") -> (550, "5.1.1", "No such mailbox")."""
    match = _REPLY_RE.match(text.strip())
    if not match:
        return 554, "5.0.0", text.strip()
    code, enhanced, rest = match.groups()
    return int(code), enhanced or f"{code[0]}.0.0", rest.strip()


def bounce(failed_recipients, results: dict | None = None) -> int:
    """Queue one DSN per message for its failed recipients; return how many were queued.

    results: {recipient id: the outbound Result of this attempt}, which knows the remote
    MTA that answered (RFC 3464 §2.3.5); a recipient without one is reported from its
    stored reply (a local delivery, or a decision made here)."""
    counts.count_after_commit(Counter((_owner_domain(r), counts.Kind.BOUNCED) for r in failed_recipients))
    by_message = defaultdict(list)
    for recipient in failed_recipients:
        by_message[recipient.message].append(recipient)
    items = []
    for message, recipients in by_message.items():
        if message.source == QueuedMessage.Source.BOUNCE or not should_bounce(message.mail_from):
            continue
        failures = [(r.address, _failure(r, results or {})) for r in recipients]
        report = build_dsn(blobs.read(message.blob.digest), message.mail_from, failures,
                           arrival_date=message.received_at)
        items.append((report, Envelope(mail_from="", recipients=[message.mail_from],
                                       source=QueuedMessage.Source.BOUNCE)))
    if items:
        enqueue_batch(items)
    return len(items)


def _failure(recipient, results: dict) -> Result | tuple[int, str, str]:
    result = results.get(recipient.pk)
    return result if isinstance(result, Result) else split_reply(recipient.last_result)


def _owner_domain(recipient) -> str:
    """Whose failure it is: the sender's domain for remote mail (its own user's mail did not
    arrive), the recipient's for local mail (mail to it was given up)."""
    if recipient.kind == "remote":
        return recipient.message.mail_from.rpartition("@")[2]
    return recipient.domain
