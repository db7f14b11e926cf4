"""RFC 3501 §2.3.1.1 across recovery: a message EXPUNGEd over IMAP (imaplib) and recovered
in the webmail (HTTP) comes back under a new UID; the expunged one is never used again."""
import re

import pytest
from django.test import Client

from mailcore.store.append import append
from mailcore.store.models import RecoverableMessage

PASSWORD = "correct horse battery staple"
RAW = b"From: bob@example.test\r\nSubject: Quarterly report\r\nMessage-ID: <q4@example.test>\r\n\r\nnumbers\r\n"


def uids(imap) -> list[int]:
    status, data = imap.uid("SEARCH", "ALL")
    assert status == "OK"
    return [int(uid) for uid in data[0].split()]


def test_an_expunged_uid_comes_back_as_a_new_uid_after_recovery_in_the_webmail(alice, imap):
    append(alice.pk, "INBOX", RAW, flags=["\\Flagged"])
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    [old_uid] = uids(imap)
    imap.uid("STORE", str(old_uid), "+FLAGS", "(\\Deleted)")
    status, expunged = imap.expunge()
    assert status == "OK" and expunged == [b"1"]
    assert uids(imap) == []

    browser = Client()
    browser.force_login(alice.user)
    page = browser.get("/mail/settings/deleted-mail/?q=quarterly")
    assert "Quarterly report" in page.content.decode()
    row = RecoverableMessage.objects.get(account=alice)
    response = browser.post("/mail/settings/deleted-mail/", {"message": [row.pk]})
    assert response.status_code == 302

    imap.noop()
    [new_uid] = uids(imap)
    assert new_uid > old_uid  # never the expunged UID again
    status, data = imap.uid("FETCH", str(new_uid), "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
    flags = re.search(rb"FLAGS \(([^)]*)\)", data[0][0]).group(1).split()
    assert b"\\Flagged" in flags and b"\\Deleted" not in flags
    assert b"Quarterly report" in data[0][1]
    # A client that still asks for the old UID finds nothing there.
    status, data = imap.uid("FETCH", str(old_uid), "(FLAGS)")
    assert status == "OK" and data == [None]


@pytest.mark.parametrize("command", ["EXPUNGE", "UID EXPUNGE", "CLOSE"])
def test_every_way_imap_removes_a_message_keeps_it_recoverable(alice, imap, command):
    append(alice.pk, "INBOX", RAW)
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    imap.uid("STORE", "1", "+FLAGS", "(\\Deleted)")
    if command == "EXPUNGE":
        imap.expunge()
    elif command == "UID EXPUNGE":
        imap._simple_command("UID", "EXPUNGE", "1")
    else:
        imap.close()
    assert RecoverableMessage.objects.filter(account=alice, subject="Quarterly report").count() == 1


def test_a_folder_deleted_over_imap_keeps_its_mail_recoverable(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    imap.create("Old")
    append(alice.pk, "Old", RAW)
    assert imap.delete("Old")[0] == "OK"
    assert RecoverableMessage.objects.get(account=alice).folder_name == "Old"
