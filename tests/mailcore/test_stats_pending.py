"""Refusal counts noted in memory: written in the background, coalesced, hosted domains only."""
import time

import pytest

from mailcore.directory.services import create_domain
from mailcore.stats import pending
from mailcore.stats.models import DailyCount


@pytest.fixture
def hosted(transactional_db):
    create_domain("example.test")
    pending.flush()  # nothing left over from earlier tests
    yield
    pending.flush()


def total(domain: str) -> int:
    return sum(DailyCount.objects.filter(domain=domain, kind="rejected").values_list("count", flat=True))


def test_the_first_note_after_a_quiet_spell_is_written_without_waiting(hosted, monkeypatch):
    monkeypatch.setattr(pending, "_next_flush", 0.0)
    pending.note("example.test", "rejected")
    deadline = time.monotonic() + 5
    while total("example.test") != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert total("example.test") == 1


def test_notes_within_the_interval_are_written_as_one_sum(hosted, monkeypatch):
    monkeypatch.setattr(pending, "_next_flush", time.monotonic() + 60)  # a flush just happened
    for _ in range(500):
        pending.note("EXAMPLE.test", "rejected")
    assert total("example.test") == 0  # nothing written yet: a storm costs no writes
    pending.flush()
    assert total("example.test") == 500
    assert DailyCount.objects.count() == 1


def test_domains_that_are_not_hosted_are_never_written(hosted):
    pending.note("made-up.example", "rejected", 3)
    pending.flush()
    assert not DailyCount.objects.filter(domain="made-up.example").exists()


def test_discard_forgets_pending_notes(hosted, monkeypatch):
    monkeypatch.setattr(pending, "_next_flush", time.monotonic() + 60)
    pending.note("example.test", "rejected")
    pending.discard()
    pending.flush()
    assert total("example.test") == 0
