"""SEARCH text keys, HEADER, dates and sequence sets as RFC 3501 §6.4.4 words them, with
imaplib and IMAPClient: substrings (not words), any header field, the Date field's own
day, numbers past the last message."""
from datetime import UTC, datetime

import pytest
from imapclient import IMAPClient

from mailcore.store.append import append

PASSWORD = "correct horse battery staple"


def _append(alice, *raws, internal_date=None):
    for raw in raws:
        append(alice.pk, "INBOX", raw if isinstance(raw, bytes) else raw.encode(), internal_date=internal_date)


@pytest.fixture
def logged_in(alice, imap):
    imap.login("alice@example.test", PASSWORD)
    return imap


def search(client, *criteria):
    typ, data = client.search(None, *criteria)
    assert typ == "OK", data
    return [int(n) for n in data[0].split()]


def test_rfc3501_6_4_4_subject_is_a_substring(alice, logged_in):
    _append(alice, "Subject: hello beautiful world\r\n\r\nbody\r\n", "X-Extra: hello\r\n\r\nbody\r\n",
            "Subject: =?utf-8?q?H=C3=B3a_=C4=91=C6=A1n_th=C3=A1ng_11?=\r\n\r\nbody\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "SUBJECT", '"eautiful worl"') == [1]
    assert search(logged_in, "SUBJECT", "BEAUTIFUL") == [1]
    assert search(logged_in, "SUBJECT", '"hello beautiful world"') == [1]
    assert search(logged_in, "SUBJECT", "hello") == [1]  # not the X-Extra field
    assert search(logged_in, "SUBJECT", '"ng 1"') == [3]  # decoded (RFC 2047), then a substring
    assert search(logged_in, "SUBJECT", '"hoa don"') == [3]  # and without accents, as the webmail
    assert search(logged_in, "SUBJECT", "world!") == []


def test_rfc3501_6_4_4_text_and_body_are_substrings(alice, logged_in):
    _append(alice, "Date: Sat, 24 Mar 2007 23:00:00 +0200\r\n\r\nasdfghjkl zxcvbnm\r\n",
            "Subject: qwertyuiop\r\n\r\nasdfghjkl\r\n",
            "X-Header: qwertyuiop\r\n\r\nzxcvbnm\r\n",
            "Subject: x\r\n\r\nzxcvbnm qwertyuiop\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "TEXT", "sdfghjk") == [1, 2]  # inside a longer word
    assert search(logged_in, "BODY", "xcvbn") == [1, 3, 4]
    assert search(logged_in, "TEXT", "wertyuio") == [2, 3, 4]  # TEXT includes every header field
    assert search(logged_in, "BODY", "wertyuio") == [4]  # BODY does not
    assert search(logged_in, "TEXT", '"asdfghjkl zxcv"') == [1]
    assert search(logged_in, "NOT", "BODY", "zxcvbnm") == [2]


def test_rfc3501_6_4_4_words_found_by_the_index_are_confirmed_as_a_substring(alice, logged_in):
    _append(alice, "Subject: a\r\n\r\nThe report is beautiful, world.\r\n",
            "Subject: b\r\n\r\nThe report is beautiful world news.\r\n",
            "Subject: c\r\nContent-Type: text/html\r\n\r\n<p>Beautiful <b>World</b></p>\r\n")
    logged_in.select("INBOX")
    # Both bodies hold the words "beautiful" and "world" side by side; only one the string.
    assert search(logged_in, "BODY", '"beautiful world"') == [2, 3]
    assert search(logged_in, "BODY", '"beautiful, world"') == [1]
    assert search(logged_in, "BODY", '"is beautiful w"') == [2]
    assert search(logged_in, "BODY", '" world."') == [1]


def test_rfc3501_6_4_4_a_body_longer_than_the_word_index_is_searched_whole(alice, logged_in):
    filler = "lorem ipsum " * 20_000  # 240,000 characters: the index keeps the first 200,000
    _append(alice, f"Subject: long\r\n\r\n{filler}needle-at-the-end\r\n", "Subject: short\r\n\r\nhay\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "BODY", "needle-at-the-end") == [1]
    assert search(logged_in, "TEXT", '"ipsum needle-at"') == [1]


def test_rfc3501_6_4_4_header_matches_any_field(alice, logged_in):
    _append(alice, "Subject: hello beautiful world\r\n\r\nbody\r\n",
            "X-Extra: hello beautiful header\r\nX-Extra: another one\r\n\r\nbody\r\n",
            "Subject: x-extra: hello\r\n\r\nX-Extra: hello\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "HEADER", "subject", '""') == [1, 3]
    assert search(logged_in, "NOT", "HEADER", "subject", '""') == [2]
    assert search(logged_in, "HEADER", "x-extra", '""') == [2]
    assert search(logged_in, "NOT", "HEADER", "x-extra", '""') == [1, 3]
    assert search(logged_in, "HEADER", "X-EXTRA", '"eautiful head"') == [2]
    assert search(logged_in, "HEADER", "x-extra", "another") == [2]  # the second field of that name
    assert search(logged_in, "HEADER", "x-extra", '"beautiful world"') == []  # another field's text
    assert search(logged_in, "HEADER", "received", '""') == []


def test_rfc3501_6_4_4_address_keys_match_addresses_names_and_groups(alice, logged_in):
    _append(alice,
            "From: user-from@domain.org\r\nTo: user-to@domain.org\r\nCc: user-cc@domain.org\r\n"
            "Bcc: user-bcc@domain.org\r\n\r\nbody\r\n",
            "From: RealFrom <user-from@domain.org>\r\nTo: RealTo <user-to@domain.org>\r\n"
            "Bcc: =?utf-8?q?Nguy=E1=BB=85n?= <user-bcc@domain.org>\r\n\r\nbody\r\n",
            "From: <user-from (comment)@ (comment) domain.org>\r\nTo: <user-to@domain.org>\r\n\r\nbody\r\n",
            "From: user-from@domain.org (RealFrom)\r\n\r\nbody\r\n",
            "From: user-from1@domain.org, user-from2@domain.org\r\n\r\nbody\r\n",
            "From: x@domain.org\r\nTo: groupname: groupuser1@domain.org, groupuser2@domain.org;,\r\n"
            "  groupname2: groupuser3@domain.org;\r\n\r\nbody\r\n",
            "From: x@domain.org\r\nTo: groupname:;\r\n\r\nbody\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "FROM", "user-from@domain.org") == [1, 2, 3, 4]
    assert search(logged_in, "FROM", "realfrom") == [2, 4]
    assert search(logged_in, "FROM", "ser-fro") == [1, 2, 3, 4, 5]
    assert search(logged_in, "FROM", "user-from2") == [5]  # not only the first address
    assert search(logged_in, "TO", "ealt") == [2]
    assert search(logged_in, "CC", "user-cc") == [1]
    assert search(logged_in, "BCC", "nguyen") == [2]  # a decoded display name
    assert search(logged_in, "BCC", "user-bcc@domain.org") == [1, 2]
    assert search(logged_in, "TO", "groupname") == [6, 7]
    assert search(logged_in, "TO", "groupuser3") == [6]
    assert search(logged_in, "TO", "groupuser4") == []
    assert search(logged_in, "HEADER", "bcc", '""') == [1, 2]
    assert search(logged_in, "HEADER", "to", '""') == [1, 2, 3, 6, 7]


def test_rfc3501_6_4_4_sent_dates_are_the_date_fields_own_day(alice, logged_in):
    _append(alice, *(f"Date: {date}\r\n\r\nbody\r\n" for date in (
        "Sat, 24 Mar 2007 23:00:00 +0200",  # 21:00 UTC: the same day
        "Sun, 25 Mar 2007 00:30:00 +0300",  # 24 March in UTC, 25 March where it was sent
        "Sun, 25 Mar 2007 23:00:00 -0500",  # 26 March in UTC
    )), "Subject: no date\r\n\r\nbody\r\n")
    logged_in.select("INBOX")
    assert search(logged_in, "SENTON", "24-Mar-2007") == [1]
    assert search(logged_in, "SENTON", "25-Mar-2007") == [2, 3]
    assert search(logged_in, "SENTBEFORE", "25-Mar-2007") == [1, 4]  # no Date: the epoch, as Dovecot
    assert search(logged_in, "SENTSINCE", "25-Mar-2007") == [2, 3]
    assert search(logged_in, "NOT", "SENTON", "25-Mar-2007") == [1, 4]
    assert search(logged_in, "SENTSINCE", "1-Jan-1990") == [1, 2, 3]


def test_rfc3501_6_4_4_internal_dates_compare_without_time_of_day(alice, logged_in, settings):
    settings.TIME_ZONE = "UTC"
    for hour in (0, 23):
        _append(alice, "Subject: x\r\n\r\nbody\r\n", internal_date=datetime(2026, 11, 2, hour, 30, tzinfo=UTC))
    _append(alice, "Subject: y\r\n\r\nbody\r\n", internal_date=datetime(2026, 11, 3, 0, 0, tzinfo=UTC))
    logged_in.select("INBOX")
    assert search(logged_in, "ON", "2-Nov-2026") == [1, 2]
    assert search(logged_in, "BEFORE", "3-Nov-2026") == [1, 2]
    assert search(logged_in, "SINCE", "3-Nov-2026") == [3]
    assert search(logged_in, "SINCE", "2-Nov-2026") == [1, 2, 3]


def test_rfc3501_6_4_4_a_sequence_set_past_the_last_message_matches_nothing(alice, logged_in):
    _append(alice, *(f"Subject: {n}\r\n\r\nbody\r\n" for n in range(3)))
    logged_in.select("INBOX")
    assert search(logged_in, "5") == []
    assert search(logged_in, "2:10") == [2, 3]
    assert search(logged_in, "10:*") == [3]  # RFC 3501 §9: "*" is the last message, either way round
    assert search(logged_in, "1,7:9", "SUBJECT", "0") == [1]
    assert search(logged_in, "UID", "2:99") == [2, 3]


def test_imapclient_searches_past_the_last_message_and_by_substring(alice, imap_host):
    _append(alice, "Subject: hello beautiful world\r\n\r\nbody\r\n", "Subject: other\r\n\r\nbody\r\n")
    with IMAPClient("127.0.0.1", port=imap_host.ports["imap"], ssl=False, timeout=10) as client:
        client.login("alice@example.test", PASSWORD)
        client.select_folder("INBOX")
        client.use_uid = False  # message sequence numbers, as SEARCH answers them
        assert client.search(["SUBJECT", "eautiful worl"]) == [1]
        assert client.search("2:100") == [2]  # IMAPClient's own live test expects OK here
        assert client.search(["HEADER", "subject", ""]) == [1, 2]
