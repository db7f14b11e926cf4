"""CONTEXT=SEARCH and CONTEXT=SORT (RFC 5267 §4): RETURN (UPDATE) keeps a search's result
up to date with ADDTO and REMOVEFROM as this session, other sessions and delivery change
the folder; CANCELUPDATE stops it. Real sockets, one command at a time."""
import pytest

from mailcore.imap.searchcontext import MAX_CONTEXTS
from mailcore.store.append import append
from mailcore.store.messages import expunge, store_flags

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


def lines_of(reply: list[bytes]) -> list[bytes]:
    """The untagged lines of a reply that succeeded; the command's own tag in an ESEARCH
    is shown as "t" (updates carry the tags of earlier searches, kept as they are)."""
    tag = reply[-1].split()[0]
    assert reply[-1].split()[1] == b"OK", reply
    return [line.rstrip(b"\r\n").replace(b'(TAG "%s")' % tag, b'(TAG "t")') for line in reply[:-1]]


def esearch_lines(reply: list[bytes]) -> list[bytes]:
    return [line for line in lines_of(reply) if line.startswith(b"* ESEARCH")]


def tag_of(raw) -> str:
    return f"r{raw.count}"


def test_rfc5267_4_1_context_search_and_sort_are_advertised(raw):
    capabilities = raw.command(b"CAPABILITY")[0].split()
    assert b"CONTEXT=SEARCH" in capabilities and b"CONTEXT=SORT" in capabilities


def test_rfc5267_4_3_update_alone_answers_an_empty_esearch_and_other_options_as_asked(raw):
    assert lines_of(raw.command(b"SEARCH RETURN (UPDATE) SEEN")) == [b'* ESEARCH (TAG "t")']
    assert lines_of(raw.command(b"SEARCH RETURN (UPDATE COUNT) UNSEEN")) == [b'* ESEARCH (TAG "t") COUNT 6']
    assert lines_of(raw.command(b"SEARCH RETURN (CONTEXT COUNT) UNSEEN")) == [b'* ESEARCH (TAG "t") COUNT 6']


def test_rfc5267_4_3_3_own_store_adds_and_removes_in_mailbox_order_at_position_0(raw):
    raw.command(b"SEARCH RETURN (UPDATE) SEEN")
    search = tag_of(raw)
    assert esearch_lines(raw.command(b"STORE 1,2,4 +FLAGS (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") ADDTO (0 1:2,4)'.encode()]
    assert esearch_lines(raw.command(b"STORE 1:3 -FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") REMOVEFROM (0 1:2)'.encode()]
    assert esearch_lines(raw.command(b"STORE 4 +FLAGS (\\Flagged)")) == []  # still matches: nothing to say


def test_rfc5267_4_3_2_uid_searches_are_updated_with_uids(alice, raw):
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    raw.command(b"NOOP")
    raw.command(b"UID SEARCH RETURN (UPDATE ALL) OR SEEN SUBJECT echo")
    search = tag_of(raw)
    assert esearch_lines(raw.command(b"STORE 1:2 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") UID ADDTO (0 2:3)'.encode()]
    assert esearch_lines(raw.command(b"UID STORE 1:* -FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") UID REMOVEFROM (0 2:3)'.encode()]


def test_rfc5267_4_3_another_sessions_changes_are_told_with_their_fetch(alice, raw):
    raw.command(b"SEARCH RETURN (UPDATE) FLAGGED")
    search = tag_of(raw)
    store_flags(alice.pk, "INBOX", [3, 5], ["\\Flagged"])
    reply = lines_of(raw.command(b"NOOP"))
    assert reply[-1] == f'* ESEARCH (TAG "{search}") ADDTO (0 3,5)'.encode()
    assert reply[:2] == [b"* 3 FETCH (FLAGS (\\Flagged \\Recent))", b"* 5 FETCH (FLAGS (\\Flagged \\Recent))"]


def test_rfc5267_4_3_4_removefrom_comes_before_the_expunge_it_follows(alice, raw):
    store_flags(alice.pk, "INBOX", [2, 4, 5], ["\\Seen"])
    raw.command(b"NOOP")
    raw.command(b"SEARCH RETURN (UPDATE ALL) SEEN")
    search = tag_of(raw)
    store_flags(alice.pk, "INBOX", [4, 5, 6], ["\\Deleted"])
    expunge(alice.pk, "INBOX")  # another session's expunge
    assert lines_of(raw.command(b"NOOP")) == [
        f'* ESEARCH (TAG "{search}") REMOVEFROM (0 4:5)'.encode(),  # numbers from before the expunges
        b"* 6 EXPUNGE", b"* 5 EXPUNGE", b"* 4 EXPUNGE"]
    assert esearch_lines(raw.command(b"SEARCH RETURN (ALL) SEEN")) == [b'* ESEARCH (TAG "t") ALL 2']


def test_rfc5267_4_3_4_own_expunge_removes_too(raw):
    raw.command(b"SEARCH RETURN (UPDATE) DELETED")
    search = tag_of(raw)
    raw.command(b"STORE 2:3 +FLAGS.SILENT (\\Deleted)")
    reply = lines_of(raw.command(b"EXPUNGE"))
    assert reply[:3] == [f'* ESEARCH (TAG "{search}") REMOVEFROM (0 2:3)'.encode(), b"* 3 EXPUNGE", b"* 2 EXPUNGE"]


def test_rfc5267_4_3_3_addto_for_new_mail_comes_after_its_exists(alice, raw):
    raw.command(b"SEARCH RETURN (UPDATE) SUBJECT golf")
    search = tag_of(raw)
    append(alice.pk, "INBOX", b"Subject: golf\r\n\r\nbody\r\n")
    append(alice.pk, "INBOX", b"Subject: hotel\r\n\r\nbody\r\n")
    assert lines_of(raw.command(b"NOOP")) == [b"* 8 EXISTS", b"* 8 RECENT",
                                               f'* ESEARCH (TAG "{search}") ADDTO (0 7)'.encode()]


def test_rfc5267_4_3_own_append_into_the_folder_is_added(raw):
    raw.command(b"SEARCH RETURN (UPDATE) SEEN")
    search = tag_of(raw)
    reply = raw.command(b"APPEND INBOX (\\Seen) ", (b"Subject: india\r\n\r\nbody\r\n",))
    assert [line.rstrip(b"\r\n") for line in reply[:-1]] == [
        b"* 7 EXISTS", b"* 7 RECENT", f'* ESEARCH (TAG "{search}") ADDTO (0 7)'.encode()]


def test_rfc5267_4_3_new_and_recent_stay_live(alice, raw):
    raw.command(b"SEARCH RETURN (UPDATE) NEW")
    search = tag_of(raw)
    append(alice.pk, "INBOX", b"Subject: juliett\r\n\r\nbody\r\n")
    assert esearch_lines(raw.command(b"NOOP")) == [f'* ESEARCH (TAG "{search}") ADDTO (0 7)'.encode()]
    assert esearch_lines(raw.command(b"STORE 7 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") REMOVEFROM (0 7)'.encode()]


def test_rfc5267_4_3_sequence_numbers_in_the_search_are_fixed_when_it_is_made(alice, raw):
    raw.command(b"SEARCH RETURN (UPDATE) 1:2 SEEN")
    search = tag_of(raw)
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    expunge(alice.pk, "INBOX")
    raw.command(b"NOOP")  # message 3 is now number 2
    assert esearch_lines(raw.command(b"STORE 2 +FLAGS.SILENT (\\Seen)")) == []
    assert esearch_lines(raw.command(b"STORE 1 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") ADDTO (0 1)'.encode()]


def test_rfc5267_4_3_a_fetch_that_sets_seen_updates_too(raw):
    raw.command(b"SEARCH RETURN (UPDATE) UNSEEN")
    search = tag_of(raw)
    reply = esearch_lines(raw.command(b"FETCH 2 BODY[TEXT]"))
    assert reply == [f'* ESEARCH (TAG "{search}") REMOVEFROM (0 2)'.encode()]
    assert esearch_lines(raw.command(b"FETCH 3 BODY.PEEK[TEXT]")) == []


def test_rfc5267_4_3_updates_come_during_idle(alice, imap_host, raw):
    raw.command(b"SEARCH RETURN (UPDATE) FLAGGED")
    search = tag_of(raw)
    raw.sock.sendall(b"i1 IDLE\r\n")
    assert raw.reader.readline().startswith(b"+ ")
    store_flags(alice.pk, "INBOX", [6], ["\\Flagged"])
    seen = []
    while not seen or not seen[-1].startswith(b"* ESEARCH"):
        seen.append(raw.reader.readline().rstrip(b"\r\n"))  # the watcher polls twice a second
    assert seen == [b"* 6 FETCH (FLAGS (\\Flagged \\Recent))", f'* ESEARCH (TAG "{search}") ADDTO (0 6)'.encode()]
    raw.sock.sendall(b"DONE\r\n")
    assert raw.reader.readline().startswith(b"i1 OK")


def test_rfc5267_4_3_sorted_contexts_add_and_remove_at_their_place(raw):
    raw.command(b"SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 SEEN")
    search = tag_of(raw)
    assert esearch_lines(raw.command(b"STORE 2,3 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") ADDTO (1 2:3)'.encode()]  # bravo, foxtrot
    assert esearch_lines(raw.command(b"STORE 1,4,5 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") ADDTO (1 4 3 1,5)'.encode()]  # alpha first; delta, echo before foxtrot
    # The list is now 4, 2, 1, 5, 3: take out 2 (place 2) and 5, 3 (places 4-5, then 3-4).
    assert esearch_lines(raw.command(b"STORE 2,3,5 -FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{search}") REMOVEFROM (2 2 3 5,3)'.encode()]
    assert esearch_lines(raw.command(b"SORT RETURN (ALL) (SUBJECT) UTF-8 SEEN")) == [b'* ESEARCH (TAG "t") ALL 4,1']


def test_rfc5267_4_3_uid_sort_contexts_use_uids(alice, raw):
    raw.command(b"UID SORT RETURN (UPDATE) (REVERSE SUBJECT) UTF-8 FLAGGED")
    search = tag_of(raw)
    store_flags(alice.pk, "INBOX", [4, 6, 3], ["\\Flagged"])
    assert esearch_lines(raw.command(b"NOOP")) == [f'* ESEARCH (TAG "{search}") UID ADDTO (1 3,6,4)'.encode()]


def test_rfc5267_4_3_5_cancelupdate_stops_the_updates(raw):
    raw.command(b"SEARCH RETURN (UPDATE) SEEN")
    first = tag_of(raw)
    raw.command(b"SEARCH RETURN (UPDATE) FLAGGED")
    second = tag_of(raw)
    assert lines_of(raw.command(f'CANCELUPDATE "{first}"'.encode())) == []
    assert esearch_lines(raw.command(b"STORE 1 +FLAGS.SILENT (\\Seen \\Flagged)")) == [
        f'* ESEARCH (TAG "{second}") ADDTO (0 1)'.encode()]
    assert raw.command(f'CANCELUPDATE "{first}"'.encode())[-1].split()[1] == b"NO"  # not live any more
    assert raw.command(b"CANCELUPDATE")[-1].split()[1] == b"BAD"
    assert raw.command(f'CANCELUPDATE "{second}" "nosuchtag"'.encode())[-1].split()[1] == b"NO"
    assert esearch_lines(raw.command(b"STORE 2 +FLAGS.SILENT (\\Flagged)")) == [
        f'* ESEARCH (TAG "{second}") ADDTO (0 2)'.encode()]  # a refused CANCELUPDATE cancels nothing


def test_rfc5267_4_3_reusing_the_tag_of_a_live_search_is_bad(alice, imap_host, raw):
    raw.command(b"SEARCH RETURN (UPDATE) SEEN")
    tag = tag_of(raw).encode()
    raw.sock.sendall(tag + b" SORT RETURN (UPDATE) (ARRIVAL) UTF-8 FLAGGED\r\n")
    assert raw.reader.readline().startswith(tag + b" BAD")
    store_flags(alice.pk, "INBOX", [1], ["\\Flagged"])
    assert esearch_lines(raw.command(b"NOOP")) == []  # the refused one left no context
    assert esearch_lines(raw.command(b"STORE 1 +FLAGS.SILENT (\\Seen)")) == [
        f'* ESEARCH (TAG "{tag.decode()}") ADDTO (0 1)'.encode()]


@pytest.mark.parametrize("closing", [b"SELECT INBOX", b"EXAMINE INBOX", b"UNSELECT", b"CLOSE"])
def test_rfc5267_4_3_updates_cease_when_the_folder_is_closed(alice, raw, closing):
    raw.command(b"SEARCH RETURN (UPDATE) FLAGGED")
    tag = tag_of(raw)
    raw.command(closing)
    raw.command(b"SELECT INBOX")
    store_flags(alice.pk, "INBOX", [1], ["\\Flagged"])
    assert esearch_lines(raw.command(b"NOOP")) == []
    assert raw.command(f'CANCELUPDATE "{tag}"'.encode())[-1].split()[1] == b"NO"


def test_rfc5267_4_3_1_too_many_contexts_are_refused_with_noupdate(raw):
    for _ in range(MAX_CONTEXTS):
        raw.command(b"SEARCH RETURN (UPDATE) FLAGGED")
    reply = lines_of(raw.command(b"SEARCH RETURN (UPDATE COUNT) UNSEEN"))
    tag = tag_of(raw)
    assert reply == [b'* ESEARCH (TAG "t") COUNT 6', f'* NO [NOUPDATE "{tag}"] Too many searches are being updated'
                     .encode()]
    assert raw.command(f'CANCELUPDATE "{tag}"'.encode())[-1].split()[1] == b"NO"


def test_rfc5267_4_3_examine_keeps_contexts_up_to_date_too(alice, raw):
    raw.command(b"EXAMINE INBOX")
    raw.command(b"SEARCH RETURN (UPDATE) ANSWERED")
    tag = tag_of(raw)
    store_flags(alice.pk, "INBOX", [2], ["\\Answered"])
    assert esearch_lines(raw.command(b"NOOP")) == [f'* ESEARCH (TAG "{tag}") ADDTO (0 2)'.encode()]


@pytest.mark.parametrize("line", [b"CANCELUPDATE (r1)", b'CANCELUPDATE "r1"x', b"CANCELUPDATE  ", b'CANCELUPDATE ""'])
def test_rfc5267_5_a_bad_cancelupdate_is_refused_and_the_session_goes_on(raw, line):
    assert raw.command(line)[-1].split()[1] in (b"BAD", b"NO")
    assert lines_of(raw.command(b"SEARCH RETURN (COUNT) ALL")) == [b'* ESEARCH (TAG "t") COUNT 6']
