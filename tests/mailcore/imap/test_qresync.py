"""QRESYNC (RFC 7162 §3.2): ENABLE QRESYNC, SELECT/EXAMINE (QRESYNC (...)) with VANISHED
(EARLIER) and the changed flags, VANISHED in place of EXPUNGE, CLOSED, and UID FETCH
(CHANGEDSINCE m VANISHED), over the real listener with a raw socket."""
import re
import time

import pytest

from mailcore.store.append import append
from mailcore.store.messages import expunge, move_messages, store_flags
from mailcore.store.models import Folder, Message

from .raw_imap import RawImap


@pytest.fixture
def six(alice):
    for i in range(1, 7):
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: m{i}\r\n\r\nbody {i}\r\n".encode())
    return Folder.objects.get(account=alice, name="INBOX")


@pytest.fixture
def raw(imap_host):
    client = RawImap(imap_host.ports["imap"])
    yield client
    client.close()


def _expunge(alice, uids):
    store_flags(alice.pk, "INBOX", uids, ["\\Deleted"], mode="add")
    expunge(alice.pk, "INBOX", uids)


def _after_highestmodseq(lines):
    """The lines between SELECT's HIGHESTMODSEQ and its tagged reply."""
    start = next(i for i, line in enumerate(lines) if b"[HIGHESTMODSEQ" in line)
    return lines[start + 1:-1]


def test_rfc7162_3_2_3_enable_qresync_implies_condstore(alice, six, raw):
    assert raw.command(b"ENABLE QRESYNC")[0] == b"* ENABLED QRESYNC\r\n"
    raw.command(b"SELECT INBOX")
    store_flags(alice.pk, "INBOX", [3], ["\\Flagged"], mode="add")
    modseq = Message.objects.get(folder=six, uid=3).modseq
    lines = raw.command(b"NOOP")
    # CONDSTORE is on: the unsolicited FETCH carries MODSEQ (RFC 7162 §3.1.4.1), and UID.
    assert b"* 3 FETCH (UID 3 FLAGS (\\Flagged \\Recent) MODSEQ (%d))\r\n" % modseq in lines


def test_rfc7162_3_2_5_select_qresync_without_enable_is_bad(six, raw):
    reply = raw.command(b"SELECT INBOX (QRESYNC (%d %d))" % (six.uidvalidity, six.highestmodseq))
    assert reply[-1].split()[1] == b"BAD"
    assert raw.command(b"NOOP")[-1].split()[1] == b"OK"


def test_rfc7162_3_2_5_select_qresync_reports_vanished_earlier(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    since = six.highestmodseq
    _expunge(alice, [2, 4])
    store_flags(alice.pk, "INBOX", [1], ["\\Seen", "$Work"], mode="add")
    modseq = Message.objects.get(folder=six, uid=1).modseq
    lines = raw.command(b"SELECT INBOX (QRESYNC (%d %d))" % (six.uidvalidity, since))
    assert lines[-1].split(b" ", 1)[1] == b"OK [READ-WRITE] SELECT completed\r\n"
    assert b"$Work" in b"".join(line for line in lines if line.startswith(b"* FLAGS"))  # announced first
    assert _after_highestmodseq(lines) == [
        b"* VANISHED (EARLIER) 2,4\r\n",
        b"* 1 FETCH (UID 1 FLAGS (\\Seen \\Recent $Work) MODSEQ (%d))\r\n" % modseq,
    ]


def test_rfc7162_3_2_5_known_uids_limit_vanished_and_fetch(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    since = six.highestmodseq
    _expunge(alice, [2, 4])
    store_flags(alice.pk, "INBOX", [1, 5], ["\\Answered"], mode="add")
    lines = raw.command(b"EXAMINE INBOX (QRESYNC (%d %d 3:6))" % (six.uidvalidity, since))
    after = _after_highestmodseq(lines)
    assert after[0] == b"* VANISHED (EARLIER) 4\r\n"
    assert [re.match(rb"\* \d+ FETCH \(UID (\d+)", line).group(1) for line in after[1:]] == [b"5"]


def test_rfc7162_3_2_5_2_seq_match_data_is_accepted(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    since = six.highestmodseq
    _expunge(alice, [6])
    lines = raw.command(b"SELECT INBOX (QRESYNC (%d %d 1:6 (1:6 1:6)))" % (six.uidvalidity, since))
    assert lines[-1].split()[1] == b"OK"
    assert _after_highestmodseq(lines) == [b"* VANISHED (EARLIER) 6\r\n"]


def test_rfc7162_3_2_5_1_another_uidvalidity_gets_nothing_more(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    _expunge(alice, [2])
    lines = raw.command(b"SELECT INBOX (QRESYNC (%d 1))" % (six.uidvalidity + 1))
    assert lines[-1].split()[1] == b"OK"
    assert _after_highestmodseq(lines) == []


def test_rfc7162_3_2_10_expunge_is_reported_as_vanished(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    raw.command(b"SELECT INBOX")
    raw.command(b"STORE 2:3 +FLAGS.SILENT (\\Deleted)")
    lines = raw.command(b"EXPUNGE")
    highest = Folder.objects.get(pk=six.pk).highestmodseq
    assert lines == [b"* VANISHED 2:3\r\n", b"* OK [HIGHESTMODSEQ %d] Highest\r\n" % highest,
                     b"r5 OK EXPUNGE completed\r\n"]
    _expunge(alice, [5])  # another client
    lines = raw.command(b"NOOP")
    highest = Folder.objects.get(pk=six.pk).highestmodseq
    assert lines[:2] == [b"* VANISHED 5\r\n", b"* OK [HIGHESTMODSEQ %d] Highest\r\n" % highest]
    lines = raw.command(b"UID MOVE 6 Trash")
    assert b"* VANISHED 6\r\n" in lines and not any(b"EXPUNGE" in line for line in lines)


def test_rfc7162_3_2_10_idle_reports_vanished(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    raw.command(b"SELECT INBOX")
    raw.sock.sendall(b"i IDLE\r\n")
    assert raw.reader.readline().startswith(b"+")
    move_messages(alice.pk, "INBOX", [1], "Trash")
    deadline = time.monotonic() + 5
    line = raw.reader.readline()
    while line.startswith(b"* OK") and time.monotonic() < deadline:
        line = raw.reader.readline()
    assert line == b"* VANISHED 1\r\n"
    assert raw.reader.readline().startswith(b"* OK [HIGHESTMODSEQ ")
    raw.sock.sendall(b"DONE\r\n")
    assert raw.reader.readline().startswith(b"i OK")


def test_rfc3501_expunge_stays_expunge_without_qresync(alice, six, raw):
    raw.command(b"SELECT INBOX")
    _expunge(alice, [2])
    assert raw.command(b"NOOP")[0] == b"* 2 EXPUNGE\r\n"


def test_rfc7162_3_2_11_select_sends_closed_for_the_previous_folder(six, raw):
    first = raw.command(b"SELECT INBOX")
    assert not any(b"[CLOSED]" in line for line in first)
    second = raw.command(b"EXAMINE Trash")
    assert second[0].startswith(b"* OK [CLOSED]")
    failed = raw.command(b"SELECT Nowhere")
    assert failed[0].startswith(b"* OK [CLOSED]") and failed[-1].split()[1] == b"NO"


def test_rfc7162_3_2_6_uid_fetch_vanished_reports_expunged_uids_of_the_set(alice, six, raw):
    raw.command(b"ENABLE QRESYNC")
    since = six.highestmodseq
    _expunge(alice, [2, 4, 6])
    store_flags(alice.pk, "INBOX", [3], ["\\Seen"], mode="add")
    raw.command(b"SELECT INBOX")
    lines = raw.command(b"UID FETCH 1:4 (FLAGS) (CHANGEDSINCE %d VANISHED)" % since)
    assert lines[0] == b"* VANISHED (EARLIER) 2,4\r\n"
    assert re.match(rb"\* 2 FETCH \(UID 3 FLAGS \(\\Seen \\Recent\) MODSEQ \(\d+\)\)", lines[1])
    assert lines[-1].split()[1] == b"OK" and len(lines) == 3
    # "*" reaches past the last message: UID 6 was the highest.
    assert raw.command(b"UID FETCH 5:* (FLAGS) (VANISHED CHANGEDSINCE %d)" % since)[0] == b"* VANISHED (EARLIER) 6\r\n"


def test_rfc7162_3_2_6_vanished_needs_changedsince_uid_fetch_and_qresync(six, raw):
    raw.command(b"SELECT INBOX")
    assert raw.command(b"UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")[-1].split()[1] == b"BAD"
    raw.command(b"UNSELECT")
    raw.command(b"ENABLE QRESYNC")
    raw.command(b"SELECT INBOX")
    assert raw.command(b"UID FETCH 1:* (FLAGS) (VANISHED)")[-1].split()[1] == b"BAD"
    assert raw.command(b"FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)")[-1].split()[1] == b"BAD"


def test_rfc7162_7_known_uids_may_not_hold_a_star(six, raw):
    raw.command(b"ENABLE QRESYNC")
    reply = raw.command(b"SELECT INBOX (QRESYNC (%d 1 1:*))" % six.uidvalidity)
    assert reply[-1].split()[1] == b"BAD"


def test_rfc7162_3_2_store_reports_the_uid_once_qresync_is_enabled(six, raw):
    raw.command(b"ENABLE QRESYNC")
    raw.command(b"SELECT INBOX")
    lines = raw.command(b"STORE 2 +FLAGS (\\Answered)")
    assert re.match(rb"\* 2 FETCH \(UID 2 FLAGS \(\\Answered \\Recent\) MODSEQ \(\d+\)\)", lines[0])


def test_rfc7162_3_2_5_imaplib_resynchronizes_with_qresync(alice, six, imap):
    """The same exchange from Python's imaplib: ENABLE, then SELECT with the parameters."""
    imap.login("alice@example.test", "correct horse battery staple")
    assert imap.enable("QRESYNC")[0] == "OK"
    assert imap.untagged_responses.pop("ENABLED") == [b"QRESYNC"]
    since = six.highestmodseq
    _expunge(alice, [3])
    typ, _data = imap._simple_command("SELECT", "INBOX", f"(QRESYNC ({six.uidvalidity} {since} 1:6))")
    assert typ == "OK"
    assert imap.untagged_responses["VANISHED"] == [b"(EARLIER) 3"]
