"""Migrating two accounts from a real Dovecot, twice: folders, flags, keywords, internal
dates and RFC 6154 special uses arrive; a re-run copies nothing; one new message at the
source is exactly one copied."""
from datetime import datetime

import pytest

from mailcore.migration.jobs import create_job, report, run_job
from mailcore.migration.models import MigrationAccount, MigrationJob

from .conftest import ICT, hopthu_mailbox, message, seed

pytestmark = pytest.mark.slow

WHEN = datetime(2020, 1, 2, 3, 4, 5, tzinfo=ICT)
FIRST = {
    "INBOX": [("Welcome", "welcome@old.test", ["\\Seen", "$Work"], WHEN),
              ("Invoice", "invoice@old.test", ["\\Flagged", "\\Answered"], datetime(2021, 5, 6, 7, 8, 9, tzinfo=ICT)),
              ("No id", None, [], datetime(2019, 12, 31, 23, 59, 59, tzinfo=ICT))],
    "Sent Messages": [("Reply", "reply@old.test", ["\\Seen"], WHEN)],  # \Sent in Dovecot's config
    "Deleted Messages": [("Old", "old@old.test", ["\\Seen", "\\Deleted"], WHEN)],  # \Trash
    "Spam": [("Buy now", "spam@old.test", [], WHEN)],  # \Junk
    "Projects.2026": [("Plan", "plan@old.test", ["Client-A"], WHEN)],
}
SECOND = {
    "INBOX": [("Hi Bob", "hibob@old.test", ["\\Seen"], WHEN)],
    "Drafts": [("Unfinished", "draft@old.test", ["\\Draft"], WHEN)],
    "Old Mail": [("Archived", "archived@old.test", ["\\Seen", "NonJunk"], WHEN)],  # \Archive
}
EXPECTED_FIRST = {
    "INBOX": {"Welcome": {"\\Seen", "$Work"}, "Invoice": {"\\Flagged", "\\Answered"}, "No id": set()},
    "Sent": {"Reply": {"\\Seen"}}, "Trash": {"Old": {"\\Seen", "\\Deleted"}}, "Junk": {"Buy now": set()},
    "Projects/2026": {"Plan": {"Client-A"}},
}


def run(dovecot, accounts, **options):
    job = create_job(host=dovecot.host, port=dovecot.port, security=MigrationJob.PLAIN,
                     accounts=accounts, dispatch=False, **options)
    assert run_job(job.pk)
    job.refresh_from_db()
    return job


def test_two_accounts_arrive_with_folders_flags_keywords_dates_and_special_use(dovecot, imap_host, alice, bob):
    logins = list(dovecot.users)
    seed(dovecot, logins[0], FIRST)
    seed(dovecot, logins[1], SECOND)
    accounts = [(logins[0], dovecot.users[logins[0]], alice), (logins[1], dovecot.users[logins[1]], bob)]
    job = run(dovecot, accounts)
    assert job.state == MigrationJob.DONE
    rows = report(job)
    assert [(row["state"], row["copied"], row["skipped"], row["failed"]) for row in rows] == [
        ("done", 7, 0, 0), ("done", 3, 0, 0)]

    mailbox = hopthu_mailbox(imap_host.ports["imap"], alice.address)
    for folder, expected in EXPECTED_FIRST.items():
        assert {subject: flags for subject, (flags, _when) in mailbox[folder][1].items()} == expected, folder
    # RFC 6154: the source's \Sent folder filled the account's \Sent folder.
    assert mailbox["Sent"][0] == {"\\Sent"} and mailbox["Trash"][0] == {"\\Trash"}
    assert mailbox["INBOX"][1]["Welcome"][1] == WHEN
    assert mailbox["INBOX"][1]["No id"][1] == datetime(2019, 12, 31, 23, 59, 59, tzinfo=ICT)
    bobs = hopthu_mailbox(imap_host.ports["imap"], bob.address)
    assert bobs["Drafts"][1] == {"Unfinished": ({"\\Draft"}, WHEN)}
    assert bobs["Archive"][1] == {"Archived": ({"\\Seen", "NonJunk"}, WHEN)}

    # Passwords are wiped when the job ends.
    assert not MigrationAccount.objects.filter(job=job).exclude(secret="").exists()

    # Again: nothing new is copied, everything is skipped.
    again = report(run(dovecot, accounts))
    assert [(row["copied"], row["skipped"], row["failed"]) for row in again] == [(0, 7, 0), (0, 3, 0)]

    # One new message at the source: exactly one is copied.
    with dovecot.client(logins[0]) as client:
        client.append("Projects.2026", message("Later", "later@old.test"), flags=["\\Seen"], msg_time=WHEN)
    third = report(run(dovecot, accounts))
    assert [(row["copied"], row["skipped"]) for row in third] == [(1, 7), (0, 3)]
    after = hopthu_mailbox(imap_host.ports["imap"], alice.address)
    assert set(after["Projects/2026"][1]) == {"Plan", "Later"}
    assert sum(len(messages) for _uses, messages in after.values()) == 8


def test_master_user_login_copies_each_account(dovecot, transactional_db, alice):
    login = list(dovecot.users)[2]
    seed(dovecot, login, {"INBOX": [("By master", "master@old.test", [], WHEN)]})
    master, password = dovecot.master
    job = run(dovecot, [(login, "", alice)], login_method=MigrationJob.MASTER_USER,
              admin_login=master, admin_password=password)
    [row] = report(job)
    assert (row["state"], row["copied"]) == ("done", 1)
    assert job.admin_secret == ""
