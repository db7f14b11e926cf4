"""SORT=DISPLAY (RFC 5957): DISPLAYFROM and DISPLAYTO with imaplib and IMAPClient, the
DISPLAY value of an address (§3), and the keys stored for it (mailcore/store/sortkeys.py)."""
import imaplib
import importlib
import unicodedata
from datetime import UTC, datetime

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from imapclient import IMAPClient

from mailcore.mime.summary import SUMMARY_VERSION
from mailcore.store.append import append
from mailcore.store.fetch import fetch_rows
from mailcore.store.models import Message
from mailcore.store.search.sorting import sort_uids
from mailcore.store.sortkeys import display_value, first_display

from .conftest import tls_context

PASSWORD = "correct horse battery staple"

# imaptest's sort-display-from and sort-display-to mailboxes (Dovecot's test suite).
FROMS = ["foo bar <a@b.c>", "b@c.d", "d", "=?iso-8859-1?q?foo_aar?= <e@f.g>", "=?iso-8859-1?q?foo_car?= <f@g.h>"]
TOS = [*FROMS, "a: xx@xx.org, yy@yy.org;", "z: aa@aa.org, bb@bb.org;", "empty:;"]


def put(account, field: str, values, extra: str = ""):
    for number, value in enumerate(values, 1):
        header = f"{field}: {value}\r\n" if value is not None else ""
        append(account.pk, "INBOX", f"{header}{extra}Subject: {number}\r\n\r\n{number}\r\n".encode())


@pytest.fixture
def session(alice, imap):
    def select():
        imap.login("alice@example.test", PASSWORD)
        imap.select("INBOX")
        return imap
    return select


def sort(client, criteria, *search, uid=False):
    typ, data = (client.uid("SORT", criteria, "UTF-8", *(search or ("ALL",))) if uid
                 else client.sort(criteria, "UTF-8", *(search or ("ALL",))))
    assert typ == "OK", data
    return [int(n) for n in data[0].split()]


def test_rfc5957_sort_display_is_advertised(session):
    client = session()
    assert "SORT=DISPLAY" in client.capabilities and "SORT" in client.capabilities


def test_rfc5957_4_displayfrom_sorts_by_the_first_from_address_display_name(alice, session):
    put(alice, "From", FROMS)
    client = session()
    # b@c.d, d@MISSING_DOMAIN, "foo aar", "foo bar", "foo car" (imaptest's expectation)
    assert sort(client, "(DISPLAYFROM)") == [2, 3, 4, 1, 5]
    assert sort(client, "(REVERSE DISPLAYFROM)") == [5, 1, 4, 3, 2]


def test_rfc5957_4_displayto_sorts_by_the_first_to_address_and_a_group_by_its_name(alice, session):
    put(alice, "To", TOS, extra="From: x@example.net\r\n")
    client = session()
    # a (group), b@c.d, d@…, empty (group), foo aar, foo bar, foo car, z (group)
    assert sort(client, "(DISPLAYTO)") == [6, 2, 3, 8, 4, 1, 5, 7]
    assert sort(client, "(REVERSE DISPLAYTO)") == [7, 5, 1, 4, 8, 3, 2, 6]


def test_rfc5957_3_the_display_name_is_decoded_else_the_addr_spec_is_used(alice, session):
    put(alice, "From", ["=?utf-8?q?Zo=C3=AB?= <a@example.org>",  # "Zoë", decoded (RFC 2047)
                        '"" <y@example.org>',  # an empty display name: the addr-spec
                        "(only a comment) <x@example.org>",  # comments are no display name
                        "Bob (Bobby) <z@example.org>"])
    client = session()
    assert sort(client, "(DISPLAYFROM)") == [4, 3, 2, 1]  # Bob, x@…, y@…, Zoë


def test_rfc5957_4_no_address_sorts_as_the_empty_string(alice, session):
    put(alice, "To", ["m@example.org", None, "", "a@example.org"], extra="From: x@example.net\r\n")
    client = session()
    assert sort(client, "(DISPLAYTO)") == [2, 3, 4, 1]  # no To, an empty To, then a@, m@
    assert sort(client, "(REVERSE DISPLAYTO)") == [1, 4, 2, 3]  # a reversed tie keeps mailbox order


def test_rfc5957_7_display_values_compare_with_the_sort_comparator(alice, session):
    put(alice, "From", ["aB <z@z.example>", "_u <u@u.example>", "Ab <z@z.example>",
                        "=?utf-8?q?=C3=89lise?= <e@e.example>", "elise2 <e@e.example>", "Elise <e@e.example>"])
    client = session()
    # i;ascii-casemap: "aB" and "Ab" tie (mailbox order); "_" sorts after the letters; É is
    # E + a combining accent, so "Élise" follows "ELISE2". Dovecot 2.3 answers the same.
    assert sort(client, "(DISPLAYFROM)") == [1, 3, 6, 5, 4, 2]


def test_rfc5957_5_display_keys_combine_with_other_criteria_and_search_keys(alice, session):
    for day, (sender, to) in enumerate((("Zed <z@example.org>", "Amy <a@example.org>"),
                                        ("Amy <b@example.org>", "Amy <c@example.org>"),
                                        ("Bea <x@example.org>", "Zed <d@example.org>"),
                                        ("Amy <y@example.org>", "Bob <e@example.org>")), 1):
        append(alice.pk, "INBOX", f"From: {sender}\r\nTo: {to}\r\nSubject: s\r\n\r\nbody\r\n".encode(),
               internal_date=datetime(2026, 11, day, tzinfo=UTC))
    client = session()
    assert sort(client, "(DISPLAYFROM REVERSE ARRIVAL)") == [4, 2, 3, 1]
    assert sort(client, "(DISPLAYTO DISPLAYFROM)") == [2, 1, 4, 3]
    assert sort(client, "(REVERSE DISPLAYTO REVERSE DISPLAYFROM)") == [3, 4, 1, 2]
    assert sort(client, "(DISPLAYFROM)", "NOT", "FROM", "zed") == [2, 4, 3]
    client.store("2", "+FLAGS", "\\Deleted")
    client.expunge()
    assert sort(client, "(DISPLAYFROM)", uid=True) == [4, 3, 1]
    assert sort(client, "(DISPLAYFROM)") == [3, 2, 1]


def test_rfc5957_5_unknown_criteria_are_bad_and_the_session_lives(alice, session):
    put(alice, "From", FROMS[:2])
    client = session()
    for criteria in ("(DISPLAYCC)", "(DISPLAY)", "(REVERSE)", "(DISPLAYFROM REVERSE)"):
        with pytest.raises(imaplib.IMAP4.error):
            client.sort(criteria, "UTF-8", "ALL")
    assert sort(client, "(displayfrom)") == [2, 1]  # criteria are case-insensitive atoms


def test_imapclient_sorts_by_display_name(alice, imap_host):
    put(alice, "From", FROMS)
    with IMAPClient("127.0.0.1", port=imap_host.ports["imaps"], ssl=True, ssl_context=tls_context(),
                    timeout=10) as client:
        client.login("alice@example.test", PASSWORD)
        client.select_folder("INBOX")
        assert client.has_capability("SORT=DISPLAY")
        assert client.sort("DISPLAYFROM") == [2, 3, 4, 1, 5]
        assert client.sort(["REVERSE", "DISPLAYFROM"], ["NOT", "FROM", "b@c.d"]) == [5, 1, 4, 3]


@pytest.mark.parametrize(("address", "value"), [
    (["=?iso-8859-1?q?foo_aar?=", None, "e", "f.g"], "foo aar"),  # the addr-name, decoded
    (["=?utf-8?q??=", None, "e", "f.g"], "e@f.g"),  # a name that decodes to "" is no name
    ([None, None, "b", "c.d"], "b@c.d"),
    ([None, "@relay.example", "w", "w.example"], "w@w.example"),  # the route is not part of it
    ([None, None, "d", "MISSING_DOMAIN"], "d@MISSING_DOMAIN"),  # as FETCH ENVELOPE shows it
    ([None, None, "team", None], "team"),  # a group start: the group's name
    ([None, None, None, None], ""),
])
def test_rfc5957_3_display_value_of_an_envelope_address(address, value):
    assert display_value(address) == value


def test_rfc5957_4_derived_addr_is_the_first_address_of_the_list():
    envelope = [None, "s", [["Ann", None, "a", "x"], ["Bob", None, "b", "x"]], None, None, None, None, None, None, None]
    assert first_display(envelope, 2) == "Ann"
    assert first_display(envelope, 5) == ""  # To is NIL
    assert first_display([], 2) == "" and first_display(None, 5) == ""


def test_a_whole_folder_sort_is_one_query(alice):
    for number in range(30):
        append(alice.pk, "INBOX", f"From: N{number % 7} <n@example.org>\r\nTo: t{number % 3}@example.org\r\n"
                                  f"Subject: Re: {number % 5}\r\n\r\nbody\r\n".encode())
    folder_id = alice.folders.get(name="INBOX").pk
    order = [("DISPLAYTO", True), ("SUBJECT", False), ("FROM", False), ("DISPLAYFROM", True), ("DATE", False)]
    with CaptureQueriesContext(connection) as queries:
        uids = sort_uids(folder_id, alice.pk, ("all",), order)
    # The database orders, by the stored keys: no Python pass over the messages.
    assert len(queries) == 1
    order_by = queries[0]["sql"].rpartition("ORDER BY")[2]
    assert all(column in order_by for column in ("sort_display_to", "sort_subject", "sort_from", "sort_display_from"))
    expected = sorted(range(1, 31), key=lambda uid: (-((uid - 1) % 3), (uid - 1) % 5, -((uid - 1) % 7), uid))
    assert uids == expected


def test_old_rows_get_their_keys_from_the_migration(alice):
    """Messages stored before the keys existed: the migration fills them from the stored
    subject and envelope, and parses again a body whose envelope an older parser wrote."""
    append(alice.pk, "INBOX", b"From: =?utf-8?q?Zo=C3=AB?= <z@example.org>\r\nTo: team: a@example.org;\r\n"
                              b"Subject: Re: [list] Hello\r\n\r\nbody\r\n")
    append(alice.pk, "INBOX", b"From: Ann <a@example.org>\r\nTo: b@example.org\r\nSubject: Fwd: hi\r\n\r\nbody\r\n")
    Message.objects.update(sort_subject="", sort_display_from="", sort_display_to="")
    # The first one's envelope as stored by an older parser (here: nothing useful in it).
    Message.objects.filter(uid=1).update(summary_version=1, envelope=[None] * 10)
    migration = importlib.import_module("mailcore.store.migrations.0010_message_sort_keys")
    migration.fill_message_keys(apps, None)
    rows = Message.objects.order_by("uid").values_list("sort_subject", "sort_display_from", "sort_display_to")
    zoe = unicodedata.normalize("NFKD", "ZOË")  # compared decomposed (mailcore/store/collation.py)
    assert list(rows) == [("HELLO", zoe, "TEAM"), ("HI", "ANN", "B@EXAMPLE.ORG")]


def test_the_migration_case_maps_the_address_keys_stored_as_written(alice):
    from mailcore.store.models import SearchText

    append(alice.pk, "INBOX", b"From: Ann <ann.lee@example.org>\r\nTo: Bob@example.org\r\nSubject: s\r\n\r\nb\r\n")
    SearchText.objects.update(sort_from="ann.lee", sort_to="Bob", sort_cc="")
    migration = importlib.import_module("mailcore.store.migrations.0010_message_sort_keys")
    migration.casemap_address_keys(apps, None)
    assert list(SearchText.objects.values_list("sort_from", "sort_to", "sort_cc")) == [("ANN.LEE", "BOB", "")]


def test_a_refreshed_envelope_refreshes_the_display_keys(alice):
    """store/summaries.py parses an old row's blob again when FETCH reads it; the display
    keys follow the new envelope, so SORT agrees with what FETCH ENVELOPE shows."""
    append(alice.pk, "INBOX", b"From: x@example.org\r\nTo: team: a@example.org;\r\nSubject: s\r\n\r\nbody\r\n")
    stale = [None, "s", [[None, None, "x", "example.org"]], None, None, [[None, None, "a", "example.org"]],
             None, None, None, None]
    Message.objects.update(summary_version=1, envelope=stale, sort_display_to="A@EXAMPLE.ORG")
    folder_id = alice.folders.get(name="INBOX").pk
    rows = list(fetch_rows(folder_id, [1], ("uid", "envelope")))
    assert rows[0].envelope[5][0] == [None, None, "team", None]
    message = Message.objects.get()
    assert (message.summary_version, message.sort_display_to) == (SUMMARY_VERSION, "TEAM")
