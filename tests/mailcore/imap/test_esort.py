"""ESORT (RFC 5267 §3): SORT RETURN (MIN MAX ALL COUNT) answered with an ESEARCH response
in the requested order, through imaplib; SAVE and MODSEQ with it; bad input."""
import re
from datetime import UTC, datetime

import pytest

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.models import Message

from .raw_imap import PASSWORD, RawImap

# Subjects and arrival days: by subject the order is 3, 1, 5, 2, 4.
MESSAGES = [("banana", 5), ("date", 1), ("apple", 3), ("elderberry", 2), ("cherry", 4)]


@pytest.fixture
def client(alice, imap):
    for subject, day in MESSAGES:
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: {subject}\r\n\r\nbody\r\n".encode(),
               internal_date=datetime(2026, 11, day, 12, tzinfo=UTC))
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def esort(client, *args, uid=False) -> bytes:
    typ, data = client.uid("SORT", *args) if uid else client.xatom("SORT", *args)
    assert typ == "OK", data
    assert client.response("SORT") == ("SORT", [None])  # RFC 5267 §3: ESEARCH instead of SORT
    _name, responses = client.response("ESEARCH")
    assert len(responses) == 1, responses
    return re.sub(rb'^\(TAG "[^"]+"\) ?', b"", responses[0])


def test_rfc5267_3_1_esort_is_advertised(client):
    assert "ESORT" in client.capabilities


def test_rfc5267_3_1_min_and_max_are_the_first_and_last_in_sort_order(client):
    assert esort(client, "RETURN", "(MIN MAX)", "(SUBJECT)", "UTF-8", "ALL") == b"MIN 3 MAX 4"
    assert esort(client, "RETURN", "(MIN MAX)", "(REVERSE SUBJECT)", "UTF-8", "ALL") == b"MIN 4 MAX 3"
    assert esort(client, "RETURN", "(COUNT)", "(ARRIVAL)", "UTF-8", "ALL") == b"COUNT 5"


def test_rfc5267_3_2_all_is_in_sort_order_with_ranges_only_upwards(client):
    assert esort(client, "RETURN", "(ALL)", "(SUBJECT)", "UTF-8", "ALL") == b"ALL 3,1,5,2,4"
    assert esort(client, "RETURN", "(ALL)", "(ARRIVAL)", "UTF-8", "ALL") == b"ALL 2,4,3,5,1"
    assert esort(client, "RETURN", "()", "(REVERSE ARRIVAL)", "UTF-8", "ALL") == b"ALL 1,5,3:4,2"
    assert esort(client, "RETURN", "()", "(SIZE)", "UTF-8", "ALL") == b"ALL 2:3,1,5,4"  # by size; 1 and 5 tie


def test_rfc5267_3_3_uid_sort_answers_uids(alice, client):
    store_flags(alice.pk, "INBOX", [3], ["\\Deleted"])
    client.expunge()
    assert esort(client, "RETURN", "()", "(SUBJECT)", "UTF-8", "ALL", uid=True) == b"UID ALL 1,5,2,4"
    assert esort(client, "RETURN", "(MIN COUNT)", "(SUBJECT)", "UTF-8", "ALL", uid=True) == b"UID MIN 1 COUNT 4"
    assert esort(client, "RETURN", "()", "(SUBJECT)", "UTF-8", "ALL") == b"ALL 1,4,2:3"


def test_rfc5267_3_search_keys_choose_what_is_sorted(alice, client):
    store_flags(alice.pk, "INBOX", [1, 4], ["\\Seen"])
    assert esort(client, "RETURN", "(ALL COUNT)", "(SUBJECT)", "UTF-8", "UNSEEN") == b"ALL 3,5,2 COUNT 3"
    assert esort(client, "RETURN", "(MIN MAX ALL)", "(SUBJECT)", "UTF-8", "DELETED") == b""


def test_rfc5182_sort_return_save_keeps_the_sorted_result(client):
    assert esort(client, "RETURN", "(SAVE MIN)", "(SUBJECT)", "UTF-8", "ALL") == b"MIN 3"
    typ, data = client.fetch("$", "(UID)")
    assert typ == "OK" and data == [b"3 (UID 3)"]


def test_rfc4731_3_2_sort_with_modseq_reports_the_highest_of_what_is_returned(alice, client):
    store_flags(alice.pk, "INBOX", [5], ["\\Flagged"])
    store_flags(alice.pk, "INBOX", [2], ["\\Flagged"])
    client.noop()
    modseq = dict(Message.objects.filter(account=alice).values_list("uid", "modseq"))
    since = min(modseq[2], modseq[5])
    assert esort(client, "RETURN", "(MIN)", "(SUBJECT)", "UTF-8", "MODSEQ", str(since)) == \
        b"MIN 5 MODSEQ %d" % modseq[5]
    assert esort(client, "RETURN", "(ALL)", "(SUBJECT)", "UTF-8", "MODSEQ", str(since)) == \
        b"ALL 5,2 MODSEQ %d" % max(modseq[2], modseq[5])


def test_rfc5256_plain_sort_is_unchanged(client):
    typ, data = client.sort("(SUBJECT)", "UTF-8", "ALL")
    assert (typ, data) == ("OK", [b"3 1 5 2 4"])


@pytest.mark.parametrize("line", [
    b"SORT RETURN (FOO) (SUBJECT) UTF-8 ALL",
    b"SORT RETURN (MIN) UTF-8 ALL",  # no sort criteria
    b"SORT (SUBJECT) RETURN (MIN) UTF-8 ALL",  # RETURN after the criteria
    b"SORT RETURN (MIN) (SUBJECT) UTF-8",  # no search keys
    b"SORT RETURN (MIN) (SUBJECT) KOI8-R ALL",
])
def test_rfc5267_3_a_bad_esort_is_refused_and_the_session_goes_on(alice, imap_host, line):
    append(alice.pk, "INBOX", b"Subject: x\r\n\r\nbody\r\n")
    raw = RawImap(imap_host.ports["imap"])
    raw.command(b"SELECT INBOX")
    assert raw.command(line)[-1].split()[1] in (b"BAD", b"NO")
    assert raw.command(b"SORT RETURN (COUNT) (SUBJECT) UTF-8 ALL")[0] == b'* ESEARCH (TAG "r4") COUNT 1\r\n'
    raw.close()
