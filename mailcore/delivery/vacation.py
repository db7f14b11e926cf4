"""Vacation: the automatic reply an account sends while away (RFC 3834, after RFC 5230).

Local delivery calls `reply_after_delivery` once a batch is committed, for the copies
that went to an INBOX. A reply goes out only to a person who wrote to this account
directly, at most once per sender per `interval_days`, never to anything automatic
(bounces, lists, bulk mail, robots, other auto-replies) and never to the account itself,
so two vacation responders cannot talk to each other forever. The reply goes through
the queue with the null reverse-path, so that nothing answers or bounces it back
(RFC 3834 §3.3).
"""
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.utils import format_datetime, make_msgid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mailcore.directory.addresses import Address, parse_address
from mailcore.directory.lookup import canonical_local
from mailcore.directory.models import AliasTarget
from mailcore.mime.dkim import sign
from mailcore.mime.headers import decode_words

from . import trace
from .models import QueuedMessage, VacationLog, VacationReply
from .queue import Envelope, enqueue

log = logging.getLogger(__name__)

# RFC 5230 §4.6: replies must not go to senders that are robots or lists; these local
# parts are the usual ones (RFC 2142 roles, list managers' conventions).
ROBOT_LOCALPARTS = {"mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply",
                    "listserv", "majordomo", "bounce", "bounces"}
ROBOT_PREFIXES = ("owner-", "bounce-", "bounces+", "bounce+")
ROBOT_SUFFIXES = ("-request", "-owner", "-bounces", "-bounce")
# RFC 3834 §2 and RFC 2076: Precedence values mail software uses for mass mail.
BULK_PRECEDENCE = {"bulk", "junk", "list"}
MAX_SUBJECT = 200  # characters of the original subject quoted in "Auto: ..."
MAX_OWN_CHECKS = 50  # To/Cc addresses looked at: a 10,000-address Cc must not cost 10,000 lookups
_WORD_RE = re.compile(r"[^\s;]+")


@dataclass(frozen=True)
class Delivered:
    """One copy local delivery put in an account's INBOX."""

    raw: bytes
    mail_from: str
    account_id: int


def reply_after_delivery(deliveries: list[Delivered]) -> int:
    """Send the replies these deliveries call for; return how many were queued.

    Called after the delivery committed: the mail is delivered whatever happens here,
    so an error is logged and never raised into local delivery.
    """
    if not deliveries:
        return 0
    try:
        vacations = {v.account_id: v for v in VacationReply.objects.filter(
            account_id__in={d.account_id for d in deliveries}, enabled=True).select_related("account__domain")}
    except Exception:
        log.exception("vacation replies skipped: the settings could not be read")
        return 0
    sent = 0
    for delivery in deliveries:
        vacation = vacations.get(delivery.account_id)
        if vacation is None:
            continue
        try:
            sent += respond(vacation, delivery.raw, delivery.mail_from)
        except Exception:
            log.exception("vacation reply of account %s failed", delivery.account_id)
    return sent


def respond(vacation: VacationReply, raw: bytes, mail_from: str, now=None) -> bool:
    """Queue vacation's reply to one delivered message if the rules allow; True if queued."""
    now = now or timezone.now()
    headers = trace.parsed_header(raw)
    reason = refusal(vacation, headers, mail_from, now)
    if reason:
        log.debug("no vacation reply from account %s: %s", vacation.account_id, reason)
        return False
    sender = str(parse_address(mail_from, allow_quoted=True))
    if not _claim(vacation, sender, now):
        return False
    reply = build_reply(vacation, headers, sender, now)
    enqueue(reply, Envelope(mail_from="", recipients=[sender], source=QueuedMessage.Source.AUTO_REPLY,
                            account_id=vacation.account_id, smtputf8=not reply.isascii()))
    return True


def refusal(vacation: VacationReply, headers, mail_from: str, now) -> str:
    """Why no reply may be sent ("" when one may): each rule, in the order it is cheapest."""
    if not vacation.enabled:
        return "off"
    today = timezone.localdate(now)
    if (vacation.start_date and today < vacation.start_date) or (vacation.end_date and today > vacation.end_date):
        return "outside the dates"
    # RFC 3834 §3.3 / RFC 5321 §4.5.5: mail from <> is a bounce or a report; never answer it.
    if not mail_from.strip("<> "):
        return "null sender"
    if auto_submitted(headers):
        return "automatic message"
    if is_list_or_bulk(headers):
        return "list or bulk mail"
    try:
        sender = parse_address(mail_from, allow_quoted=True)
    except ValidationError:
        return "unparsable sender"
    authors = [sender, *_parsed(headers.addresses("from"))]
    if any(is_robot(address) for address in authors):
        return "robot sender"
    account = Address(vacation.account.localpart, vacation.account.domain.name)
    if any(is_own(account, address) for address in authors):
        return "sent by the account itself"
    # RFC 3834 §2: reply only when the account is named as a recipient, not to mail that
    # reached it through a list, a Bcc or a catch-all it never gave out.
    recipients = _parsed(headers.addresses("to") + headers.addresses("cc"))[:MAX_OWN_CHECKS]
    if not any(is_own(account, address) for address in recipients):
        return "not addressed to the account"
    return ""


def auto_submitted(headers) -> bool:
    """RFC 3834 §5: any Auto-Submitted value but "no" marks an automatic message; also
    Microsoft's X-Auto-Response-Suppress asking for no out-of-office replies."""
    for value in headers.get_all("auto-submitted") or []:
        words = _WORD_RE.findall(value.lower())
        if words and words[0] != "no":
            return True
    suppress = " ".join(headers.get_all("x-auto-response-suppress") or []).lower()
    return "oof" in suppress or "all" in suppress


def is_list_or_bulk(headers) -> bool:
    """Mailing list fields (RFC 2369 List-*, RFC 2919 List-Id) or a bulk Precedence."""
    if any(name.lower().startswith("list-") for name, _value in headers.fields):
        return True
    precedence = (headers.get("precedence") or "").strip().lower()
    return precedence in BULK_PRECEDENCE


def is_robot(address: Address) -> bool:
    localpart = address.localpart.lower()
    return (localpart in ROBOT_LOCALPARTS or localpart.startswith(ROBOT_PREFIXES)
            or localpart.endswith(ROBOT_SUFFIXES))


def is_own(account: Address, address: Address) -> bool:
    """Whether address is the account's: its own (at any domain alias) or an alias naming it.

    A catch-all is not: mail to an address the account never gave out is not addressed to it.
    """
    local = canonical_local(address)
    if local is None or local.is_catchall:
        return False
    if local == account:
        return True
    targets = AliasTarget.objects.filter(alias__domain__name=local.domain, alias__localpart=local.localpart,
                                         alias__active=True).values_list("address", flat=True)
    for target in targets:
        try:
            if canonical_local(parse_address(target, allow_quoted=True)) == account:
                return True
        except ValidationError:
            continue
    return False


def _parsed(pairs) -> list[Address]:
    addresses = []
    for _name, text in pairs:
        try:
            addresses.append(parse_address(text, allow_quoted=True))
        except ValidationError:
            continue
    return addresses


def _claim(vacation: VacationReply, sender: str, now) -> bool:
    """Record a reply to sender unless one went out within the interval; True if this one may go.

    A conditional UPDATE, else an INSERT that the unique constraint guards: two delivery
    workers handling two messages of one sender at once cannot both reply.
    """
    cutoff = now - timedelta(days=max(vacation.interval_days, 1))
    key = sender.lower()
    if VacationLog.objects.filter(account_id=vacation.account_id, sender=key, replied_at__lt=cutoff).update(
            replied_at=now):
        return True
    try:
        with transaction.atomic():
            VacationLog.objects.create(account_id=vacation.account_id, sender=key, replied_at=now)
    except IntegrityError:
        return False  # replied within the interval
    return True


def build_reply(vacation: VacationReply, headers, sender: str, now) -> bytes:
    """The reply (RFC 3834 §3): From the account, Auto-Submitted: auto-replied, threaded."""
    account = vacation.account
    # Folded or encoded line breaks in the original must not become header lines here.
    original = " ".join(decode_words(headers.get("subject") or "").split())[:MAX_SUBJECT]
    message = EmailMessage(policy=SMTP if sender.isascii() and account.address.isascii() else SMTPUTF8)
    message["From"] = _address_field(account.display_name, account.address)
    message["To"] = sender
    # RFC 3834 §3.1.5 suggests "Auto:" before the original subject.
    message["Subject"] = vacation.subject.strip() or f"Auto: {original}".strip()
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=account.domain.name)
    message_id = " ".join((headers.get("message-id") or "").split())
    if message_id:  # RFC 3834 §3.1.4 and §3.1.5
        message["In-Reply-To"] = message_id
        references = " ".join((headers.get("references") or "").split())
        message["References"] = f"{references} {message_id}".strip()
    message["Auto-Submitted"] = "auto-replied"  # RFC 3834 §5.1
    message.set_content(vacation.body or "")
    raw = message.as_bytes()
    return sign(raw, account.domain.name)


def _address_field(name: str, address: str) -> str:
    localpart, _at, domain = address.rpartition("@")
    return str(HeaderAddress(display_name=name, username=localpart, domain=domain))
