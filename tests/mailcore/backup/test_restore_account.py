"""Restoring one account or one folder into a running installation, seen over IMAP.

RFC 3501 §2.3.1.1 (RFC 9051 §2.3.1.1): UIDs are never reused under one UIDVALIDITY. A
message put back into a folder that still exists gets a new UID above every UID the folder
gave out (UIDVALIDITY unchanged); a folder that was deleted and is made again by the
restore gets a new UIDVALIDITY. Every other account and folder stays as it was.
"""
import contextlib
import imaplib
import re

import pytest
from django.db import transaction

from mailcore.backup.restore import RestoreError, restore_account
from mailcore.backup.runs import run_backup
from mailcore.imap.listeners import FACTORIES
from mailcore.store.folders import delete_folder
from mailcore.store.messages import expunge
from mailcore.store.models import Message
from tests.conftest import PASSWORD
from tests.support.backups import stored_messages
from tests.support.hosts import running_host


@pytest.fixture
def imap_port(settings, tmp_path, installation):
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        yield host.ports["imap"]


@contextlib.contextmanager
def logged_in(port, user="alice@example.test"):
    client = imaplib.IMAP4("127.0.0.1", port, timeout=10)
    client.login(user, PASSWORD)
    try:
        yield client
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            client.logout()


def status(client, folder) -> dict:
    typ, data = client.status(f'"{folder}"', "(MESSAGES UIDNEXT UIDVALIDITY)")
    assert typ == "OK", data
    return {key.decode(): int(value) for key, value in re.findall(rb"(MESSAGES|UIDNEXT|UIDVALIDITY) (\d+)", data[0])}


def uids_and_flags(client, folder) -> dict:
    client.select(f'"{folder}"', readonly=True)
    _typ, data = client.uid("FETCH", "1:*", "(FLAGS INTERNALDATE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    found = {}
    for item in data:
        if isinstance(item, tuple):
            subject = item[1].decode().split(":", 1)[1].strip()
            uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
            flags = set(re.search(rb"FLAGS \(([^)]*)\)", item[0]).group(1).decode().split())
            date = re.search(rb'INTERNALDATE "([^"]+)"', item[0]).group(1).decode()
            found[subject] = (uid, flags - {"\\Recent"}, date)
    return found


def _expunge(account, folder_name, **which):
    with transaction.atomic():
        doomed = Message.objects.filter(folder__account=account, folder__name=folder_name, **which)
        uids = list(doomed.values_list("uid", flat=True))
        doomed.update(deleted=True)
        expunge(account.pk, folder_name, uids)


def test_a_restored_folder_that_still_exists_gets_new_uids_under_the_same_uidvalidity(imap_port, installation):
    alice = installation["alice"]
    with logged_in(imap_port) as client:
        before = uids_and_flags(client, "INBOX")
        inbox_before = status(client, "INBOX")
    run = run_backup(account="alice@example.test")
    others_before = [row for row in stored_messages() if row[0] != "alice@example.test"]
    _expunge(alice, "INBOX")

    restored = restore_account(run.path, "alice@example.test", "INBOX")
    assert restored.appended == 3 and restored.folders_created == []

    with logged_in(imap_port) as client:
        after = uids_and_flags(client, "INBOX")
        inbox_after = status(client, "INBOX")
    assert inbox_after["UIDVALIDITY"] == inbox_before["UIDVALIDITY"]
    assert set(after) == set(before)
    for subject, (uid, flags, date) in after.items():
        _old_uid, old_flags, old_date = before[subject]
        assert uid >= inbox_before["UIDNEXT"], "a UID given out before must never come back"
        assert (flags, date) == (old_flags, old_date)
    assert [row for row in stored_messages() if row[0] != "alice@example.test"] == others_before


def test_a_folder_made_again_by_the_restore_gets_a_new_uidvalidity(imap_port, installation):
    alice = installation["alice"]
    with logged_in(imap_port) as client:
        old = status(client, "Projects/2026")
        inbox = uids_and_flags(client, "INBOX")
    run = run_backup()
    delete_folder(alice.pk, "Projects/2026")

    restored = restore_account(run.path, "alice@example.test", "Projects/2026")
    assert restored.folders_created == ["Projects/2026"]

    with logged_in(imap_port) as client:
        new = status(client, "Projects/2026")
        assert new["MESSAGES"] == 1 and new["UIDVALIDITY"] != old["UIDVALIDITY"]
        restored_plan = uids_and_flags(client, "Projects/2026")
        assert restored_plan["plan"][1] == {"\\Seen"}
        assert restored_plan["plan"][2].startswith("29-Feb-2024 13:45:07")
        assert uids_and_flags(client, "INBOX") == inbox  # the rest of the account is untouched
    with logged_in(imap_port, "bob@example.test") as client:
        assert set(uids_and_flags(client, "INBOX")) == {"plan", "bob only"}


def test_a_whole_account_restore_adds_only_what_is_missing_and_running_it_again_adds_nothing(imap_port,
                                                                                              installation):
    alice = installation["alice"]
    run = run_backup(domain="example.test")
    _expunge(alice, "INBOX", subject="second")

    first = restore_account(run.path, "alice@example.test")
    assert (first.appended, first.already_there) == (1, 3)
    again = restore_account(run.path, "alice@example.test")
    assert (again.appended, again.already_there) == (0, 4)
    with logged_in(imap_port) as client:
        inbox = uids_and_flags(client, "INBOX")
    assert inbox["second"][1] == {"\\Flagged", "\\Answered"}
    alice.refresh_from_db()
    assert alice.message_count == 4  # quota counters follow the store, as for any append


def test_a_deleted_account_is_made_again_with_its_password(imap_port, installation):
    from mailcore.directory.services import remove_account

    run = run_backup(account="charlie@example.org")
    remove_account("charlie@example.org")
    restored = restore_account(run.path, "charlie@example.org")
    assert restored.appended == 1
    with logged_in(imap_port, "charlie@example.org") as client:
        assert uids_and_flags(client, "INBOX")["charlie only"][1] == {"\\Seen"}


def test_restore_names_what_the_archive_lacks(installation):
    run = run_backup(account="bob@example.test")
    with pytest.raises(RestoreError, match=re.escape("no mail of alice@example.test")):
        restore_account(run.path, "alice@example.test")
    with pytest.raises(RestoreError, match="no folder 'Nowhere'"):
        restore_account(run.path, "bob@example.test", "Nowhere")
