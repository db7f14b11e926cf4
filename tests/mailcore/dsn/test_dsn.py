"""Delivery status notifications (RFC 3464) read back with Python's email parser."""
import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

import pytest

from mailcore.delivery.dsn import build_dsn, should_bounce
from mailcore.delivery.outbound.result import from_reply

ORIGINAL = (b"From: Alice <alice@example.test>\r\nTo: bob@example.net, carol@example.net\r\n"
            b"Subject: Quarterly report\r\nMessage-ID: <q4@example.test>\r\n\r\nThe numbers are in.\r\n")
ARRIVED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
FAILURES = [
    ("bob@example.net", from_reply(550, b"5.1.1 <bob@example.net>: Recipient address rejected", "mx.example.net")),
    ("carol@example.net", (452, "4.2.2", "Mailbox full")),
]


@pytest.fixture(autouse=True)
def hostname(settings):
    settings.HOPTHU_HOSTNAME = "mail.example.test"


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def report(**options):
    return parse(build_dsn(ORIGINAL, "alice@example.test", FAILURES, arrival_date=ARRIVED, **options))


@pytest.mark.parametrize(("mail_from", "expected"), [
    ("", False), ("<>", False), ("  ", False), ("alice@example.test", True), ("<alice@example.test>", True),
])
def test_only_a_real_sender_gets_a_report(mail_from, expected):
    assert should_bounce(mail_from) is expected


def test_no_report_is_built_for_the_null_reverse_path():
    with pytest.raises(ValueError, match="null reverse-path"):
        build_dsn(ORIGINAL, "", FAILURES)


def test_it_is_a_multipart_report_from_the_mailer_daemon():
    dsn = report()
    assert dsn.get_content_type() == "multipart/report"
    assert dsn.get_param("report-type") == "delivery-status"
    assert dsn["From"].addresses[0].addr_spec == "MAILER-DAEMON@mail.example.test"
    assert dsn["To"].addresses[0].addr_spec == "alice@example.test"
    assert dsn["Auto-Submitted"] == "auto-replied"
    assert dsn["Subject"] == "Undelivered Mail Returned to Sender"
    assert dsn["Message-ID"].endswith("@mail.example.test>")
    assert [part.get_content_type() for part in dsn.iter_parts()] == [
        "text/plain", "message/delivery-status", "message/rfc822"]


def test_the_delivery_status_has_a_block_per_recipient():
    per_message, *per_recipient = report().get_payload()[1].get_payload()
    assert per_message["Reporting-MTA"] == "dns; mail.example.test"
    assert per_message["Arrival-Date"] == "Mon, 02 Nov 2026 10:00:00 +0000"
    bob, carol = per_recipient
    assert bob["Final-Recipient"] == "rfc822; bob@example.net"
    assert (bob["Action"], bob["Status"], bob["Remote-MTA"]) == ("failed", "5.1.1", "dns; mx.example.net")
    assert bob["Diagnostic-Code"] == "smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected"
    assert carol["Final-Recipient"] == "rfc822; carol@example.net"
    assert (carol["Status"], carol["Diagnostic-Code"]) == ("4.2.2", "smtp; 452 4.2.2 Mailbox full")
    assert carol["Remote-MTA"] is None


def test_the_human_part_names_each_recipient_and_reply():
    text = report().get_payload()[0].get_content()
    assert "mail.example.test" in text
    assert "<bob@example.net>: 550 5.1.1 <bob@example.net>: Recipient address rejected" in text
    assert "<carol@example.net>: 452 4.2.2 Mailbox full" in text


def test_a_small_original_comes_back_whole():
    [original] = report().get_payload()[2].get_payload()
    assert original["Subject"] == "Quarterly report"
    assert original.get_content().rstrip() == "The numbers are in."


def test_a_large_original_comes_back_as_its_headers_only(settings):
    settings.HOPTHU_DSN_MAX_ORIGINAL = 50
    part = report().get_payload()[2]
    assert part.get_content_type() == "text/rfc822-headers"
    assert b"Subject: Quarterly report" in part.get_payload(decode=True)
    assert b"The numbers are in." not in part.as_bytes()


def test_a_delay_warning_says_delayed_and_until_when():
    until = ARRIVED + timedelta(days=5)
    dsn = report(delayed=True, retry_until=until)
    assert dsn["Subject"] == "Delayed Mail (still being retried)"
    _per_message, bob, _carol = dsn.get_payload()[1].get_payload()
    assert bob["Action"] == "delayed"
    assert bob["Will-Retry-Until"] == "Sat, 07 Nov 2026 10:00:00 +0000"
    assert dsn.get_payload()[2].get_content_type() == "text/rfc822-headers"


def test_every_line_ends_in_crlf_even_if_the_original_did_not():
    raw = build_dsn(ORIGINAL.replace(b"\r\n", b"\n"), "alice@example.test", FAILURES)
    assert re.search(rb"(?<!\r)\n", raw) is None
    assert re.search(rb"\r(?!\n)", raw) is None


def test_a_utf8_recipient_makes_a_global_report():
    dsn = parse(build_dsn(ORIGINAL, "alice@example.test", [("nguyễn@example.net", (550, "5.1.1", "Unknown"))]))
    status = dsn.get_payload()[1]
    assert status.get_content_type() == "message/global-delivery-status"
    assert "utf-8; nguyễn@example.net" in status.as_bytes().decode("utf-8")


def test_a_diagnostic_stays_on_one_line():
    raw = build_dsn(ORIGINAL, "alice@example.test", [("bob@example.net", (550, "5.7.1", "line one\r\nline two"))])
    assert b"Diagnostic-Code: smtp; 550 5.7.1 line one line two\r\n" in raw
