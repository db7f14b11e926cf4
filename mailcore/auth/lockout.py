"""Brute-force protection: failed logins counted per remote address and per account.

The counts live in the database, so SMTP, IMAP, POP3 and the webmail, in any process on
any node, add to and obey the same ones. The policy (docs/auth.md):

- HOPTHU_AUTH_MAX_FAILURES (10) failures for one login name, or
  HOPTHU_AUTH_MAX_FAILURES_PER_IP (20) from one address, within
  HOPTHU_AUTH_FAILURE_WINDOW_SECONDS (900) lock that name or address for
  HOPTHU_AUTH_LOCKOUT_SECONDS (900). 0 failures means no such lock.
- A locked name or address is refused before any password is checked, and names are
  counted whether or not the account exists, so a lockout reveals nothing. Loopback is
  not exempt: a local webmail or script gets no free guesses.
- A success clears the account's failures, not the address's: an attacker who also owns
  one account cannot launder its guesses against the others.
- After a failure the protocol waits failure_delay() seconds (growing, capped by
  HOPTHU_AUTH_MAX_DELAY_SECONDS, 5) before it answers.

Every function here is blocking (database): call it through host.run_blocking.
"""
import ipaddress
import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from .errors import LockedOut
from .models import Lockout, LoginFailure

log = logging.getLogger(__name__)

FIRST_DELAY = 0.5  # seconds after one failure; doubled with each further one
IPV6_PREFIX = 64  # one host (or one customer) usually holds a whole /64: count them as one


@dataclass(frozen=True)
class Policy:
    max_failures: int
    max_failures_per_ip: int
    window: timedelta
    lockout: timedelta
    max_delay: float

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            max_failures=getattr(settings, "HOPTHU_AUTH_MAX_FAILURES", 10),
            max_failures_per_ip=getattr(settings, "HOPTHU_AUTH_MAX_FAILURES_PER_IP", 20),
            window=timedelta(seconds=getattr(settings, "HOPTHU_AUTH_FAILURE_WINDOW_SECONDS", 900)),
            lockout=timedelta(seconds=getattr(settings, "HOPTHU_AUTH_LOCKOUT_SECONDS", 900)),
            max_delay=float(getattr(settings, "HOPTHU_AUTH_MAX_DELAY_SECONDS", 5)),
        )


def ip_key(remote_ip: str | None) -> str:
    """Return the form a remote address is counted under.

    IPv4 as is (also when it arrives IPv4-mapped on a dual-stack socket); IPv6 as its /64,
    or an attacker could try each guess from another of its 2**64 addresses.
    """
    try:
        address = ipaddress.ip_address((remote_ip or "").split("%", 1)[0])  # drop an IPv6 zone
    except ValueError:
        return (remote_ip or "unknown")[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)


def ensure_allowed(remote_ip: str | None, username: str | None) -> None:
    """Raise LockedOut if the address or the login name is locked. One query.

    username is the canonical address (credentials.login_name), None if there is none.
    """
    now = timezone.now()
    locks = Q(scope=Lockout.Scope.IP, key=ip_key(remote_ip))
    if username:
        locks |= Q(scope=Lockout.Scope.ACCOUNT, key=username)
    until = Lockout.objects.filter(locks, until__gt=now).aggregate(until=Max("until"))["until"]
    if until is not None:
        raise LockedOut(retry_after=(until - now).total_seconds(), delay=Policy.from_settings().max_delay)


def record_failure(remote_ip: str | None, username: str | None, protocol: str) -> int:
    """Count a failed login; lock the name or address that reached its limit.

    username is the canonical address tried (None if the user name was no address).
    Return how many failures the address has in the window, this one included.
    """
    policy = Policy.from_settings()
    now = timezone.now()
    ip = ip_key(remote_ip)
    LoginFailure.objects.create(remote_ip=ip, username=username or "", protocol=protocol[:16], created=now)
    log.info("Failed %s login for %s from %s", protocol, username or "(not an address)", remote_ip)
    # Two processes failing at once both see both rows: each may lock, and locking is idempotent.
    recent = LoginFailure.objects.filter(created__gt=now - policy.window)
    by_ip = Q(remote_ip=ip)
    if username:
        by_name = Q(username=username)
        counts = recent.filter(by_ip | by_name).aggregate(
            ip=Count("pk", filter=by_ip), account=Count("pk", filter=by_name))
    else:
        counts = {"ip": recent.filter(by_ip).count(), "account": 0}
    if policy.max_failures_per_ip and counts["ip"] >= policy.max_failures_per_ip:
        _lock(Lockout.Scope.IP, ip, now + policy.lockout, counts["ip"])
    if username and policy.max_failures and counts["account"] >= policy.max_failures:
        _lock(Lockout.Scope.ACCOUNT, username, now + policy.lockout, counts["account"])
    return counts["ip"]


def _lock(scope: str, key: str, until, failures: int) -> None:
    Lockout.objects.update_or_create(scope=scope, key=key, defaults={"until": until})
    log.warning("Locked out %s %s until %s after %d failed logins", scope, key, until.isoformat(), failures)


def record_success(username: str) -> None:
    """Clear the login name's failures; the address keeps its own count."""
    mine = LoginFailure.objects.filter(username=username)
    # Read first: most logins follow no failure, and an UPDATE would take SQLite's write lock.
    if mine.exists():
        mine.update(username="")


def failure_delay(remote_ip: str | None) -> float:
    """Seconds to wait before answering a failed login from remote_ip. One query."""
    policy = Policy.from_settings()
    recent = LoginFailure.objects.filter(remote_ip=ip_key(remote_ip), created__gt=timezone.now() - policy.window)
    return delay_for(recent.count(), policy.max_delay)


def delay_for(failures: int, max_delay: float | None = None) -> float:
    """0.5 s after one recent failure, doubling with each further one, up to max_delay."""
    if max_delay is None:
        max_delay = Policy.from_settings().max_delay
    if failures <= 0:
        return 0.0
    return min(max_delay, FIRST_DELAY * 2 ** min(failures - 1, 32))


def unlock(*, remote_ip: str | None = None, username: str | None = None) -> None:
    """Lift the lock on an address or a canonical login name and forget its failures (for admins)."""
    if remote_ip is not None:
        ip = ip_key(remote_ip)
        Lockout.objects.filter(scope=Lockout.Scope.IP, key=ip).delete()
        LoginFailure.objects.filter(remote_ip=ip).delete()
    if username:
        Lockout.objects.filter(scope=Lockout.Scope.ACCOUNT, key=username).delete()
        LoginFailure.objects.filter(username=username).update(username="")


def purge_expired() -> int:
    """Delete failures older than the window and locks that have ended; return how many rows."""
    policy = Policy.from_settings()
    now = timezone.now()
    failures, _by_model = LoginFailure.objects.filter(created__lte=now - policy.window).delete()
    locks, _by_model = Lockout.objects.filter(until__lte=now).delete()
    return failures + locks
