"""Rate limits kept in the database, so every process and node obeys the same count.

`RateLimit(key, limit, window).hit(count)` records `count` events, or raises RateLimited
if they would make more than `limit` within the last `window` seconds; a refused hit
records nothing. `check_send_rate(account)` is the limit on messages an account submits.

Guarantee: hit() reads and writes the key's one row in a single transaction that locks it
first: SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE transactions of
config/settings.py take the database's write lock at BEGIN (with SQLite's default
DEFERRED mode a racing hit would fail with "database is locked" rather than overshoot).
Concurrent hits on one key, from any thread or process, are therefore serialised: the
events recorded within any `window` seconds never exceed `limit`, not even by one.

Precision: events are counted in BUCKETS slots per window (one minute for an hour), and a
slot counts until the whole of it has left the window. An event so counts for between
`window` and `window + window/BUCKETS` seconds: the limit can refuse a little early (at
most one slot's worth of time), never let through more than `limit`.

Blocking (database): call through host.run_blocking.
"""
import math
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import RateLimited
from .models import RateWindow

BUCKETS = 60
SEND_WINDOW_SECONDS = 3600  # HOPTHU_SEND_RATE_PER_HOUR is per hour


class RateLimit:
    """At most `limit` events per `window` seconds for `key` (e.g. "send:42", "relay-token:7")."""

    def __init__(self, key: str, limit: int, window: float):
        if window <= 0:
            raise ValueError("A rate limit window must be positive")
        self.key = key
        self.limit = limit
        self.window = window
        self.bucket_seconds = window / BUCKETS

    def hit(self, count: int = 1) -> None:
        """Record count events, or raise RateLimited and record none."""
        now = time.time()
        with transaction.atomic():
            row, _created = RateWindow.objects.select_for_update().get_or_create(
                key=self.key, defaults={"expires": self._expires(now)})
            buckets = self._live(row.buckets, now)
            if sum(buckets.values()) + count > self.limit:
                raise RateLimited(retry_after=self._retry_after(buckets, count, now))
            current = str(self._bucket(now))
            buckets[current] = buckets.get(current, 0) + count
            row.buckets = buckets
            row.expires = self._expires(now)
            row.save(update_fields=["buckets", "expires"])

    def used(self) -> int:
        """Return how many events count now (without locking: for display)."""
        row = RateWindow.objects.filter(key=self.key).first()
        return sum(self._live(row.buckets, time.time()).values()) if row else 0

    def reset(self) -> None:
        RateWindow.objects.filter(key=self.key).delete()

    def _bucket(self, now: float) -> int:
        return math.floor(now / self.bucket_seconds)

    def _live(self, buckets: dict, now: float) -> dict[str, int]:
        """The buckets that still overlap the window ending now."""
        first = self._bucket(now - self.window)
        return {number: count for number, count in buckets.items() if int(number) >= first}

    def _retry_after(self, buckets: dict[str, int], count: int, now: float) -> float:
        """Seconds until enough old buckets leave the window for count more events."""
        if count > self.limit:
            return self.window
        excess = sum(buckets.values()) + count - self.limit
        for number in sorted(buckets, key=int):
            excess -= buckets[number]
            if excess <= 0:
                # Bucket n stops counting once the window's start passes its end.
                return max(0.0, (int(number) + 1) * self.bucket_seconds + self.window - now)
        return self.window

    def _expires(self, now: float) -> datetime:
        return datetime.fromtimestamp(now + self.window + self.bucket_seconds, tz=UTC)


def check_send_rate(account, count: int = 1) -> None:
    """Record count messages submitted by account, or raise RateLimited.

    The limit is HOPTHU_SEND_RATE_PER_HOUR (500) messages in any hour; 0 means no limit.
    A message counts once, however many recipients it has.
    """
    limit = getattr(settings, "HOPTHU_SEND_RATE_PER_HOUR", 500)
    if limit > 0:
        RateLimit(f"send:{account.pk}", limit, SEND_WINDOW_SECONDS).hit(count)


def purge_expired() -> int:
    """Delete the windows of keys that have had no event for a whole window; return how many."""
    deleted, _by_model = RateWindow.objects.filter(expires__lte=timezone.now()).delete()
    return deleted
