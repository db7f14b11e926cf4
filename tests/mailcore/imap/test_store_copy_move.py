"""STORE, EXPUNGE, COPY, MOVE and their UID forms; untagged updates to the session."""
import pytest

from mailcore.directory.services import set_quota
from mailcore.store.append import append
from mailcore.store.models import Folder, Message

PASSWORD = "correct horse battery staple"


@pytest.fixture
def selected(alice, imap):
    for i in range(1, 5):
        append(alice.pk, "INBOX", f"Subject: m{i}\r\n\r\nbody {i}\r\n".encode())
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def inbox(alice):
    return Message.objects.filter(account=alice, folder__name="INBOX").order_by("uid")


def test_store_adds_removes_replaces_and_reports(alice, selected):
    typ, data = selected.store("1:2", "+FLAGS", "(\\Seen $Important)")
    assert typ == "OK" and data[0] == b"1 (FLAGS (\\Seen \\Recent $Important))"  # imaplib drops "FETCH"
    assert list(inbox(alice).values_list("seen", flat=True)) == [True, True, False, False]
    selected.store("1", "-FLAGS", "($Important)")
    assert inbox(alice).first().keywords == []
    typ, data = selected.store("3", "FLAGS.SILENT", "(\\Flagged)")
    assert typ == "OK" and data == [None]
    assert inbox(alice).get(uid=3).flagged


def test_uid_store_answers_with_uids(selected):
    _typ, data = selected.uid("STORE", "4", "+FLAGS", "(\\Answered)")
    assert data[0] == b"4 (UID 4 FLAGS (\\Answered \\Recent))"


def test_store_is_refused_in_examine(selected):
    selected.select("INBOX", readonly=True)
    typ, data = selected.store("1", "+FLAGS", "(\\Seen)")
    assert typ == "NO" and b"READ-ONLY" in data[0]


def test_expunge_reports_sequence_numbers(alice, selected):
    selected.store("2,4", "+FLAGS", "(\\Deleted)")
    typ, data = selected.expunge()
    assert typ == "OK" and data == [b"4", b"2"]  # highest first, each valid when sent
    assert list(inbox(alice).values_list("uid", flat=True)) == [1, 3]
    assert selected.fetch("2", "(UID)")[1][0] == b"2 (UID 3)"


def test_uid_expunge_only_touches_the_given_uids(alice, selected):
    selected.store("1:2", "+FLAGS", "(\\Deleted)")
    assert selected.uid("EXPUNGE", "2")[0] == "OK"
    assert list(inbox(alice).values_list("uid", flat=True)) == [1, 3, 4]


def test_copy_answers_copyuid(alice, selected):
    typ, _data = selected.copy("1:2", "Archive")
    assert typ == "OK"
    archive = Folder.objects.get(account=alice, name="Archive")
    assert selected.untagged_responses["COPYUID"] == [b"%d 1,2 1,2" % archive.uidvalidity]
    assert archive.messages.count() == 2 and inbox(alice).count() == 4


def test_copy_to_a_missing_folder_says_trycreate(selected):
    typ, data = selected.copy("1", "Nowhere")
    assert typ == "NO" and b"TRYCREATE" in data[0]


def test_copy_over_quota(alice, selected):
    set_quota("alice@example.test", sum(inbox(alice).values_list("size", flat=True)) + 10)
    typ, data = selected.copy("1:*", "Archive")
    assert typ == "NO" and b"OVERQUOTA" in data[0]


def test_move_expunges_from_the_source(alice, selected):
    typ, _data = selected._simple_command("MOVE", "2:3", "Trash")
    assert typ == "OK"
    assert selected.untagged_responses.get("EXPUNGE") == [b"3", b"2"]
    assert list(inbox(alice).values_list("uid", flat=True)) == [1, 4]
    assert Folder.objects.get(account=alice, name="Trash").messages.count() == 2


def test_noop_reports_mail_delivered_meanwhile(alice, selected):
    append(alice.pk, "INBOX", b"Subject: new\r\n\r\nnew\r\n")
    _typ, _data = selected.noop()
    assert selected.untagged_responses["EXISTS"][-1] == b"5"
