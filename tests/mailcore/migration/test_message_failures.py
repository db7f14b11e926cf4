"""Messages HopThu refuses are reported one by one (folder, UID, reason) and the rest of the
account is copied; a full mailbox here ends that account's copy with the reason."""
from datetime import datetime

import pytest

from mailcore.migration.jobs import create_job, report, run_job
from mailcore.migration.models import MigrationJob

from .conftest import ICT, seed

pytestmark = pytest.mark.slow

WHEN = datetime(2024, 2, 3, tzinfo=ICT)


def test_a_message_over_the_size_limit_is_reported_and_the_others_copied(dovecot, transactional_db, settings, alice):
    login = list(dovecot.users)[2]
    seed(dovecot, login, {"INBOX": [("Small", "small@old.test", [], WHEN)]})
    with dovecot.client(login) as client:
        big = b"From: a@old.test\r\nSubject: Big\r\nMessage-ID: <big@old.test>\r\n\r\n" + b"x" * 4000 + b"\r\n"
        client.append("INBOX", big, msg_time=WHEN)
        client.select_folder("INBOX", readonly=True)
        [big_uid] = client.search(["HEADER", "Message-ID", "big@old.test"])
        client.append("INBOX", b"From: a@old.test\r\nSubject: After\r\nMessage-ID: <after@old.test>\r\n\r\nhi\r\n",
                      msg_time=WHEN)
    settings.HOPTHU_MAX_MESSAGE_SIZE = 1000
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(login, dovecot.users[login], alice)], dispatch=False)
    run_job(job.pk)
    [row] = report(job)
    assert (row["state"], row["copied"], row["failed"]) == ("done", 2, 1)
    [problem] = row["problems"]
    assert problem["folder"] == "INBOX" and problem["uid"] == big_uid and "the limit is" in problem["reason"]


def test_a_full_mailbox_here_fails_the_account_with_the_reason(dovecot, transactional_db, alice):
    from mailcore.directory.models import Account

    login = list(dovecot.users)[2]
    seed(dovecot, login, {"INBOX": [(f"Q {n}", f"q{n}@old.test", [], WHEN) for n in range(3)]})
    Account.objects.filter(pk=alice.pk).update(quota=1)
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=[(login, dovecot.users[login], alice)], dispatch=False)
    run_job(job.pk)
    [row] = report(job)
    assert (row["state"], row["copied"]) == ("failed", 0)
    assert row["error"].startswith("The mailbox is full")  # the store's own words
