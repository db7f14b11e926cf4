"""A short memory, in this process, of credentials verified a moment ago.

IMAP clients open several connections at once and reconnect often, and each login would
pay a deliberately slow password hash (PBKDF2) again. An entry says "this password
matched credential X, whose hash was H", for HOPTHU_AUTH_CACHE_SECONDS (60; 0 turns the
cache off). Why that is safe:

- No password is kept: the key is the login name and an HMAC-SHA256 of the password
  under a key derived from SECRET_KEY (django.utils.crypto.salted_hmac).
- A hit counts only if H is still the credential's current hash, read from the database
  at each login: a password change, an app password revoked or a hash upgrade ends it at
  once, in every process.
- Only successes are remembered, so it cannot be filled without valid credentials, and
  lockouts and the account's and domain's state are checked at every login, hit or not.

Thread-safe: the protocols call logins from a pool of threads.
"""
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import salted_hmac

KEY_SALT = "mailcore.auth.cache"
MAX_ENTRIES = 10_000  # bounds memory; a full cache forgets its oldest entries


@dataclass(frozen=True)
class Verified:
    account_id: int
    app_password_id: int | None  # None: the account's own password
    password_hash: str  # the stored hash the password matched
    expires: float  # time.monotonic()


_lock = threading.Lock()
_entries: dict[tuple[str, bytes], Verified] = {}


def _key(username: str, password: str) -> tuple[str, bytes]:
    return username, salted_hmac(KEY_SALT, password, algorithm="sha256").digest()


def _ttl() -> float:
    return getattr(settings, "HOPTHU_AUTH_CACHE_SECONDS", 60)


def recall(username: str, password: str) -> Verified | None:
    """Return what was verified for this login name and password, if it has not expired."""
    if _ttl() <= 0:
        return None
    key = _key(username, password)
    with _lock:
        entry = _entries.get(key)
        if entry is not None and entry.expires <= time.monotonic():
            del _entries[key]
            return None
    return entry


def remember(username: str, password: str, *, account_id: int, app_password_id: int | None,
             password_hash: str) -> None:
    """Remember that password matched password_hash, the current hash of that credential."""
    ttl = _ttl()
    if ttl <= 0:
        return
    now = time.monotonic()
    key = _key(username, password)
    entry = Verified(account_id, app_password_id, password_hash, now + ttl)
    with _lock:
        if key not in _entries and len(_entries) >= MAX_ENTRIES:
            _evict(now)
        _entries.pop(key, None)  # re-inserting keeps the dict in expiry order
        _entries[key] = entry


def forget(username: str, password: str) -> None:
    with _lock:
        _entries.pop(_key(username, password), None)


def clear() -> None:
    with _lock:
        _entries.clear()


def _evict(now: float) -> None:
    """Drop expired entries, then the oldest until there is room. Hold _lock."""
    for key in [key for key, entry in _entries.items() if entry.expires <= now]:
        del _entries[key]
    while len(_entries) >= MAX_ENTRIES:
        del _entries[next(iter(_entries))]
