"""PARTIAL (RFC 9394, first in RFC 5267 §4.4): a page of SEARCH and SORT results, counted
from the first or (with negative numbers) the last result, and UID FETCH (PARTIAL)."""
import re

import pytest

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.models import Message

from .raw_imap import RawImap

# By subject the order is 4, 2, 6, 1, 5, 3.
SUBJECTS = ["delta", "bravo", "foxtrot", "alpha", "echo", "charlie"]


@pytest.fixture
def raw(alice, imap_host):
    for subject in SUBJECTS:
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: {subject}\r\n\r\nbody\r\n".encode())
    connection = RawImap(imap_host.ports["imap"])
    connection.command(b"SELECT INBOX")
    yield connection
    connection.close()


def esearch(raw, line: bytes) -> bytes:
    lines = raw.command(line)
    assert lines[-1].split()[1] == b"OK", lines
    assert len(lines) == 2, lines
    return re.sub(rb'^\* ESEARCH \(TAG "r\d+"\) ?', b"", lines[0].rstrip(b"\r\n"))


def test_rfc9394_3_partial_is_advertised(raw):
    assert b" PARTIAL" in raw.command(b"CAPABILITY")[0]


def test_rfc9394_3_1_a_page_counted_from_the_first_result(raw):
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 1:2) ALL") == b"PARTIAL (1:2 1:2)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 3:4) ALL") == b"PARTIAL (3:4 3:4)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 4:3) ALL") == b"PARTIAL (3:4 3:4)"  # 4:3 is 3:4
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 2:3) 1:2,4:6") == b"PARTIAL (2:3 2,4)"


def test_rfc9394_3_1_a_page_past_the_results_is_short_or_nil(raw):
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 5:100) ALL") == b"PARTIAL (5:100 5:6)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 7:7) ALL") == b"PARTIAL (7:7 NIL)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 1:10) DELETED") == b"PARTIAL (1:10 NIL)"


def test_rfc9394_3_1_negative_ranges_count_from_the_last_result(raw):
    assert esearch(raw, b"SEARCH RETURN (PARTIAL -1:-2) ALL") == b"PARTIAL (-1:-2 5:6)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL -3:-3) ALL") == b"PARTIAL (-3:-3 4)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL -2:-1) ALL") == b"PARTIAL (-1:-2 5:6)"  # the same range
    assert esearch(raw, b"SEARCH RETURN (PARTIAL -5:-100) ALL") == b"PARTIAL (-5:-100 1:2)"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL -7:-9) ALL") == b"PARTIAL (-7:-9 NIL)"


def test_rfc9394_3_1_uid_search_pages_uids(alice, raw):
    store_flags(alice.pk, "INBOX", [2], ["\\Deleted"])
    raw.command(b"EXPUNGE")
    assert esearch(raw, b"UID SEARCH RETURN (PARTIAL 2:3) ALL") == b"UID PARTIAL (2:3 3:4)"
    assert esearch(raw, b"UID SEARCH RETURN (PARTIAL -1:-1) ALL") == b"UID PARTIAL (-1:-1 6)"


def test_rfc5267_4_4_sort_pages_are_in_the_requested_order(raw):
    assert esearch(raw, b"SORT RETURN (PARTIAL 1:3) (SUBJECT) UTF-8 ALL") == b"PARTIAL (1:3 4,2,6)"
    assert esearch(raw, b"SORT RETURN (PARTIAL -1:-2) (SUBJECT) UTF-8 ALL") == b"PARTIAL (-1:-2 5,3)"
    assert esearch(raw, b"UID SORT RETURN (PARTIAL 4:9) (REVERSE SUBJECT) UTF-8 ALL") == b"UID PARTIAL (4:9 6,2,4)"


def test_rfc9394_3_1_partial_goes_with_the_other_options(raw):
    assert esearch(raw, b"SEARCH RETURN (MIN PARTIAL 2:3 COUNT MAX) ALL") == b"MIN 1 MAX 6 PARTIAL (2:3 2:3) COUNT 6"


def test_rfc9394_3_2_save_with_partial_keeps_the_page_and_with_count_everything(raw):
    raw.command(b"SEARCH RETURN (SAVE PARTIAL 2:3) ALL")
    assert esearch(raw, b"SEARCH RETURN (ALL) $") == b"ALL 2:3"
    raw.command(b"SEARCH RETURN (SAVE PARTIAL 2:3 MIN) ALL")
    assert esearch(raw, b"SEARCH RETURN (ALL) $") == b"ALL 1:3"
    raw.command(b"SEARCH RETURN (SAVE PARTIAL 2:3 COUNT) ALL")
    assert esearch(raw, b"SEARCH RETURN (ALL) $") == b"ALL 1:6"


def test_rfc4731_3_2_modseq_with_partial_is_the_highest_of_the_page(alice, raw):
    for uid in (5, 2, 3):
        store_flags(alice.pk, "INBOX", [uid], ["\\Seen"])
    raw.command(b"SELECT INBOX (CONDSTORE)")
    modseq = dict(Message.objects.filter(account=alice).values_list("uid", "modseq"))
    line = b"SEARCH RETURN (PARTIAL 1:2) MODSEQ %d" % min(modseq[2], modseq[3], modseq[5])
    assert esearch(raw, line).endswith(b"PARTIAL (1:2 2:3) MODSEQ %d" % max(modseq[2], modseq[3]))


def test_rfc9394_3_3_uid_fetch_partial(raw):
    lines = raw.command(b"UID FETCH 1:* (FLAGS) (PARTIAL -1:-2)")
    assert [line.split(b" FETCH")[0] for line in lines[:-1]] == [b"* 5", b"* 6"]
    lines = raw.command(b"UID FETCH 2:5 (UID) (PARTIAL 2:3)")
    assert lines[:-1] == [b"* 3 FETCH (UID 3)\r\n", b"* 4 FETCH (UID 4)\r\n"]
    assert raw.command(b"UID FETCH 1:* (UID) (PARTIAL 7:9)")[:-1] == []


def test_rfc9394_3_4_uid_fetch_partial_pages_what_changed_since(alice, raw):
    since = max(Message.objects.filter(account=alice).values_list("modseq", flat=True))
    store_flags(alice.pk, "INBOX", [2, 4, 5], ["\\Flagged"])
    raw.command(b"SELECT INBOX (CONDSTORE)")
    lines = raw.command(b"UID FETCH 1:* (UID) (CHANGEDSINCE %d PARTIAL -1:-2)" % since)
    assert [line.split(b" (")[0] for line in lines[:-1]] == [b"* 4 FETCH", b"* 5 FETCH"]


@pytest.mark.parametrize("line", [
    b"SEARCH RETURN (PARTIAL 1) ALL",
    b"SEARCH RETURN (PARTIAL 1:*) ALL",
    b"SEARCH RETURN (PARTIAL *:1) ALL",
    b"SEARCH RETURN (PARTIAL 0:5) ALL",
    b"SEARCH RETURN (PARTIAL -1:5) ALL",
    b"SEARCH RETURN (PARTIAL 1:4294967296) ALL",
    b"SEARCH RETURN (PARTIAL) ALL",
    b"SEARCH RETURN (PARTIAL 1:5 ALL) ALL",  # RFC 9394 §3.1: one PARTIAL or ALL
    b"SEARCH RETURN (PARTIAL 1:5 PARTIAL 6:9) ALL",
    b'SEARCH RETURN (PARTIAL "1:5") ALL',
    b"SORT RETURN (PARTIAL 1) (ARRIVAL) US-ASCII ALL",
    b"SORT RETURN (PARTIAL *:1) (ARRIVAL) US-ASCII ALL",
    b"FETCH 1:* (UID) (PARTIAL 1:2)",  # RFC 9394 §3.3: UID FETCH only
    b"UID FETCH 1:* (UID) (PARTIAL 1:2 PARTIAL 3:4)",
    b"UID FETCH 1:* (UID) (PARTIAL -1:2)",
])
def test_rfc9394_4_bad_ranges_are_refused_and_the_session_goes_on(raw, line):
    assert raw.command(line)[-1].split()[1] == b"BAD"
    assert esearch(raw, b"SEARCH RETURN (PARTIAL 1:1) ALL") == b"PARTIAL (1:1 1)"
