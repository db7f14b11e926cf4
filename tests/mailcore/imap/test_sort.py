"""SORT and UID SORT (RFC 5256 §3) with imaplib and IMAPClient; the base subject of §2.1."""
import imaplib
from datetime import UTC, datetime

import pytest
from imapclient import IMAPClient

from mailcore.store.append import append
from mailcore.store.messages import store_flags
from mailcore.store.search.text import base_subject

from .conftest import tls_context

PASSWORD = "correct horse battery staple"

# (From, To, Cc, Subject, Date, arrival day in November, body size)
MESSAGES = [
    ("Zoe <zoe@example.net>", "bob@example.test", "", "Re: [team] Báo cáo", "Wed, 04 Nov 2026 09:00:00 +0000", 3, 10),
    ("an@example.net", "Carol <carol@example.test>", "dan@example.org", "Fwd: Lunch (fwd)",
     "Mon, 02 Nov 2026 09:00:00 +0000", 1, 300),
    ("ÉLISE <elise@example.net>", "alice@example.test", "bea@example.org", "apple", "", 2, 50),
    ("an@example.net", "alice@example.test", "", "báo cáo", "Tue, 03 Nov 2026 09:00:00 +0000", 4, 150),
]


@pytest.fixture
def mailbox(alice, imap):
    for sender, to, cc, subject, date, day, size in MESSAGES:
        fields = [f"From: {sender}", f"To: {to}", f"Subject: {subject}"] + ([f"Cc: {cc}"] if cc else []) + \
                 ([f"Date: {date}"] if date else [])
        raw = ("\r\n".join(fields) + "\r\n\r\n" + "x" * size + "\r\n").encode()
        append(alice.pk, "INBOX", raw, internal_date=datetime(2026, 11, day, 12, tzinfo=UTC))
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    return imap


def sort(client, criteria, *search, uid=False):
    typ, data = (client.uid("SORT", criteria, "UTF-8", *(search or ("ALL",))) if uid
                 else client.sort(criteria, "UTF-8", *(search or ("ALL",))))
    assert typ == "OK", data
    return [int(n) for n in data[0].split()]


@pytest.mark.parametrize(("criteria", "expected"), [
    ("(ARRIVAL)", [2, 3, 1, 4]),
    ("(REVERSE ARRIVAL)", [4, 1, 3, 2]),
    ("(DATE)", [2, 3, 4, 1]),  # 3 has no Date field: its arrival (2 Nov, 12:00) stands in
    ("(SIZE)", [1, 3, 4, 2]),
    ("(REVERSE SIZE)", [2, 4, 3, 1]),
    ("(REVERSE FROM)", [1, 3, 2, 4]),  # 2 and 4 tie (an@): a reversed tie keeps mailbox order
    ("(SUBJECT)", [3, 1, 4, 2]),  # apple, báo cáo ×2 (after Re: [team]), lunch
    ("(SUBJECT REVERSE DATE)", [3, 1, 4, 2]),
    ("(SUBJECT DATE)", [3, 4, 1, 2]),
    ("(FROM)", [2, 4, 3, 1]),  # the mailbox part: an, an, elise, zoe
    ("(TO)", [3, 4, 1, 2]),  # alice, alice, bob, carol
    ("(CC ARRIVAL)", [1, 4, 3, 2]),  # no Cc sorts as "": arrival 3 Nov, 4 Nov; then bea, dan
])
def test_sort_criteria(mailbox, criteria, expected):
    assert sort(mailbox, criteria) == expected


def test_search_keys_choose_what_is_sorted(alice, mailbox):
    store_flags(alice.pk, "INBOX", [2, 4], ["\\Seen"])
    assert sort(mailbox, "(REVERSE DATE)", "UNSEEN") == [1, 3]
    assert sort(mailbox, "(SIZE)", "OR", "FROM", "zoe", "SUBJECT", "apple") == [1, 3]


def test_uid_sort_answers_uids(alice, mailbox):
    store_flags(alice.pk, "INBOX", [2], ["\\Deleted"])
    mailbox.expunge()
    assert sort(mailbox, "(ARRIVAL)", uid=True) == [3, 1, 4]
    assert sort(mailbox, "(ARRIVAL)") == [2, 1, 3]


def test_capability_and_bad_commands_keep_the_session(mailbox):
    assert "SORT" in mailbox.capabilities
    typ, data = mailbox.sort("(DATE)", "KOI8-R", "ALL")
    assert typ == "NO" and b"BADCHARSET" in data[0]
    for criteria, search in (("(COLOR)", "ALL"), ("(REVERSE)", "ALL"), ("()", "ALL"), ("(DATE)", "FOO"),
                             ("(" + "SIZE " * 20 + "DATE)", "ALL"), ("(DATE)", "")):
        with pytest.raises(imaplib.IMAP4.error):
            mailbox.sort(criteria, "UTF-8", search)
    with pytest.raises(imaplib.IMAP4.error):
        mailbox.uid("SORT", "DATE", "UTF-8", "ALL")  # criteria must be parenthesized (imaplib adds them)
    assert mailbox.noop()[0] == "OK"


def test_sort_needs_a_selected_folder(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    with pytest.raises(imaplib.IMAP4.error):
        imap.sort("(DATE)", "UTF-8", "ALL")


def test_imapclient_sorts_by_uid(alice, imap_host, mailbox):
    with IMAPClient("127.0.0.1", port=imap_host.ports["imaps"], ssl=True, ssl_context=tls_context(),
                    timeout=10) as client:
        client.login("alice@example.test", PASSWORD)
        client.select_folder("INBOX")
        assert client.sort(["REVERSE", "DATE"]) == [1, 4, 3, 2]
        assert client.sort("SUBJECT", ["FROM", "an@example.net"]) == [4, 2]


@pytest.mark.parametrize(("subject", "base"), [
    ("Re: hello", "hello"),
    ("RE: Re: re:hello", "hello"),
    ("Fwd: Re: [list] hello (fwd)", "hello"),
    ("[list] Re: [list] hello", "hello"),
    ("Fw: [PATCH] fix", "fix"),  # §2.1 (4): a leading blob goes when something follows it
    ("[fwd: Re: hello]", "hello"),
    ("Rebate: hello", "Rebate: hello"),
    ("[only a blob]", "[only a blob]"),  # removing it would leave nothing
    ("  hello \t  world  (fwd) (FWD) ", "hello world"),
    ("Re:", ""),
    ("", ""),
    ("[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b"),  # blobs before "Fwd:", any case
    ("Re: [FWD: c]", "c"),  # §2.1 (6): the [fwd: ...] wrapper
    ("re: [fwd: [fwd: re: [fwd: babylon]]]", "babylon"),
    ("RE :  FW\t: x", "x"),  # white space before the colon (subj-refwd's *WSP)
    ("Ad: Re: Ad: x", "Ad: Re: Ad: x"),  # "Ad:" is no subj-refwd, so nothing after it goes
    ("[xyz]", "[xyz]"),
])
def test_rfc5256_2_1_base_subject(subject, base):
    assert base_subject(subject) == base


def test_rfc5256_3_an_address_list_starting_with_a_group_sorts_by_the_group_name(alice, imap):
    for to in ("Team: zed@example.org, amy@example.org;", "undisclosed-recipients:;", "mia@example.org"):
        append(alice.pk, "INBOX", f"From: x@example.net\r\nTo: {to}\r\nSubject: s\r\n\r\nbody\r\n".encode())
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    # The ENVELOPE's group start holds the name where the mailbox goes; Dovecot sorts by it.
    assert sort(imap, "(TO)") == [3, 1, 2]  # mia, team, undisclosed-recipients
    assert sort(imap, "(TO REVERSE ARRIVAL)") == [3, 1, 2]  # the same beside a ranked column


def test_rfc5256_2_1_subjects_are_decoded_and_compared_with_ascii_casemap(alice, imap):
    subjects = ["a", "C", "b", "_", "[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b (a)", "Re: [FWD: c]", "[xyz]",
                None, "=?iso-8859-1?q?_?=", "Re: =?utf-8?q?b?=", "=?iso-8859-1?q?RE:_C?=", "=?us-ascii?b?UmU6IGM=?=",
                "Ad: Re: Ad: Re: Ad: x", "re: [fwd: [fwd: re: [fwd: babylon]]]"]
    for number, subject in enumerate(subjects, 1):
        field = f"Subject: {subject}\r\n" if subject is not None else ""
        append(alice.pk, "INBOX", f"{field}\r\n{number}\r\n{'x' * number * 100}\r\n".encode())
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    # i;ascii-casemap compares upper case: "C" < "[" < "_" (lower case would put "_" first).
    assert sort(imap, "(SUBJECT)") == [9, 10, 1, 14, 3, 5, 11, 6, 15, 2, 7, 12, 13, 8, 4]
    assert sort(imap, "(REVERSE SUBJECT)") == [4, 8, 2, 7, 12, 13, 15, 6, 3, 5, 11, 14, 1, 9, 10]
    assert sort(imap, "(SUBJECT REVERSE SIZE)") == [10, 9, 1, 14, 11, 5, 3, 6, 15, 13, 12, 7, 2, 8, 4]


def test_rfc5256_3_addresses_sort_by_the_first_mailbox_with_ascii_casemap(alice, imap):
    for sender, to, cc in (("user2@domain2.org", "foo bar <user2@domain2.org>", "user2@domain2.org (foo bar)"),
                           ("user2@domain1.org", "user2@domain1.org", "user2: blah@domain1.org;"),
                           ("USER1@domain1.org", "User1@domain1.org", "user1@domain1.org"),
                           ("", "", "")):
        fields = "".join(f"{name}: {value}\r\n" for name, value in (("From", sender), ("To", to), ("Cc", cc))
                         if value)
        append(alice.pk, "INBOX", f"{fields}Subject: s\r\n\r\nbody\r\n".encode())
    imap.login("alice@example.test", PASSWORD)
    imap.select("INBOX")
    for criterion in ("FROM", "TO", "CC"):  # no address sorts as "", first; the host is not compared
        assert sort(imap, f"({criterion})") == [4, 3, 1, 2]
        assert sort(imap, f"(REVERSE {criterion})") == [1, 2, 3, 4]
        assert sort(imap, f"({criterion} REVERSE ARRIVAL)") == [4, 3, 2, 1]
