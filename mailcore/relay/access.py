"""Read-side of relay grants for the SMTP relay port: which grant a client uses, what it
may send, and how fast. Blocking (database): call through host.run_blocking.
"""
import ipaddress
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from mailcore.auth import lockout
from mailcore.auth.errors import AccountDisabled, AuthFailed
from mailcore.auth.ratelimit import RateLimit
from mailcore.directory.lookup import hosted_domain

from .models import RelayGrant, RelayNetwork, RelayToken
from .services import hash_secret

TOUCH_SECONDS = 60  # last_used to the minute: a write per message would queue behind SQLite's writer
RATE_WINDOW_SECONDS = 3600


def check_token(username: str, secret: str, remote_ip: str | None) -> RelayToken:
    """Return the active token these credentials name, or raise an AuthError.

    Failures count towards the same per-address lockout as account logins
    (mailcore.auth.lockout), under the name "relay:<username>".
    """
    login = f"relay:{username}"[:320]
    lockout.ensure_allowed(remote_ip, login)
    token = RelayToken.objects.select_related("domain").filter(username=username).first()
    if token is None or not constant_time_compare(token.secret_hash, hash_secret(secret)):
        failures = lockout.record_failure(remote_ip, login, "relay")
        raise AuthFailed(delay=lockout.delay_for(failures))
    if not (token.active and token.domain.active):
        raise AccountDisabled()
    lockout.record_success(login)
    return token


def network_grant(remote_ip: str | None) -> RelayNetwork | None:
    """The active network grant containing remote_ip: the most specific one if several."""
    try:
        address = ipaddress.ip_address((remote_ip or "").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    matches = [grant for grant in _active_networks() if grant.contains(address)]
    if not matches:
        return None
    return max(matches, key=lambda grant: (ipaddress.ip_network(grant.network).prefixlen, -grant.pk))


def allows_sender(grant: RelayGrant, address: str) -> bool:
    """address: canonical (directory.addresses). Listed as is, or at a domain alias of its
    domain (the grant's domain and its aliases are one domain for senders, as for accounts)."""
    localpart, _at, domain = address.lower().rpartition("@")
    if not localpart:
        return False
    forms = {domain}
    hosted = hosted_domain(domain)
    if hosted is not None:
        forms.add(hosted.name)
    return any(f"{localpart}@{name}" in grant.senders or f"@{name}" in grant.senders for name in forms)


def check_rate(grant: RelayGrant) -> None:
    """Count one message against the grant's hourly limit, or raise RateLimited."""
    if grant.rate_per_hour:
        RateLimit(grant.rate_key, grant.rate_per_hour, RATE_WINDOW_SECONDS).hit()
    now = timezone.now()
    if grant.last_used is None or (now - grant.last_used).total_seconds() >= TOUCH_SECONDS:
        type(grant).objects.filter(pk=grant.pk).update(last_used=now)
        grant.last_used = now


_networks: tuple[float, list[RelayNetwork]] | None = None


def _active_networks() -> list[RelayNetwork]:
    """Every active network grant, kept for HOPTHU_DIRECTORY_CACHE_SECONDS: MAIL is asked often."""
    global _networks
    now = time.monotonic()
    if _networks is not None and _networks[0] > now:
        return _networks[1]
    grants = list(RelayNetwork.objects.select_related("domain").filter(active=True, domain__active=True))
    ttl = getattr(settings, "HOPTHU_DIRECTORY_CACHE_SECONDS", 5)
    if ttl > 0:
        _networks = (now + ttl, grants)
    return grants


def clear_cache(**_signal_kwargs):
    global _networks
    _networks = None


post_save.connect(clear_cache, sender=RelayNetwork, dispatch_uid="relay-networks-save")
post_delete.connect(clear_cache, sender=RelayNetwork, dispatch_uid="relay-networks-delete")
