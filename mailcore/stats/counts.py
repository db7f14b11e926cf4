"""Count mail events per domain per day: one upsert per (domain, kind) per batch, never a
read-modify-write.

Delivery code counts *after* its commit (count_after_commit): a counting failure is
logged and can never roll back or fail a delivery, and the DailyCount row is locked
only for its own short UPDATE, not across the mail transaction's fsync (on PostgreSQL
concurrent batches of one domain would otherwise queue behind each other). The price
is one small extra write per batch, and a crash between the two commits loses that
batch's count: these are statistics, not mail. docs/panel-activity.md.
"""
import logging
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import DailyCount

Kind = DailyCount.Kind
log = logging.getLogger(__name__)


def count(domain: str, kind: str, n: int = 1, day=None) -> None:
    """Add n to (domain, day, kind). `domain` is the A-label; day defaults to today (UTC)."""
    if not domain or n <= 0:
        return
    day = day or timezone.now().date()
    domain = domain.lower()
    updated = DailyCount.objects.filter(domain=domain, day=day, kind=kind).update(count=F("count") + n)
    if not updated:
        _, created = DailyCount.objects.get_or_create(domain=domain, day=day, kind=kind, defaults={"count": n})
        if not created:  # another process created it between our update and insert
            DailyCount.objects.filter(domain=domain, day=day, kind=kind).update(count=F("count") + n)


def count_many(tallies: Counter) -> None:
    """Add each {(domain, kind): n} in one short transaction."""
    if not tallies:
        return
    with transaction.atomic():
        for (domain, kind), n in sorted(tallies.items()):  # sorted: a fixed lock order
            count(domain, kind, n)


def hosted_tallies(tallies: Counter) -> Counter:
    """Keep hosted domains only, under the domain's own name (a domain alias counts for its
    target), so a stranger's made-up domains never grow the table."""
    from mailcore.directory.lookup import hosted_domain

    kept = Counter()
    for (name, kind), n in tallies.items():
        domain = hosted_domain(name.lower()) if name else None
        if domain is not None:
            kept[(domain.name, kind)] += n
    return kept


def count_safely(tallies: Counter) -> None:
    """count_many over the hosted domains, logging instead of raising: statistics never fail mail."""
    try:
        count_many(hosted_tallies(tallies))
    except Exception:
        log.exception("could not record mail statistics %s", dict(tallies))


def count_after_commit(tallies: Counter) -> None:
    """Count once the current transaction commits (at once outside one); never raises."""
    if tallies:
        tallies = Counter(tallies)  # the caller may reuse its counter
        transaction.on_commit(lambda: count_safely(tallies))
