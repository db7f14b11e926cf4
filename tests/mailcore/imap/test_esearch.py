"""ESEARCH (RFC 4731): SEARCH RETURN (MIN MAX ALL COUNT) answered with one ESEARCH
response, through imaplib; MODSEQ with CONDSTORE (§3.2); bad RETURN lists through a
raw socket."""
import re

import pytest

from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Message

from .raw_imap import PASSWORD, RawImap


@pytest.fixture
def client(alice, imap):
    for i in range(1, 7):
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: m{i}\r\n\r\nbody {i}\r\n".encode())
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def esearch(client, *args, uid=False) -> bytes:
    """The ESEARCH response's data for one SEARCH RETURN ... (imaplib keeps it under
    ESEARCH; the SEARCH data it returns itself is empty)."""
    typ, data = client.uid("SEARCH", *args) if uid else client.search(None, *args)
    assert typ == "OK", data
    assert data == [None]  # RFC 4731 §3.1: ESEARCH instead of SEARCH, not both
    _name, responses = client.response("ESEARCH")
    assert len(responses) == 1, responses
    return re.sub(rb'^\(TAG "[^"]+"\) ?', b"", responses[0])


def test_rfc4731_esearch_is_advertised(client):
    assert "ESEARCH" in client.capabilities


def test_rfc4731_3_1_min_max_all_count(client):
    assert esearch(client, "RETURN", "(MIN)", "ALL") == b"MIN 1"
    assert esearch(client, "RETURN", "(MAX)", "ALL") == b"MAX 6"
    assert esearch(client, "RETURN", "(COUNT)", "ALL") == b"COUNT 6"
    assert esearch(client, "RETURN", "(ALL)", "ALL") == b"ALL 1:6"
    assert esearch(client, "RETURN", "(COUNT MAX ALL MIN)", "2:4") == b"MIN 2 MAX 4 ALL 2:4 COUNT 3"


def test_rfc4731_3_1_an_empty_return_list_means_all(client):
    assert esearch(client, "RETURN", "()", "ALL") == b"ALL 1:6"


def test_rfc4731_3_1_all_is_a_sequence_set_in_its_shortest_form(alice, client):
    store_flags(alice.pk, "INBOX", [1, 2, 3, 5], ["\\Seen"])
    assert esearch(client, "RETURN", "(ALL)", "SEEN") == b"ALL 1:3,5"
    assert esearch(client, "RETURN", "(ALL)", "UNSEEN") == b"ALL 4,6"


def test_rfc4731_3_1_uid_search_answers_uids_with_the_uid_indicator(alice, client):
    store_flags(alice.pk, "INBOX", [4], ["\\Deleted"])
    client.expunge()
    assert esearch(client, "RETURN", "(ALL)", "ALL", uid=True) == b"UID ALL 1:3,5:6"
    assert esearch(client, "RETURN", "(MIN MAX COUNT)", "ALL", uid=True) == b"UID MIN 1 MAX 6 COUNT 5"
    assert esearch(client, "RETURN", "(ALL)", "ALL") == b"ALL 1:5"


def test_rfc4731_3_1_no_match_leaves_out_min_max_and_all_but_not_count(client):
    assert esearch(client, "RETURN", "(MIN MAX ALL)", "DELETED") == b""
    assert esearch(client, "RETURN", "(MIN COUNT)", "DELETED") == b"COUNT 0"
    assert esearch(client, "RETURN", "(MIN MAX ALL COUNT)", "DELETED", uid=True) == b"UID COUNT 0"


def test_rfc4731_3_1_the_response_carries_the_command_tag(alice, imap_host, client):
    raw = RawImap(imap_host.ports["imap"])
    raw.command(b"EXAMINE INBOX")
    assert raw.command(b"UID SEARCH RETURN (MIN) ALL")[0] == b'* ESEARCH (TAG "r3") UID MIN 1\r\n'
    raw.close()


def test_rfc4731_3_1_only_messages_the_client_knows_of_are_found(alice, client):
    # Mail that arrived after the last update is not in the client's view yet: it is
    # neither counted nor given a number the client has not heard of.
    append(alice.pk, "INBOX", b"Subject: new\r\n\r\nbody\r\n")
    assert esearch(client, "RETURN", "(COUNT ALL)", "ALL") == b"ALL 1:6 COUNT 6"
    client.noop()  # * 7 EXISTS
    assert esearch(client, "RETURN", "(COUNT ALL)", "ALL") == b"ALL 1:7 COUNT 7"


def test_rfc4731_3_2_modseq_is_the_highest_of_what_is_returned(alice, client):
    for uid in (1, 3, 2):
        store_flags(alice.pk, "INBOX", [uid], ["\\Seen"])
    client.noop()
    modseq = dict(Message.objects.filter(account=alice).values_list("uid", "modseq"))
    ranges = {"MIN": modseq[1], "MAX": modseq[3], "MIN MAX": max(modseq[1], modseq[3]),
              "ALL": max(modseq[1], modseq[2], modseq[3]), "COUNT": max(modseq[1], modseq[2], modseq[3])}
    first = min(modseq[1], modseq[2], modseq[3])
    assert esearch(client, "RETURN", "(MIN)", "MODSEQ", str(first)) == b"MIN 1 MODSEQ %d" % ranges["MIN"]
    assert esearch(client, "RETURN", "(MAX)", "MODSEQ", str(first)) == b"MAX 3 MODSEQ %d" % ranges["MAX"]
    assert esearch(client, "RETURN", "(MIN MAX)", "MODSEQ", str(first)) == b"MIN 1 MAX 3 MODSEQ %d" % ranges["MIN MAX"]
    assert esearch(client, "RETURN", "()", "MODSEQ", str(first)) == b"ALL 1:3 MODSEQ %d" % ranges["ALL"]
    assert esearch(client, "RETURN", "(COUNT)", "MODSEQ", str(first)) == b"COUNT 3 MODSEQ %d" % ranges["COUNT"]
    # RFC 4731 §3.2 names MODSEQ for what is returned: nothing found, no MODSEQ.
    assert esearch(client, "RETURN", "(ALL)", "MODSEQ", str(max(modseq.values()) + 1)) == b""


def test_rfc7162_3_1_search_modseq_enables_condstore_and_tells_highestmodseq(alice, imap_host, client):
    raw = RawImap(imap_host.ports["imap"])
    raw.command(b"SELECT INBOX")
    lines = raw.command(b'SEARCH RETURN (COUNT) MODSEQ "/flags/\\\\seen" all 1')
    assert re.fullmatch(rb"\* OK \[HIGHESTMODSEQ \d+\] .*\r\n", lines[0])
    assert re.fullmatch(rb'\* ESEARCH \(TAG "r3"\) COUNT 6 MODSEQ \d+\r\n', lines[1])
    # Once enabled, it is not told again.
    assert raw.command(b"SEARCH RETURN (COUNT) MODSEQ 1")[0].startswith(b"* ESEARCH")
    raw.close()


def test_rfc4731_plain_search_is_unchanged(alice, client):
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    assert client.search(None, "SEEN") == ("OK", [b"2"])
    assert client.response("ESEARCH") == ("ESEARCH", [None])


@pytest.mark.parametrize("line", [
    b"SEARCH RETURN (FOO) ALL",  # not an option
    b"SEARCH RETURN MIN ALL",  # no parentheses
    b"SEARCH RETURN (MIN ALL",  # unclosed
    b"SEARCH RETURN (MIN)",  # no search keys
    b"SEARCH RETURN (MIN)ALL",  # no space
    b"SEARCH RETURN () CHARSET KOI8-R ALL",
    b"UID SEARCH RETURN ((MIN)) ALL",
])
def test_rfc4466_a_bad_return_list_is_refused_and_the_session_goes_on(alice, imap_host, line):
    for i in range(2):
        append(alice.pk, "INBOX", f"Subject: {i}\r\n\r\nbody\r\n".encode())
    raw = RawImap(imap_host.ports["imap"])
    raw.command(b"SELECT INBOX")
    reply = raw.command(line)[-1]
    assert reply.split()[1] in (b"BAD", b"NO"), reply
    assert raw.command(b"SEARCH RETURN (COUNT) ALL")[0] == b'* ESEARCH (TAG "r4") COUNT 2\r\n'
    raw.close()


def test_rfc4731_return_options_need_a_selected_folder(alice, imap_host):
    raw = RawImap(imap_host.ports["imap"])
    assert raw.command(b"SEARCH RETURN (MIN) ALL")[-1].split()[1] == b"BAD"
    raw.close()


def test_rfc4731_3_1_expunged_messages_are_not_found(alice, client):
    store_flags(alice.pk, "INBOX", [6], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    client.noop()
    assert esearch(client, "RETURN", "(MAX COUNT)", "ALL") == b"MAX 5 COUNT 5"
