"""Local delivery: queued local recipients → alias expansion and forwards → the account's
rules (rules.py) → INBOX or the folder they chose.

A batch of due recipients is delivered in one transaction with their status change, so
after a crash a recipient is either delivered and marked, or neither: never twice.
Trace fields (Return-Path, Delivered-To) are per copy; every copy shares the queued blob.
"""
import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from mailcore.directory.lookup import hosted_domain
from mailcore.dnsguide.records import REPORTS_LOCALPART
from mailcore.filters import run_filters
from mailcore.filters.junk import junk_accounts
from mailcore.reports.intake import record as record_reports
from mailcore.stats import counts
from mailcore.store import blobs
from mailcore.store.append import Target, prepare_batch, write_batch
from mailcore.store.errors import StoreError

from . import rules, trace
from .expand import expand, mailbox_of
from .models import QueuedMessage, QueueRecipient
from .queue import Envelope, enqueue_batch
from .user_rules import MailView, RuleBook
from .vacation import Delivered, reply_after_delivery

log = logging.getLogger(__name__)
Status = QueueRecipient.Status


DUE = [Status.QUEUED, Status.DEFERRED]


def deliver_due_local(limit: int = 100) -> int:
    """Deliver up to `limit` due local recipients; return how many were handled.

    The reading half (expansion, blobs, parsing) runs before the write transaction, so
    the database's single writer (SQLite) is held only for the writes. In the
    transaction the recipients are checked to be still due (another node may have taken
    them: then this round is dropped and planned again).
    """
    now = timezone.now()
    due = list(
        QueueRecipient.objects.filter(kind=QueueRecipient.Kind.LOCAL, status__in=DUE, next_attempt__lte=now)
        .select_related("message__blob").order_by("id")[:limit]
    )
    if not due:
        return 0
    by_message = defaultdict(list)
    for recipient in due:
        by_message[recipient.message].append(recipient)
    outcome = _Outcome(now)
    expansions = {}  # one round delivers many messages to the same few addresses
    for recipient in due:
        _expansion(recipient, expansions)
    # Every account's rules in one query for the round, not one per recipient.
    book = RuleBook({account for expansion in expansions.values() for account in expansion.accounts})
    items, owners = [], []
    reports = []  # mail to a domain's report address (postmaster@): read after the commit
    for message, recipients in by_message.items():
        raw = blobs.read(message.blob.digest)
        if _may_be_report(raw):
            reports.append((raw, recipients))
        targets, target_owners = _plan(message, raw, recipients, outcome, expansions, book)
        if targets:
            items.append((raw, targets))
            owners.append((targets, target_owners))
    # The size limit is the queue's entry's (SMTP SIZE, the webmail): mail accepted at it
    # has gained a Received and an Authentication-Results field since, and must still be
    # delivered (RFC 1870 §6.2, RFC 5321 §6.1: accepted is our responsibility).
    prepared = prepare_batch(items, limit_size=False)
    with transaction.atomic():
        ids = [recipient.pk for recipient in due]
        still_due = set(
            QueueRecipient.objects.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
            .filter(pk__in=ids, status__in=DUE, next_attempt__lte=now).values_list("pk", flat=True)
        )
        if still_due != set(ids):
            return len(due)  # taken meanwhile: plan again
        results = write_batch(prepared, skip_over_quota=True) if prepared else []
        in_inbox = []
        for target_results, (raw, _targets), (targets, target_owners) in zip(results, items, owners, strict=True):
            for result, target, recipients_of_target in zip(target_results, targets, target_owners, strict=True):
                if isinstance(result, StoreError):
                    outcome.mailbox_failed(recipients_of_target, target, f"452 4.2.2 {result}")
                    continue
                # A rule's forwards leave with the stored copy, not before: a copy retried
                # later (a full mailbox) forwards once, when it is finally stored.
                _forward_by_rule(recipients_of_target[0].message, raw, target.mailbox_address, target.forwards,
                                 outcome)
                if target.folder == "INBOX":
                    in_inbox.append(Delivered(raw, recipients_of_target[0].message.mail_from, target.account_id))
        outcome.save(due)
    # After the commit, so an auto-reply never delays, fails or repeats a delivery.
    reply_after_delivery(in_inbox)
    _record_reports(reports)
    return len(due)


def _may_be_report(raw: bytes) -> bool:
    """Cheap first look: a report is addressed to postmaster@ (the rua= of dnsguide)."""
    header = raw[:raw.find(b"\r\n\r\n")] if b"\r\n\r\n" in raw else raw[:65536]
    return REPORTS_LOCALPART.encode() + b"@" in header.lower()


def _record_reports(reports):
    """DMARC and TLS reports about our domains (mailcore/reports), from delivered mail."""
    for raw, recipients in reports:
        if not any(recipient.status == Status.DELIVERED for recipient in recipients):
            continue
        try:
            record_reports(raw)
        except Exception:  # a report is information; it must never undo or repeat a delivery
            log.exception("reading the reports in a message to %s failed", recipients[0].address)


class _Outcome:
    """What happened to each recipient of the batch; delivered unless said otherwise."""

    def __init__(self, now):
        self.now = now
        self.results: dict[int, tuple[str, str]] = {}
        self.forwards: list[tuple[bytes, Envelope]] = []
        self.retries: list[QueueRecipient] = []
        self.reached: dict[int, set[int]] = {}  # recipient id -> the accounts it expanded to
        self.spam: set[tuple[int, str]] = set()  # (message id, domain) put in Junk by its score

    def done(self, recipient, text):
        self.results[recipient.pk] = (Status.DELIVERED, text)

    def fail(self, recipient, text):
        self.results[recipient.pk] = (Status.FAILED, text)

    def defer(self, recipient, text):
        if self.results.get(recipient.pk, (None,))[0] == Status.FAILED:
            return
        expiry = recipient.message.received_at + timedelta(seconds=settings.HOPTHU_QUEUE_LIFETIME_SECONDS)
        if self.now >= expiry:
            self.results[recipient.pk] = (Status.FAILED, text + " (gave up: the message expired in the queue)")
        else:
            self.results[recipient.pk] = (Status.DEFERRED, text)

    def mailbox_failed(self, recipients, target: Target, text: str):
        """One mailbox refused its copy (full). A recipient that reached only this mailbox is
        deferred; for one that reached others too (an alias), only this mailbox is retried,
        so the mailboxes that have their copy never get a second one."""
        for recipient in recipients:
            if recipient.mailbox_only or self.reached_only(recipient, target):
                self.defer(recipient, text)
                return
        first = recipients[0]
        self.retries.append(QueueRecipient(
            message=first.message, address=target.mailbox_address, kind=QueueRecipient.Kind.LOCAL,
            domain=first.domain, status=Status.DEFERRED, attempts=1, mailbox_only=True,
            next_attempt=self.now + retry_delay(1), last_result=text,
        ))

    def reached_only(self, recipient, target) -> bool:
        return self.reached.get(recipient.pk) == {target.account_id}

    def save(self, due):
        # One UPDATE per outcome rather than per recipient: most rounds are all "delivered".
        groups = defaultdict(list)
        for recipient in due:
            status, text = self.results.get(recipient.pk, (Status.DELIVERED, "250 2.0.0 delivered"))
            recipient.status, recipient.last_result = status, text
            recipient.attempts += 1
            if status == Status.DEFERRED:
                recipient.next_attempt = self.now + retry_delay(recipient.attempts)
            else:
                recipient.finished_at = self.now
            groups[(status, text, recipient.attempts, recipient.next_attempt, recipient.finished_at)].append(
                recipient.pk)
        for (status, text, attempts, next_attempt, finished_at), ids in groups.items():
            QueueRecipient.objects.filter(pk__in=ids).update(
                status=status, last_result=text, attempts=attempts, next_attempt=next_attempt,
                finished_at=finished_at)
        QueueRecipient.objects.bulk_create(self.retries)
        # Spam is counted once per message per domain, with the delivery that sorted it.
        counts.count_after_commit(Counter((domain, counts.Kind.SPAM) for _message, domain in self.spam))
        if self.forwards:
            enqueue_batch(self.forwards)
        failed = [r for r in due if r.status == Status.FAILED]
        if failed:
            from .bounce import bounce

            bounce(failed)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 5 minutes, doubling, at most 4 hours between tries."""
    return timedelta(seconds=min(300 * 2 ** max(attempts - 1, 0), 4 * 3600))


@dataclass(frozen=True)
class _MailboxTarget(Target):
    mailbox_address: str = ""  # the address the mailbox was reached as
    forwards: tuple = ()  # addresses the account's rules send this copy on to


def _expansion(recipient, expansions: dict):
    key = (recipient.address, recipient.mailbox_only)
    if key not in expansions:
        expansions[key] = mailbox_of(recipient.address) if recipient.mailbox_only else expand(recipient.address)
    return expansions[key]


def _plan(message: QueuedMessage, raw: bytes, recipients, outcome: _Outcome, expansions: dict, book: RuleBook):
    """Return the store targets of one message and, for each, the recipients it serves."""
    if trace.hop_count(raw) > trace.MAX_HOPS:
        for recipient in recipients:
            outcome.fail(recipient, "554 5.4.6 too many hops: a mail loop")
        return [], []
    verdict = run_filters(raw, message.mail_from, [r.address for r in recipients])
    if verdict.action == "reject":
        for recipient in recipients:
            outcome.fail(recipient, f"550 5.7.1 refused by a filter: {verdict.reason}")
        return [], []
    if verdict.action == "discard":
        for recipient in recipients:
            outcome.done(recipient, f"250 2.0.0 discarded by a filter: {verdict.reason}")
        return [], []
    filter_fields = b"".join(verdict.headers)
    view = MailView(raw, message.size)
    already = trace.delivered_to(raw)
    by_account: dict[int, list] = {}
    fields: dict[int, bytes] = {}
    reached: dict[int, str] = {}
    forwarded: dict[str, str] = {}
    for recipient in recipients:
        expansion = _expansion(recipient, expansions)
        outcome.reached[recipient.pk] = set(expansion.accounts)
        if expansion.empty:
            outcome.fail(recipient, "550 5.1.1 no such mailbox here any more")
            continue
        looped = [reached for reached in expansion.accounts.values() if reached.lower() in already]
        if looped:
            outcome.fail(recipient, f"554 5.4.6 mail loop: already delivered to {looped[0]}")
            continue
        for account_id, reached_as in expansion.accounts.items():
            by_account.setdefault(account_id, []).append(recipient)
            fields.setdefault(account_id, trace.return_path(message.mail_from) + trace.delivered_to_field(reached_as)
                              + filter_fields)
            reached.setdefault(account_id, reached_as)
        for address in expansion.external:
            forwarded.setdefault(address, expansion.forwarded_by[address])
    if forwarded:
        _forward(message, raw, forwarded, outcome)
    targets, owners, discarded = [], [], set()
    junked = junk_accounts(message.spam_score, by_account)  # by each account's domain's junk_score
    outcome.spam.update((message.pk, domain) for domain in junked.values())
    for account_id, recipients_of_account in by_account.items():
        plan = rules.plan_copy(account_id, view, book, junk=verdict.action == "junk" or account_id in junked)
        forwards = tuple(address for address in plan.forwards if address.lower() not in already)
        if plan.discard:
            discarded.add(account_id)
            _forward_by_rule(message, raw, reached[account_id], forwards, outcome)
            continue
        targets.append(_MailboxTarget(account_id, plan.folder, plan.flags, trace=fields[account_id],
                                      mailbox_address=reached[account_id], forwards=forwards))
        owners.append(recipients_of_account)
    for recipient in recipients:
        reached_accounts = outcome.reached.get(recipient.pk)
        if recipient.pk not in outcome.results and reached_accounts and reached_accounts <= discarded:
            outcome.done(recipient, "250 2.0.0 discarded by the mailbox's rules")
    return targets, owners


def _forward_by_rule(message: QueuedMessage, raw: bytes, via: str, addresses: tuple, outcome: _Outcome):
    """Queue a rule's forwards of one account's copy, like a directory forward (SRS sender,
    Delivered-To of the forwarding address). Addresses the message already passed through
    were dropped by the caller: with the next hop's Delivered-To check, rules forwarding
    to each other cannot loop."""
    if addresses:
        _forward(message, raw, dict.fromkeys(addresses, via), outcome)


def _domain_of(address: str) -> str:
    """The hosted domain (A-label) an address forwards for; a domain alias's target."""
    domain = hosted_domain(address.rpartition("@")[2].lower())
    return domain.name if domain is not None else ""


def _forward(message: QueuedMessage, raw: bytes, forwarded: dict[str, str], outcome: _Outcome):
    """Queue forwarded copies, each marked Delivered-To by the local address that forwards it
    (the loop check of the next hop), with an SRS sender so SPF passes (srs.py)."""
    from .forward_limits import forward_delay
    from .srs import forward_sender

    by_forwarder = defaultdict(list)
    for address, via in forwarded.items():
        by_forwarder[via].append(address)
    for via, addresses in by_forwarder.items():
        domain = _domain_of(via)
        delay = forward_delay(via, domain, len(addresses))  # over the hourly rate: deferred, not lost
        envelope = Envelope(
            mail_from=forward_sender(message.mail_from, message.source), recipients=addresses,
            source=QueuedMessage.Source.FORWARD, smtputf8=message.smtputf8, owner_domain=domain,
            delay=delay, delay_reason="451 4.7.1 deferred: over the forwarding rate of this address or domain"
            if delay else "",
        )
        outcome.forwards.append((trace.delivered_to_field(via) + raw, envelope))
