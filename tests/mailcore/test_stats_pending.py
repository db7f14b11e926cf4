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


def test_a_fork_waits_for_a_write_in_progress_and_the_child_counts_afresh(monkeypatch):
    """A child forked mid-write would inherit the writer's locks with no thread to free them."""
    import os
    import threading
    from collections import Counter

    started, written = threading.Event(), []

    def slow_write(tallies: Counter):
        started.set()
        time.sleep(0.5)
        written.append((time.monotonic(), dict(tallies)))

    monkeypatch.setattr(pending, "count_safely", slow_write)
    monkeypatch.setattr(pending, "_next_flush", time.monotonic() + 60)
    pending.discard()
    pending.note("example.test", "rejected", 2)
    pending.flush(wait=False)
    assert started.wait(5)
    pid = os.fork()
    if pid == 0:  # the child: its own empty counts, and a working flush
        code = 1
        try:
            pending.note("child.example", "rejected")
            pending.flush()
            code = 0 if written[-1][1] == {("child.example", "rejected"): 1} else 2
        finally:
            os._exit(code)
    forked_at = time.monotonic()
    assert written and written[0][0] <= forked_at  # the fork waited for the write to end
    deadline = time.monotonic() + 10
    while (status := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if status[0] == 0:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung")
    assert os.waitstatus_to_exitcode(status[1]) == 0
    assert written == written[:1]  # the parent wrote only its own, once
