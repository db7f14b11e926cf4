"""THREAD and UID THREAD (RFC 5256 §4) over the real listener, with imaplib and IMAPClient.

Each test appends messages with chosen Message-ID, References, In-Reply-To, Subject and
Date fields; the arrival (INTERNALDATE) is one minute later per message, so mailbox
order and arrival order agree unless a test says otherwise.
"""
import imaplib
from datetime import UTC, datetime, timedelta

import pytest
from imapclient import IMAPClient

from mailcore.store.append import Target, append, append_batch
from mailcore.store.messages import store_flags
from mailcore.store.threading import is_reply_or_forward, message_ids

from .conftest import tls_context

PASSWORD = "correct horse battery staple"
FIRST_ARRIVAL = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)


def message(msgid=None, references=None, in_reply_to=None, subject=None, date=None) -> bytes:
    fields = ["From: bob@example.test", "To: alice@example.test"]
    for name, value in (("Message-ID", msgid), ("References", references), ("In-Reply-To", in_reply_to),
                        ("Subject", subject), ("Date", date)):
        if value is not None:
            fields.append(f"{name}: {value}")
    return ("\r\n".join(fields) + "\r\n\r\nbody\r\n").encode()


def deliver(alice, *messages: dict, arrivals=None) -> None:
    for index, fields in enumerate(messages):
        arrival = arrivals[index] if arrivals else FIRST_ARRIVAL + timedelta(minutes=index)
        append(alice.pk, "INBOX", message(**fields), internal_date=arrival)


@pytest.fixture
def inbox(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def thread(client, algorithm="REFERENCES", *search, uid=False) -> str:
    client.select("INBOX")
    args = (algorithm, "UTF-8", *(search or ("ALL",)))
    typ, data = client.uid("THREAD", *args) if uid else client.thread(*args)
    assert typ == "OK", data
    return (data[0] or b"").decode()


def test_rfc5256_thread_algorithms_are_advertised(inbox):
    assert {"THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES"} <= set(inbox.capabilities)


def test_rfc5256_references_links_by_in_reply_to(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>", "in_reply_to": "<1@x>"},
            {"msgid": "<3@x>", "in_reply_to": "<2@x>"}, {"msgid": "<4@x>"})
    assert thread(inbox) == "(1 2 3)(4)"  # thread-members: a chain of only replies


def test_rfc5256_references_links_each_reference_to_the_next(alice, inbox):
    # Only the last message says who is who: 1 → 2 → 3 comes from its References alone.
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>"},
            {"msgid": "<3@x>", "references": "<1@x> <2@x>", "in_reply_to": "<9@x>"})
    assert thread(inbox) == "(1 2 3)"  # References wins over In-Reply-To


def test_rfc5256_references_without_valid_ids_falls_back_to_in_reply_to(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>"},
            {"msgid": "<3@x>", "references": "<no-at-sign> garbage", "in_reply_to": "junk <2@x> <1@x>"})
    assert thread(inbox) == "(1)(2 3)"  # the first valid In-Reply-To id, not the second


def test_rfc5256_references_replies_to_two_messages_nest(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>", "in_reply_to": "<1@x>"},
            {"msgid": "<3@x>", "in_reply_to": "<1@x>"}, {"msgid": "<4@x>", "in_reply_to": "<2@x>"})
    assert thread(inbox) == "(1 (2 4)(3))"  # thread-nested: two or more lists


def test_rfc5256_references_a_missing_parent_is_a_dummy_above_its_replies(alice, inbox):
    deliver(alice, {"msgid": "<1@x>", "references": "<gone@x>"}, {"msgid": "<2@x>", "references": "<gone@x>"})
    assert thread(inbox) == "((1)(2))"


def test_rfc5256_references_a_dummy_with_one_child_is_pruned(alice, inbox):
    # (3): a dummy in the middle goes and its child moves up; a top dummy with one child too.
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<3@x>", "references": "<1@x> <2@x>"},
            {"msgid": "<4@x>", "references": "<gone@x>"}, {"subject": "no id", "references": "<lost@x> <4@x>"})
    assert thread(inbox) == "(1 2)(3 4)"


def test_rfc5256_references_a_duplicate_message_id_is_a_message_of_its_own(alice, inbox):
    deliver(alice, {"msgid": "<a@x>"}, {"msgid": "<b@x>", "references": "<a@x>"},
            {"msgid": "<c@x>", "references": "<b@x>"}, {"msgid": "<b@x>", "references": "<a@x>"})
    # The second <b@x> is nobody's parent; <c@x> stays under the first.
    assert thread(inbox) == "(1 (2 3)(4))"


def test_rfc5256_references_a_message_without_message_id_is_threaded(alice, inbox):
    deliver(alice, {"subject": "first", "references": "<a@x>"}, {"subject": "second", "references": "<a@x>"},
            {"msgid": "broken id", "subject": "third"})
    assert thread(inbox) == "((1)(2))(3)"


def test_rfc5256_references_never_links_a_loop(alice, inbox):
    deliver(alice, {"msgid": "<a@x>", "references": "<b@x>"}, {"msgid": "<b@x>", "references": "<a@x>"},
            {"msgid": "<c@x>", "references": "<c@x>"})  # each names the other; one names itself
    # <b@x> was made the parent of 1 before it arrived; 2 naming 1 as its parent would loop.
    assert thread(inbox) == "(2 1)(3)"


def test_rfc5256_references_an_existing_parent_is_kept_by_later_references(alice, inbox):
    deliver(alice, {"msgid": "<a@x>"}, {"msgid": "<b@x>"}, {"msgid": "<c@x>", "references": "<a@x> <c2@x>"},
            {"msgid": "<d@x>", "references": "<b@x> <c2@x>"})  # (1)(A): <c2@x> keeps parent <a@x>
    assert thread(inbox) == "(1 (3)(4))(2)"


def test_rfc5256_references_the_last_reference_replaces_a_parent_from_others(alice, inbox):
    # <b@x> is first placed under <a@x> by 2's References; its own References says <z@x>.
    deliver(alice, {"msgid": "<a@x>"}, {"msgid": "<c@x>", "references": "<a@x> <b@x>"},
            {"msgid": "<z@x>"}, {"msgid": "<b@x>", "references": "<z@x>"})
    assert thread(inbox) == "(1)(3 4 2)"  # (1)(B): the existing link is broken


def test_rfc5256_references_merges_a_reply_by_subject_under_the_original(alice, inbox):
    deliver(alice, {"msgid": "<1@x>", "subject": "Lunch"}, {"msgid": "<2@x>", "subject": "Re: [team] lunch"},
            {"msgid": "<3@x>", "subject": "Other"})
    assert thread(inbox) == "(1 2)(3)"


def test_rfc5256_references_two_originals_with_one_subject_get_a_dummy(alice, inbox):
    deliver(alice, {"msgid": "<1@x>", "subject": "Lunch"}, {"msgid": "<2@x>", "subject": "lunch"},
            {"msgid": "<3@x>", "subject": "Fwd: lunch"})
    # Neither original is a reply: both go under a dummy, and so does the later forward.
    assert thread(inbox) == "((1)(2)(3))"


def test_rfc5256_references_dummies_with_one_subject_share_their_children(alice, inbox):
    deliver(alice, {"msgid": "<1@x>", "subject": "Re: plan", "references": "<p@x>"},
            {"msgid": "<2@x>", "subject": "Re: plan", "references": "<p@x>"},
            {"msgid": "<3@x>", "subject": "Re: plan", "references": "<q@x>"},
            {"msgid": "<4@x>", "subject": "Re: plan", "references": "<q@x>"})
    assert thread(inbox) == "((1)(2)(3)(4))"


def test_rfc5256_references_empty_subjects_are_not_merged(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>", "subject": "Re:"}, {"msgid": "<3@x>", "subject": ""})
    assert thread(inbox) == "(1)(2)(3)"


def test_rfc5256_references_siblings_go_by_sent_date_with_arrival_when_missing(alice, inbox):
    deliver(alice, {"msgid": "<r@x>", "date": "Mon, 02 Nov 2026 08:00:00 +0000"},
            {"msgid": "<1@x>", "in_reply_to": "<r@x>", "date": "Mon, 02 Nov 2026 15:00:00 +0200"},  # 13:00 UTC
            {"msgid": "<2@x>", "in_reply_to": "<r@x>", "date": "Mon, 02 Nov 2026 12:30:00 +0000"},
            {"msgid": "<3@x>", "in_reply_to": "<r@x>"},  # no Date: its arrival, 12:03
            {"msgid": "<4@x>", "in_reply_to": "<r@x>", "date": "not a date"})  # unreadable: arrival 12:04
    assert thread(inbox) == "(1 (4)(5)(3)(2))"


def test_rfc5256_references_top_threads_go_by_sent_date_ties_in_mailbox_order(alice, inbox):
    same = "Mon, 02 Nov 2026 10:00:00 +0000"
    deliver(alice, {"msgid": "<1@x>", "subject": "a", "date": "Mon, 02 Nov 2026 11:00:00 +0000"},
            {"msgid": "<2@x>", "subject": "b", "date": same}, {"msgid": "<3@x>", "subject": "c", "date": same},
            {"msgid": "<4@x>", "subject": "d", "references": "<gone@x>", "date": "Mon, 02 Nov 2026 09:00:00 +0000"},
            {"msgid": "<5@x>", "subject": "e", "references": "<gone@x>", "date": "Mon, 02 Nov 2026 12:00:00 +0000"})
    assert thread(inbox) == "((4)(5))(2)(3)(1)"  # a dummy goes by its first child


def test_rfc5256_orderedsubject_groups_by_base_subject_in_sent_order(alice, inbox):
    deliver(alice, {"subject": "a", "date": "Fri, 22 Feb 2008 22:00:10 +0200"},
            {"subject": "b", "date": "Fri, 22 Feb 2008 22:00:09 +0200"},
            {"subject": "Re: a", "date": "Fri, 22 Feb 2008 22:00:08 +0200"},
            {"subject": "[list] B (fwd)", "date": "Fri, 22 Feb 2008 22:00:07 +0200"},
            {"subject": "c"}, {"subject": "Fwd: c"}, {}, {"subject": "Re:"})
    # First message of each group on top, the rest its children; one child is a chain.
    assert thread(inbox, "ORDEREDSUBJECT") == "(4 2)(3 1)(5 6)(7 8)"


def test_rfc5256_orderedsubject_children_are_siblings(alice, inbox):
    deliver(alice, {"subject": "x"}, {"subject": "Re: x"}, {"subject": "RE: X"}, {"subject": "y"})
    assert thread(inbox, "orderedsubject") == "(1 (2)(3))(4)"


def test_rfc5256_thread_threads_only_what_the_search_keys_match(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"}, {"msgid": "<2@x>", "in_reply_to": "<1@x>"},
            {"msgid": "<3@x>", "references": "<1@x> <2@x>"})
    store_flags(alice.pk, "INBOX", [2], ["\\Seen"])
    assert thread(inbox, "REFERENCES", "UNSEEN") == "(1 3)"  # the matched set alone is threaded
    assert thread(inbox, "REFERENCES", "OR", "1", "2") == "(1 2)"
    assert thread(inbox, "REFERENCES", "DRAFT") == ""


def test_rfc5256_uid_thread_answers_uids(alice, inbox):
    deliver(alice, {"msgid": "<gone@x>"}, {"msgid": "<1@x>"}, {"msgid": "<2@x>", "in_reply_to": "<1@x>"},
            {"msgid": "<3@x>", "in_reply_to": "<1@x>"})
    store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
    inbox.select("INBOX")
    inbox.expunge()
    assert thread(inbox, "REFERENCES", "ALL", uid=True) == "(2 (3)(4))"
    assert thread(inbox, "REFERENCES", "ALL") == "(1 (2)(3))"
    assert thread(inbox, "ORDEREDSUBJECT", "UID", "3:4", uid=True) == "(3 4)"


def test_rfc5256_bad_thread_commands_keep_the_session(alice, inbox):
    deliver(alice, {"msgid": "<1@x>"})
    inbox.select("INBOX")
    typ, data = inbox.thread("REFERENCES", "KOI8-R", "ALL")
    assert typ == "NO" and b"BADCHARSET" in data[0]
    for args in (("REFS", "UTF-8", "ALL"), ("REFERENCES", "UTF-8", "FOO"), ("REFERENCES", "UTF-8"),
                 ("(REFERENCES)", "UTF-8", "ALL")):
        with pytest.raises(imaplib.IMAP4.error):
            inbox.thread(*args)
    assert inbox.noop()[0] == "OK"
    assert thread(inbox) == "(1)"


def test_rfc5256_thread_needs_a_selected_mailbox(inbox):
    with pytest.raises(imaplib.IMAP4.error):
        inbox.thread("REFERENCES", "UTF-8", "ALL")


def test_rfc5256_a_long_thread_is_answered(alice, inbox):
    # Deeper than Python's recursion limit: the tree is built and written without recursion.
    count = 1500
    append_batch([(message(msgid=f"<{n}@x>", in_reply_to=f"<{n - 1}@x>" if n else None), [Target(alice.pk)])
                  for n in range(count)])
    assert thread(inbox) == "(" + " ".join(str(n) for n in range(1, count + 1)) + ")"


def test_imapclient_reads_nested_threads(alice, imap_host, inbox):
    deliver(alice, {"msgid": "<1@x>", "subject": "s"}, {"msgid": "<2@x>", "in_reply_to": "<1@x>"},
            {"msgid": "<3@x>", "in_reply_to": "<1@x>"}, {"msgid": "<4@x>", "references": "<gone@x>"},
            {"msgid": "<5@x>", "references": "<gone@x>"})
    with IMAPClient("127.0.0.1", port=imap_host.ports["imaps"], ssl=True, ssl_context=tls_context(),
                    timeout=10) as client:
        client.login("alice@example.test", PASSWORD)
        client.select_folder("INBOX")
        assert client.thread() == ((1, (2,), (3,)), ((4,), (5,)))
        assert client.thread("ORDEREDSUBJECT", ["NOT", "1"]) == ((2, (3,), (4,), (5,)),)


@pytest.mark.parametrize(("subject", "reply"), [
    ("Re: lunch", True), ("FW: lunch", True), ("[list] Fwd: lunch", True), ("re [2]: lunch", True),
    ("lunch (fwd)", True), ("[fwd: lunch]", True), ("[list] [fwd: lunch]", True),
    ("lunch", False), ("[list] lunch", False), ("[re: not a leader] lunch", False), ("Rebate: lunch", False),
    ("[only a blob]", False), ("", False),
])
def test_rfc5256_2_1_a_reply_or_forward_is_marked_by_what_the_base_subject_drops(subject, reply):
    assert is_reply_or_forward(subject) is reply


def test_rfc5256_message_ids_are_the_valid_angle_bracketed_ids():
    assert message_ids("<a@x> junk <no-at> < b @ y >\t<c@x>") == ["a@x", "b@y", "c@x"]
    assert message_ids("") == []
