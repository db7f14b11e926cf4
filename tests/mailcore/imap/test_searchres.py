"""SEARCHRES (RFC 5182): SEARCH RETURN (SAVE) keeps the result, "$" uses it in FETCH,
STORE, COPY, MOVE, SEARCH, UID EXPUNGE and their UID forms; "$" is emptied by SELECT and
by a search with SAVE that fails with NO, and loses messages as they are expunged."""
import socket

import pytest

from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Message

from .raw_imap import PASSWORD, RawImap


@pytest.fixture
def raw(alice, imap_host):
    for i in range(1, 7):
        append(alice.pk, "INBOX", f"From: bob@example.net\r\nSubject: m{i}\r\n\r\nbody {i}\r\n".encode())
    store_flags(alice.pk, "INBOX", [2, 4, 5], ["\\Seen"])
    connection = RawImap(imap_host.ports["imap"])
    connection.command(b"SELECT INBOX")
    yield connection
    connection.close()


def untagged(lines: list[bytes]) -> list[bytes]:
    assert lines[-1].split()[1] == b"OK", lines
    return [line.rstrip(b"\r\n") for line in lines[:-1]]


def fetched_uids(raw, line: bytes = b"FETCH $ (UID)") -> list[int]:
    return [int(line.split(b"UID ")[1].split()[0].rstrip(b")")) for line in untagged(raw.command(line))]


def test_rfc5182_searchres_is_advertised(raw):
    assert b"SEARCHRES" in raw.command(b"CAPABILITY")[0]


def test_rfc5182_2_1_save_alone_answers_nothing_and_keeps_the_result(raw):
    assert untagged(raw.command(b"SEARCH RETURN (SAVE) SEEN")) == []
    assert untagged(raw.command(b"FETCH $ (UID)")) == [b"* 2 FETCH (UID 2)", b"* 4 FETCH (UID 4)",
                                                        b"* 5 FETCH (UID 5)"]
    assert fetched_uids(raw, b"UID FETCH $ (FLAGS)") == [2, 4, 5]  # the same messages by UID


def test_rfc5182_2_4_with_min_or_max_only_those_are_saved(raw):
    assert untagged(raw.command(b"SEARCH RETURN (SAVE MIN) SEEN")) == [b'* ESEARCH (TAG "r3") MIN 2']
    assert fetched_uids(raw) == [2]
    assert untagged(raw.command(b"SEARCH RETURN (MAX SAVE) SEEN")) == [b'* ESEARCH (TAG "r5") MAX 5']
    assert fetched_uids(raw) == [5]
    raw.command(b"SEARCH RETURN (SAVE MIN MAX) SEEN")
    assert fetched_uids(raw) == [2, 5]


def test_rfc5182_2_4_with_all_or_count_everything_found_is_saved(raw):
    assert untagged(raw.command(b"SEARCH RETURN (SAVE MIN COUNT) SEEN")) == [b'* ESEARCH (TAG "r3") MIN 2 COUNT 3']
    assert fetched_uids(raw) == [2, 4, 5]
    raw.command(b"UID SEARCH RETURN (SAVE ALL) UNSEEN")
    assert fetched_uids(raw) == [1, 3, 6]


def test_rfc5182_2_1_dollar_works_in_store_copy_and_search(alice, raw):
    raw.command(b"SEARCH RETURN (SAVE) UNSEEN")
    assert untagged(raw.command(b"STORE $ +FLAGS.SILENT (\\Flagged)")) == []
    assert sorted(Message.objects.filter(account=alice, folder__name="INBOX", flagged=True)
                  .values_list("uid", flat=True)) == [1, 3, 6]
    assert raw.command(b"COPY $ Projects")[-1].split()[1] == b"NO"  # no such folder: TRYCREATE
    raw.command(b"CREATE Projects")
    assert b"[COPYUID " in raw.command(b"UID COPY $ Projects")[-1]
    assert Message.objects.filter(account=alice, folder__name="Projects").count() == 3
    assert untagged(raw.command(b"SEARCH $")) == [b"* SEARCH 1 3 6"]
    assert untagged(raw.command(b"SEARCH NOT $")) == [b"* SEARCH 2 4 5"]
    assert untagged(raw.command(b"UID SEARCH UID $ SUBJECT m3")) == [b"* SEARCH 3"]
    assert untagged(raw.command(b"SEARCH OR $ 2")) == [b"* SEARCH 1 2 3 6"]


def test_rfc5182_2_1_dollar_works_in_move_and_uid_expunge(alice, raw):
    raw.command(b"CREATE Projects")
    raw.command(b"SEARCH RETURN (SAVE) SUBJECT m2")
    moved = untagged(raw.command(b"MOVE $ Projects"))
    assert moved[0].startswith(b"* OK [COPYUID ") and moved[1:] == [b"* 2 EXPUNGE"]
    assert untagged(raw.command(b"FETCH $ (UID)")) == []  # the moved message left "$"
    raw.command(b"UID SEARCH RETURN (SAVE) SUBJECT m4")
    raw.command(b"STORE 1:* +FLAGS.SILENT (\\Deleted)")
    expunged = [line for line in untagged(raw.command(b"UID EXPUNGE $")) if line.endswith(b"EXPUNGE")]
    assert expunged == [b"* 3 EXPUNGE"]  # m4 only, of all the \\Deleted
    assert sorted(Message.objects.filter(account=alice, folder__name="INBOX").values_list("uid", flat=True)) == \
        [1, 3, 5, 6]


def test_rfc5182_2_1_expunged_messages_leave_dollar_and_numbers_follow(alice, raw):
    raw.command(b"SEARCH RETURN (SAVE) SEEN")  # UIDs 2, 4, 5
    store_flags(alice.pk, "INBOX", [1, 4], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    assert untagged(raw.command(b"NOOP")) == [b"* 4 EXPUNGE", b"* 1 EXPUNGE"]
    # Message 2 is now number 1, message 5 number 3; message 4 is gone from "$".
    assert untagged(raw.command(b"FETCH $ (UID)")) == [b"* 1 FETCH (UID 2)", b"* 3 FETCH (UID 5)"]


def test_rfc5182_2_1_new_mail_never_joins_dollar(alice, raw):
    raw.command(b"SEARCH RETURN (SAVE) ALL")
    append(alice.pk, "INBOX", b"Subject: later\r\n\r\nbody\r\n")
    raw.command(b"NOOP")
    assert fetched_uids(raw) == [1, 2, 3, 4, 5, 6]


def test_rfc5182_2_1_select_empties_dollar(raw):
    raw.command(b"SEARCH RETURN (SAVE) ALL")
    raw.command(b"SELECT INBOX")
    assert untagged(raw.command(b"FETCH $ (UID)")) == []  # empty, not an error
    assert untagged(raw.command(b"SEARCH $")) == [b"* SEARCH"]
    raw.command(b"SEARCH RETURN (SAVE) ALL")
    raw.command(b"EXAMINE INBOX")
    assert untagged(raw.command(b"UID FETCH $ (UID)")) == []


def test_rfc5182_2_1_a_failed_search_with_save_empties_dollar_a_bad_one_does_not(raw):
    raw.command(b"SEARCH RETURN (SAVE) SEEN")
    assert raw.command(b"SEARCH RETURN (SAVE) NOSUCHKEY")[-1].split()[1] == b"BAD"
    assert fetched_uids(raw) == [2, 4, 5]  # BAD: unchanged
    assert raw.command(b"SEARCH RETURN (MIN) CHARSET KOI8-R ALL")[-1].split()[1] == b"NO"
    assert fetched_uids(raw) == [2, 4, 5]  # NO without SAVE: unchanged
    reply = raw.command(b"SEARCH RETURN (SAVE) CHARSET KOI8-R ALL")[-1]
    assert b"NO [BADCHARSET" in reply
    assert fetched_uids(raw) == []  # NO with SAVE: empty


def test_rfc5182_2_1_a_search_without_save_leaves_dollar(raw):
    raw.command(b"SEARCH RETURN (SAVE) SEEN")
    raw.command(b"SEARCH RETURN (ALL) UNSEEN")
    raw.command(b"SEARCH UNSEEN")
    assert fetched_uids(raw) == [2, 4, 5]


def test_rfc5182_2_2_a_saving_search_and_its_use_may_be_pipelined(alice, imap_host, raw):
    sock = socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10)
    reader = sock.makefile("rb")
    reader.readline()
    sock.sendall(f'a LOGIN alice@example.test "{PASSWORD}"\r\nb SELECT INBOX\r\n'
                 "c UID SEARCH RETURN (SAVE) UNSEEN\r\nd UID STORE $ +FLAGS.SILENT (\\Answered)\r\n"
                 "e UID FETCH $ (FLAGS)\r\n".encode())
    lines = []
    while not lines or not lines[-1].startswith(b"e "):
        lines.append(reader.readline())
    assert [line for line in lines if line.startswith(b"* ") and b"FETCH" in line] == [
        b"* 1 FETCH (UID 1 FLAGS (\\Answered))\r\n", b"* 3 FETCH (UID 3 FLAGS (\\Answered))\r\n",
        b"* 6 FETCH (UID 6 FLAGS (\\Answered))\r\n"]
    sock.close()


@pytest.mark.parametrize("line", [b"FETCH 1,$ (UID)", b"FETCH $:3 (UID)", b"SEARCH $,1", b"STORE $$ +FLAGS (\\Seen)",
                                  b"SEARCH RETURN (SAVE SAVE"])
def test_rfc5182_3_dollar_stands_alone_else_bad_and_the_session_goes_on(raw, line):
    raw.command(b"SEARCH RETURN (SAVE) SEEN")
    assert raw.command(line)[-1].split()[1] == b"BAD"
    assert fetched_uids(raw) == [2, 4, 5]
