"""Greylisting at RCPT time on the MX, for domains that turn it on (RFC 6647).

A (client network, envelope sender, recipient) triplet seen for the first time gets a
temporary refusal; a real mail server retries (RFC 5321 §4.5.4.1) and, once
HOPTHU_GREYLIST_DELAY_SECONDS have passed, is let through and remembered, so later mail
on the same triplet is not delayed again. Bulk senders that never retry stay out.

- The client is taken as its /24 (IPv4) or /64 (IPv6) network: large senders retry from
  another address of the same pool (RFC 6647 §4.4 warns about this).
- A first attempt not retried within HOPTHU_GREYLIST_RETRY_WINDOW_SECONDS is forgotten;
  a passed triplet is forgotten after HOPTHU_GREYLIST_KEEP_DAYS without mail (expire()).
- Never greylisted: authenticated sessions and the relay port (the handler asks only on
  the MX), networks with a relay grant, and HOPTHU_GREYLIST_ALLOW_NETWORKS (CIDRs).

Blocking (database): called through host.run_blocking. Which domains greylist is kept for
HOPTHU_DIRECTORY_CACHE_SECONDS so the MX does not hop to a thread for every recipient.
"""
import hashlib
import ipaddress
import time
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import FilterPolicy, GreylistEntry

_cache: tuple[float, frozenset] = (0.0, frozenset())


def delay() -> int:
    return int(getattr(settings, "HOPTHU_GREYLIST_DELAY_SECONDS", 300))


def retry_window() -> int:
    return int(getattr(settings, "HOPTHU_GREYLIST_RETRY_WINDOW_SECONDS", 2 * 86400))


def keep_days() -> int:
    return int(getattr(settings, "HOPTHU_GREYLIST_KEEP_DAYS", 35))


def greylisting_domains() -> frozenset | None:
    """The A-labels of the domains that greylist, or None when the cached answer is stale."""
    expires, names = _cache
    return names if expires > time.monotonic() else None


def load_domains() -> frozenset:
    """The names of the greylisting domains and of their domain aliases (RCPT names either)."""
    global _cache
    from mailcore.directory.models import DomainAlias

    rows = list(FilterPolicy.objects.filter(greylisting=True).values_list("domain_id", "domain__name"))
    names = frozenset(name for _id, name in rows)
    if rows:
        aliases = DomainAlias.objects.filter(target_id__in=[domain_id for domain_id, _name in rows])
        names |= frozenset(aliases.values_list("name", flat=True))
    _cache = (time.monotonic() + int(getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)), names)
    return names


def clear_cache():
    global _cache
    _cache = (0.0, frozenset())


def may_skip(domain: str) -> bool:
    """True when, by the cached answer, domain surely does not greylist (no thread hop needed)."""
    names = greylisting_domains()
    return names is not None and domain.lower() not in names


def network_of(client_ip: str) -> str:
    """The client's /24 or /64, as text; the address itself when it is none."""
    try:
        address = ipaddress.ip_address((client_ip or "").split("%", 1)[0])
    except ValueError:
        return client_ip or ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def triplet_key(client_ip: str, mail_from: str, recipient: str) -> str:
    text = "\0".join((network_of(client_ip), (mail_from or "<>").lower(), recipient.lower()))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def allowlisted(client_ip: str) -> bool:
    from mailcore.relay.access import network_grant

    if network_grant(client_ip) is not None:
        return True
    try:
        address = ipaddress.ip_address((client_ip or "").split("%", 1)[0])
    except ValueError:
        return False
    networks = getattr(settings, "HOPTHU_GREYLIST_ALLOW_NETWORKS", ())
    for item in networks.split(",") if isinstance(networks, str) else networks:
        try:
            if address in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def check(domain: str, client_ip: str, mail_from: str, recipient: str, now=None) -> str | None:
    """The 451 reply when this recipient's mail must be retried later; None to accept."""
    names = greylisting_domains()
    if names is None:
        names = load_domains()
    if domain.lower() not in names or allowlisted(client_ip):
        return None
    return decide(triplet_key(client_ip, mail_from, recipient), now or timezone.now())


def decide(key: str, now) -> str | None:
    entry = GreylistEntry.objects.filter(key=key).first()
    if entry is not None and _fresh(entry, now):
        if entry.passed or now - entry.first_seen >= timedelta(seconds=delay()):
            GreylistEntry.objects.filter(pk=entry.pk).update(passed=True, last_seen=now)
            return None
        wait = delay() - int((now - entry.first_seen).total_seconds())
        return _reply(wait)
    # First sight (or an entry that expired): start the clock.
    try:
        with transaction.atomic():
            GreylistEntry.objects.update_or_create(key=key, defaults={
                "first_seen": now, "last_seen": now, "passed": False})
    except IntegrityError:  # the same triplet from a parallel session: its clock is as good
        pass
    return _reply(delay())


def _fresh(entry: GreylistEntry, now) -> bool:
    if entry.passed:
        return now - entry.last_seen <= timedelta(days=keep_days())
    return now - entry.first_seen <= timedelta(seconds=retry_window())


def _reply(wait: int) -> str:
    # RFC 6647 §2.1: a 4xx, so the sender keeps the message and retries.
    return f"451 4.7.1 Greylisted: please try again in {max(wait, 1)} seconds"


def expire(now=None) -> int:
    """Forget attempts never retried in time and passed triplets unused for long; return how many."""
    now = now or timezone.now()
    deleted, _kinds = GreylistEntry.objects.filter(
        passed=False, first_seen__lt=now - timedelta(seconds=retry_window())).delete()
    passed, _kinds = GreylistEntry.objects.filter(passed=True, last_seen__lt=now - timedelta(days=keep_days())).delete()
    return deleted + passed
