"""Replies to the header values real mail carries (issue 17 points 1 and 2): a Date in
"-0000" (RFC 5322 §3.3), obsolete zones and two-digit years (§4.3), display names in
RFC 2047 encoded-words (with RFC 2231 §5 languages), raw 8-bit names, and names that
need quoting (§3.4). Names are decoded wherever a person reads or edits them and encoded
only in the message built."""
from email.utils import formatdate

import pytest

from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message
from webmail.compose.parsing import addresses

from .conftest import form, in_folder, parse, queued, stored


def received(alice, sender: bytes, date: bytes, extra: bytes = b"") -> str:
    raw = (b"From: " + sender + b"\r\nTo: alice@example.test\r\nSubject: =?utf-8?q?B=C3=A1o_gi=C3=A1?=\r\n"
           b"Date: " + date + b"\r\nMessage-ID: <q1@partner.test>\r\n" + extra +
           b"Content-Type: text/plain; charset=utf-8\r\n\r\nXin ch\xc3\xa0o.\r\n")
    appended = stored(alice, raw)
    return f"/mail/folder/{appended.folder_id}/{appended.uid}"


MINH = b"=?utf-8?b?UGjhuqFtIE1pbmg=?= <minh@partner.test>"


def test_rfc5322_3_3_a_reply_to_a_minus_0000_message_and_to_an_encoded_word_sender_works(
        alice_client, alice, send_at_once):
    assert formatdate().endswith("-0000")  # what Python's mail tools write
    page = received(alice, MINH, b"Tue, 03 Nov 2026 09:15:00 -0000")
    for action in ("reply", "reply-all"):
        response = alice_client.get(f"{page}/{action}/")
        assert response.status_code == 200, action
        initial = response.context["form"].initial
        assert initial["to"] == "Phạm Minh <minh@partner.test>"
        assert "Phạm Minh <minh@partner.test> wrote:\n> Xin chào.\n" in initial["body"]
        assert "=?" not in initial["body"]
        assert "2026" in initial["body"].split(" wrote:")[0]
        assert initial["subject"] == "Re: Báo giá"
        assert 'value="Phạm Minh &lt;minh@partner.test&gt;"' in response.content.decode()
    response = alice_client.post("/mail/compose/", form(**{key: initial[key] for key in (
        "to", "subject", "body", "in_reply_to", "references")}))
    assert response.status_code == 302
    (sent,) = in_folder(alice, "\\Sent")
    header = fetch_raw(sent).split(b"\r\n\r\n")[0]
    # RFC 2047 §5(3): the name leaves as encoded-words, never as raw UTF-8 or as text.
    assert b"Ph\xe1\xba\xa1m" not in header and b"To: =?utf-8?" in header
    copy = parse(fetch_raw(sent))
    assert copy["To"].addresses[0].display_name == "Phạm Minh"
    assert copy["To"].addresses[0].addr_spec == "minh@partner.test"
    message, recipients = queued()
    assert recipients == {"minh@partner.test"} and str(message["To"]) == "Phạm Minh <minh@partner.test>"


def test_rfc5322_3_4_a_name_with_a_comma_or_quotes_is_quoted_in_to_and_in_the_built_message(
        alice_client, alice, send_at_once):
    page = received(alice, b'"Doe, John \\"JD\\"" <john@partner.test>', b"Tue, 03 Nov 2026 09:15:00 +0700",
                    b"Cc: =?utf-8?q?=C4=90?= <p0@partner.test>, =?utf-8?q?=C4=90?= <p1@partner.test>,"
                    b" p2@partner.test\r\n")
    initial = alice_client.get(f"{page}/reply-all/").context["form"].initial
    assert initial["to"] == '"Doe, John \\"JD\\"" <john@partner.test>'
    assert prefill_names("=?utf-8?q?Tr=E1=BA=A7n=2C_Lan?= <lan@partner.test>") == '"Trần, Lan" <lan@partner.test>'
    assert initial["cc"] == "Đ <p0@partner.test>, Đ <p1@partner.test>, p2@partner.test"
    alice_client.post("/mail/compose/", form(to=initial["to"], cc=initial["cc"], subject="x", body="y"))
    (sent,) = in_folder(alice, "\\Sent")
    copy = parse(fetch_raw(sent))
    assert [(a.display_name, a.addr_spec) for a in copy["To"].addresses] == [
        ('Doe, John "JD"', "john@partner.test")]
    # The email package, folding the list whole, would write the comma after an
    # encoded-word as "=?utf-8?q?=2C?=" and join the next two recipients into one.
    assert [(a.display_name, a.addr_spec) for a in copy["Cc"].addresses] == [
        ("Đ", "p0@partner.test"), ("Đ", "p1@partner.test"), ("", "p2@partner.test")]
    assert b"?q?=2C?=" not in fetch_raw(sent)
    header = fetch_raw(sent).split(b"\r\n\r\n")[0]
    assert b'"Doe, John \\"JD\\"" <john@partner.test>' in header
    _message, recipients = queued()
    assert recipients == {"john@partner.test", "p0@partner.test", "p1@partner.test", "p2@partner.test"}


def prefill_names(value: str) -> str:
    from webmail.compose.parsing import format_addresses, parse

    return format_addresses(addresses(parse(f"To: {value}\r\n\r\n".encode()), "to"))


@pytest.mark.parametrize(("date", "shown"), [
    (b"Tue, 3 Nov 26 09:15:00 EST", "Nov. 3, 2026, 2:15 p.m."),  # §4.3: 00-49 are 2000-2049
    (b"Thu, 3 Nov 55 09:15:00 GMT", "Nov. 3, 1955, 9:15 a.m."),  # §4.3: 50-99 are 1950-1999
    (b"3 Nov 2026 09:15 UT", "Nov. 3, 2026, 9:15 a.m."),
    (b"Tue, 03 Nov 2026 09:15:00 M", "Nov. 3, 2026, 9:15 a.m."),  # §4.3: military zones read as -0000
    (b"Tue, 03 Nov 2026 09:15:00", "Nov. 3, 2026, 9:15 a.m."),  # no zone at all
])
def test_rfc5322_4_3_obsolete_dates_are_quoted_in_the_reply(alice_client, alice, settings, date, shown):
    settings.TIME_ZONE = "UTC"
    page = received(alice, MINH, date)
    initial = alice_client.get(f"{page}/reply/").context["form"].initial
    assert f"On {shown}, Phạm Minh <minh@partner.test> wrote:" in initial["body"]


def test_a_date_nobody_can_read_leaves_the_quote_without_a_date(alice_client, alice):
    page = received(alice, MINH, b"sometime =?utf-8?q?soon?= 99:99")
    response = alice_client.get(f"{page}/reply/")
    assert response.status_code == 200
    assert "\n\nPhạm Minh <minh@partner.test> wrote:\n" in response.context["form"].initial["body"]
    assert alice_client.get(f"{page}/forward/").status_code == 200


@pytest.mark.parametrize(("sender", "name"), [
    (b"=?UTF-8*vi?Q?Ph=E1=BA=A1m_Minh?= <minh@partner.test>", "Phạm Minh"),  # RFC 2231 §5 language
    (b'"=?utf-8?b?UGjhuqFtIE1pbmg=?=" <minh@partner.test>', "Phạm Minh"),  # quoted, as some clients write
    (b"=?utf-8?q?Ph=E1=BA=A1m?=\r\n =?utf-8?q?_Minh?= <minh@partner.test>", "Phạm Minh"),  # folded, §6.2
    (b"Ph\xe1\xba\xa1m Minh <minh@partner.test>", "Phạm Minh"),  # raw UTF-8 (RFC 6532)
    (b"Jos\xe9 Pe\xf1a <minh@partner.test>", "José Peña"),  # raw Latin-1
    (b"=?x-no-such-charset?q?Minh?= <minh@partner.test>", "Minh"),
    (b"partners: =?utf-8?b?UGjhuqFtIE1pbmg=?= <minh@partner.test>;", "Phạm Minh"),  # group, §3.4
])
def test_rfc2047_names_are_decoded_in_the_reply(alice_client, alice, sender, name):
    page = received(alice, sender, b"Tue, 03 Nov 2026 09:15:00 -0000")
    initial = alice_client.get(f"{page}/reply/").context["form"].initial
    assert initial["to"] == f"{name} <minh@partner.test>"
    assert f"{name} <minh@partner.test> wrote:" in initial["body"]
    # The reading page reads the same bytes the same way (mailcore.mime.text.header_text).
    assert f"{name} &lt;minh@partner.test&gt;" in alice_client.get(f"{page}/").content.decode()


def test_the_reading_page_shows_the_decoded_name_and_the_date(alice_client, alice, settings):
    settings.TIME_ZONE = "UTC"
    page = received(alice, MINH, b"Tue, 03 Nov 2026 09:15:00 -0000", b"Cc: \"Doe, John\" <j@partner.test>\r\n")
    html = alice_client.get(f"{page}/").content.decode()
    assert "Phạm Minh &lt;minh@partner.test&gt;" in html and "Doe, John" in html
    assert 'datetime="2026-11-03T09:15:00+00:00"' in html
    assert Message.objects.get(from_address="minh@partner.test").from_name == "Phạm Minh"


@pytest.mark.django_db(transaction=True)
def test_rfc2047_the_sent_copy_of_the_reply_reads_back_over_imap(alice_client, alice, send_at_once,
                                                                  settings, tmp_path):
    """IMAPClient sees the Sent copy as Thunderbird would: an ENVELOPE whose To name is
    an encoded-word (RFC 9051 §7.5.2 gives it undecoded) that decodes to the name."""
    from email.header import decode_header, make_header

    from imapclient import IMAPClient

    from mailcore.imap.listeners import FACTORIES
    from tests.conftest import PASSWORD
    from tests.support.hosts import running_host, tls_context

    page = received(alice, MINH, b"Tue, 03 Nov 2026 09:15:00 -0000")
    initial = alice_client.get(f"{page}/reply/").context["form"].initial
    alice_client.post("/mail/compose/", form(**{key: initial[key] for key in (
        "to", "subject", "body", "in_reply_to", "references")}))
    with running_host(settings, tmp_path, FACTORIES, ("imaps",)) as host, \
            IMAPClient("127.0.0.1", port=host.ports["imaps"], ssl=True, ssl_context=tls_context(), timeout=10) as imap:
        imap.login("alice@example.test", PASSWORD)
        imap.select_folder("Sent", readonly=True)
        (uid,) = imap.search(["ALL"])
        envelope = imap.fetch([uid], ["ENVELOPE"])[uid][b"ENVELOPE"]
    (to,) = envelope.to
    assert to.name.startswith(b"=?utf-8?") and (to.mailbox, to.host) == (b"minh", b"partner.test")
    assert str(make_header(decode_header(to.name.decode()))) == "Phạm Minh"
    assert envelope.in_reply_to == b"<q1@partner.test>"
