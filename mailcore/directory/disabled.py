"""Which accounts are disabled, known in every process without a query per command.

Open IMAP, POP3 and SMTP submission sessions end at their next command once their
account or its domain is disabled (issue 16; docs/security.md). Reading the account at
every command would be a query per FETCH. Instead:

- Every change of an account's or a domain's active state moves one counter,
  DisabledGeneration, in the transaction that makes the change (`note_change`, called by
  services.py: the panel and the CLI both come through there).
- Each process keeps a snapshot: the counter it last read, with the ids of the accounts
  and the domains that were disabled then. `is_disabled(account_id, domain_id)` answers
  from memory.
- The snapshot is compared with the counter at most every HOPTHU_DIRECTORY_CACHE_SECONDS
  (`is_stale`, then `refresh` on a worker thread: one query of one row), and the
  disabled ids are read again only when the counter moved.
- A change made in this process makes the snapshot stale when it commits, so this
  process's sessions see it at their next command; other processes within
  HOPTHU_DIRECTORY_CACHE_SECONDS.

Blocking functions (note_change, refresh) use the database; is_stale and is_disabled
only memory, safe on an event loop.
"""
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import Account, DisabledGeneration, Domain

ROW = 1  # the counter's primary key


@dataclass(frozen=True)
class Snapshot:
    generation: int | None  # None: never read
    accounts: frozenset[int]  # disabled accounts
    domains: frozenset[int]  # disabled domains (every account of theirs is disabled too)
    checked: float  # time.monotonic() of the read


_lock = threading.Lock()
_snapshot = Snapshot(None, frozenset(), frozenset(), float("-inf"))
_changes_here = 0  # commits of this process that changed an active state


def note_change() -> None:
    """Record that an account's or domain's active state changes. Call inside the
    transaction that makes the change: the counter moves only if it commits."""
    if not _bump():
        try:
            with transaction.atomic():  # the first change ever (or after a test's flush)
                DisabledGeneration.objects.create(pk=ROW, value=1)
        except IntegrityError:  # another process made it meanwhile
            _bump()
    transaction.on_commit(_changed_here)


def _bump() -> int:
    return DisabledGeneration.objects.filter(pk=ROW).update(value=F("value") + 1)


def _changed_here() -> None:
    global _changes_here
    with _lock:
        _changes_here += 1


def is_stale() -> bool:
    """True when the snapshot should be compared with the counter before it is believed."""
    with _lock:
        if _snapshot.checked == float("-inf") or _changes_here:
            return True
        return time.monotonic() - _snapshot.checked >= settings.HOPTHU_DIRECTORY_CACHE_SECONDS


def refresh() -> None:
    """Read the counter and, if it moved, the disabled accounts and domains. Blocking."""
    global _snapshot, _changes_here
    with _lock:
        seen_changes, known = _changes_here, _snapshot
    checked = time.monotonic()
    # The counter first: a change committed between the two reads is then in the ids
    # already and makes the next refresh read them again, never the other way round.
    generation = DisabledGeneration.objects.filter(pk=ROW).values_list("value", flat=True).first() or 0
    if generation == known.generation:
        accounts, domains = known.accounts, known.domains
    else:
        accounts = frozenset(Account.objects.filter(active=False).values_list("pk", flat=True))
        domains = frozenset(Domain.objects.filter(active=False).values_list("pk", flat=True))
    with _lock:
        _snapshot = Snapshot(generation, accounts, domains, checked)
        _changes_here -= seen_changes  # changes committed during the read make it stale again


def is_disabled(account_id: int, domain_id: int) -> bool:
    """Whether the account or its domain was disabled at the last refresh. Memory only."""
    snapshot = _snapshot
    return account_id in snapshot.accounts or domain_id in snapshot.domains


def forget() -> None:
    """Drop the snapshot (tests: a flushed database starts its counter again)."""
    global _snapshot, _changes_here
    with _lock:
        _snapshot = Snapshot(None, frozenset(), frozenset(), float("-inf"))
        _changes_here = 0
