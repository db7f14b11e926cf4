"""The dashboard's figures, scoped to the admin's domains. Each takes a fixed number of
queries however many domains and accounts there are (tests/panel/test_dashboard_queries.py):
aggregates, never a query per domain.
"""
from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from mailcore.delivery import queue_admin
from mailcore.delivery.models import QueueRecipient
from mailcore.directory.models import Account, Alias
from mailcore.dnsguide.models import DnsCheck
from mailcore.service.disk import database_bytes
from mailcore.stats.series import daily_series
from mailcore.store.usage import blob_bytes

from ..activity.scope import visible_recipients

SHOWN_DOMAINS = 5  # domains named in one DNS warning; the rest are counted


@dataclass(frozen=True)
class Directory:
    domains: int
    disabled_domains: int
    accounts: int
    disabled_accounts: int
    aliases: int
    used_bytes: int  # by the accounts' mailboxes
    total_quota: int  # the domains' total quotas added up; 0 when any of them is unlimited


def directory(domains) -> Directory:
    """Counts over a Domain queryset: three aggregate queries."""
    by_domain = domains.aggregate(count=Count("pk"), disabled=Count("pk", filter=Q(active=False)),
                                  unlimited=Count("pk", filter=Q(total_quota=0)), quota=Sum("total_quota"))
    accounts = Account.objects.filter(domain__in=domains).aggregate(
        count=Count("pk"), disabled=Count("pk", filter=Q(active=False)), used=Sum("used_bytes"))
    return Directory(
        domains=by_domain["count"], disabled_domains=by_domain["disabled"], accounts=accounts["count"],
        disabled_accounts=accounts["disabled"], aliases=Alias.objects.filter(domain__in=domains).count(),
        used_bytes=accounts["used"] or 0, total_quota=0 if by_domain["unlimited"] else by_domain["quota"] or 0)


def queue(request) -> dict:
    """Recipients waiting in the queue, and how many of them after a temporary failure."""
    waiting = QueueRecipient.objects.filter(status__in=queue_admin.WAITING)
    return visible_recipients(request, waiting).aggregate(
        waiting=Count("pk"), deferred=Count("pk", filter=Q(status=QueueRecipient.Status.DEFERRED)))


def mail_today(names: list[str] | None) -> dict[str, int]:
    """Today's counts (the statistics' UTC day) per kind: received, sent, bounced, rejected, …"""
    return {kind: values[-1] for kind, values in daily_series(names, 1).items()}


def disk() -> dict:
    return {"blobs": blob_bytes(), "database": database_bytes()}


@dataclass(frozen=True)
class DnsState:
    failing: list[tuple[str, list[dict]]]  # (U-label, failing records) of the first SHOWN_DOMAINS
    failing_count: int
    unchecked: list[str]  # U-labels of the first SHOWN_DOMAINS never checked
    unchecked_count: int


def dns(domains) -> DnsState:
    """Domains whose last check found records missing or wrong, and domains never checked:
    two queries, from what the last checks kept (mailcore.dnsguide.models)."""
    checks = DnsCheck.objects.filter(domain__in=domains).exclude(problems=[]).select_related("domain")
    failing = [(check.domain.unicode_name, check.failing()) for check in checks.order_by("domain__name")]
    failing = [(name, records) for name, records in failing if records]
    unchecked = domains.filter(dns_check__isnull=True, active=True).order_by("name")
    return DnsState(failing[:SHOWN_DOMAINS], len(failing),
                    [domain.unicode_name for domain in unchecked[:SHOWN_DOMAINS]], unchecked.count())
