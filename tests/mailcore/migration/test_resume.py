"""A job whose worker died half way is taken up again and ends with no duplicate and no
gap: each append commits with its progress and its duplicate key."""
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from mailcore.migration.copying import Interrupted
from mailcore.migration.jobs import create_job, report, resume_stalled, run_job
from mailcore.migration.models import MigrationJob
from mailcore.store.models import Message

from .conftest import ICT, seed

pytestmark = pytest.mark.slow

WHEN = datetime(2022, 3, 4, 5, 6, 7, tzinfo=ICT)


def test_a_killed_job_resumes_without_duplicates(dovecot, transactional_db, alice, eager_tasks):
    login = list(dovecot.users)[2]
    seed(dovecot, login, {
        "INBOX": [(f"Inbox {n}", f"inbox{n}@old.test", ["\\Seen"], WHEN) for n in range(6)]
        + [("Inbox no id", None, [], WHEN)],
        "Work": [(f"Work {n}", f"work{n}@old.test", [], WHEN) for n in range(3)],
    })
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(login, dovecot.users[login], alice)], dispatch=False)
    with pytest.raises(Interrupted):
        run_job(job.pk, stop_after=4)  # the worker "dies" after four messages
    job.refresh_from_db()
    assert job.state == MigrationJob.RUNNING
    assert Message.objects.filter(account=alice).count() == 4
    # Its lease is still running: no other worker may take it yet.
    assert not run_job(job.pk)
    assert resume_stalled() == []

    MigrationJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert resume_stalled() == [job.pk]  # beat's sweep: the Celery task runs (eagerly here)
    job.refresh_from_db()
    assert job.state == MigrationJob.DONE
    [row] = report(job)
    assert (row["copied"], row["skipped"], row["failed"]) == (10, 0, 0)
    subjects = list(Message.objects.filter(account=alice).values_list("subject", flat=True))
    assert len(subjects) == len(set(subjects)) == 10
    assert job.accounts.get().secret == ""


def test_a_resumed_job_counts_skipped_messages_once(dovecot, transactional_db, alice):
    login = list(dovecot.users)[2]
    seed(dovecot, login, {"INBOX": [(f"M {n}", f"m{n}@old.test", [], WHEN) for n in range(5)]})
    accounts = [(login, dovecot.users[login], alice)]
    first = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                       accounts=accounts, dispatch=False)
    run_job(first.pk)
    with dovecot.client(login) as client:
        from .conftest import message

        client.append("INBOX", message("M new", "mnew@old.test"), msg_time=WHEN)
        client.append("INBOX", message("M newer", "mnewer@old.test"), msg_time=WHEN)
    second = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                        accounts=accounts, dispatch=False)
    with pytest.raises(Interrupted):
        run_job(second.pk, stop_after=1)
    MigrationJob.objects.filter(pk=second.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert run_job(second.pk)
    [row] = report(MigrationJob.objects.get(pk=second.pk))
    assert (row["copied"], row["skipped"]) == (2, 5)


def test_a_job_that_keeps_dying_is_ended_and_its_passwords_wiped(dovecot, transactional_db, alice):
    from mailcore.migration.jobs import MAX_ATTEMPTS

    login = list(dovecot.users)[2]
    seed(dovecot, login, {"INBOX": [(f"D {n}", f"d{n}@old.test", [], WHEN) for n in range(MAX_ATTEMPTS + 2)]})
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(login, dovecot.users[login], alice)], dispatch=False)
    for _attempt in range(MAX_ATTEMPTS):
        with pytest.raises(Interrupted):
            run_job(job.pk, stop_after=1)
        MigrationJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert not run_job(job.pk)
    job.refresh_from_db()
    [row] = report(job)
    assert (job.state, row["state"], row["copied"]) == ("failed", "failed", MAX_ATTEMPTS)
    assert "stopped 5 times" in row["error"]
    assert job.accounts.get().secret == ""
