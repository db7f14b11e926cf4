"""The summary made once at append: what message lists, threads and search need."""
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mailcore.mime.summary import PREVIEW_CHARS, summarize

HEADERS = (
    b"From: =?utf-8?B?Tmd1eeG7hW4gVsSDbiBBbg==?= <an@example.test>\r\n"
    b"To: Alice <alice@example.test>, bob@example.test\r\n"
    b"Cc: \"Tr\xe1\xba\xa7n, Dana\" <dana@example.org>\r\n"
    b"Subject: Re: =?utf-8?Q?H=C3=B3a_=C4=91=C6=A1n?=\r\n  th\xc3\xa1ng 11\r\n"
    b"Date: Mon, 02 Nov 2026 10:00:00 +0700\r\n"
    b"Message-ID: <m2@example.test>\r\n"
    b"In-Reply-To: <m1@example.test>\r\n"
    b"References: <m0@example.test>\r\n <m1@example.test>\r\n"
    b"MIME-Version: 1.0\r\n"
)


def test_it_decodes_the_headers_a_message_list_shows():
    summary = summarize(HEADERS + b"Content-Type: text/plain; charset=utf-8\r\n\r\nXin ch\xc3\xa0o.\r\n")
    assert summary.subject == "Re: Hóa đơn tháng 11"
    assert (summary.from_name, summary.from_address) == ("Nguyễn Văn An", "an@example.test")
    assert summary.to_addresses == "Alice <alice@example.test>, bob@example.test"
    assert summary.cc_addresses == "Trần, Dana <dana@example.org>"
    assert summary.date == datetime(2026, 11, 2, 10, 0, tzinfo=timezone(timedelta(hours=7)))


def test_it_keeps_the_threading_headers():
    summary = summarize(HEADERS + b"\r\nbody")
    assert summary.message_id == "<m2@example.test>"
    assert summary.in_reply_to == "<m1@example.test>"
    assert summary.references == "<m0@example.test> <m1@example.test>"


@pytest.mark.parametrize(("value", "expected"), [
    (b"Tue, 3 Nov 2026 01:02:03 -0000", datetime(2026, 11, 3, 1, 2, 3, tzinfo=UTC)),
    (b"3 Nov 2026 01:02 GMT", datetime(2026, 11, 3, 1, 2, tzinfo=UTC)),
    (b"yesterday", None),
    (b"Tue, 99 Nov 2026 01:02:03 +0000", None),
    (b"", None),
])
def test_a_missing_or_malformed_date_is_none(value, expected):
    assert summarize(b"Date: " + value + b"\r\n\r\nx").date == expected


def test_missing_headers_give_empty_fields():
    summary = summarize(b"\r\njust a body")
    assert (summary.subject, summary.from_address, summary.message_id, summary.references) == ("", "", "", "")
    assert summary.date is None
    assert summary.preview == "just a body"


def test_the_preview_is_the_start_of_the_text_on_one_line():
    body = "Xin chào,\r\n\r\n  hóa đơn   tháng 11 đã sẵn sàng.\r\n" + "word " * 200
    summary = summarize(b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.encode())
    assert summary.preview.startswith("Xin chào, hóa đơn tháng 11 đã sẵn sàng. word word")
    assert len(summary.preview) == PREVIEW_CHARS


def test_the_preview_of_html_mail_is_its_visible_text():
    raw = b"Content-Type: text/html\r\n\r\n<style>p{}</style><p>Hello&nbsp;<b>there</b></p>"
    assert summarize(raw).preview == "Hello there"


ATTACHED = (
    b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
    b"--b\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
    b"--b\r\n%s\r\n\r\nxx\r\n"
    b"--b--\r\n"
)


@pytest.mark.parametrize(("part_headers", "has", "names"), [
    (b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf", True, ["a.pdf"]),
    (b"Content-Type: application/pdf\r\nContent-Disposition: attachment", True, []),
    (b"Content-Type: image/png; name=\"chart.png\"", True, ["chart.png"]),
    (b"Content-Type: text/plain; name=notes.txt\r\nContent-Disposition: inline", False, []),
    (b"Content-Type: text/plain", False, []),
    (b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n"
     b" filename*=utf-8''H%C3%B3a%20%C4%91%C6%A1n.pdf", True, ["Hóa đơn.pdf"]),
])
def test_has_attachments_and_their_names(part_headers, has, names):
    summary = summarize(ATTACHED % part_headers)
    assert summary.has_attachments is has
    assert summary.attachment_names == names
    assert "See attached." in summary.body_text
    assert ("xx" in summary.body_text.split()) is not has  # attachments are not body text


def test_a_single_part_attachment_is_an_attachment():
    summary = summarize(b"Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=x.pdf\r\n\r\n%PDF")
    assert summary.has_attachments
    assert summary.body_text == ""


def test_the_summary_holds_the_envelope_and_structure():
    summary = summarize(HEADERS + b"\r\nbody")
    assert summary.envelope[0] == "Mon, 02 Nov 2026 10:00:00 +0700"
    assert summary.envelope[2] == [["=?utf-8?B?Tmd1eeG7hW4gVsSDbiBBbg==?=", None, "an", "example.test"]]
    assert summary.structure["type"] == "text"


def test_long_header_values_are_cut_to_their_columns():
    summary = summarize(b"Subject: " + b"x" * 5000 + b"\r\nFrom: " + b"n" * 500 + b" <a@b>\r\n\r\n")
    assert len(summary.subject) == 998
    assert len(summary.from_name) <= 200
