"""Daily counts from real SMTP sessions on the MX port: a delivery counts "received" for the
recipient's domain, a refusal counts "rejected" for a hosted domain only."""
import smtplib
from email.message import EmailMessage

import pytest

from mailcore.directory.services import create_domain_alias
from mailcore.stats import pending
from mailcore.stats.models import DailyCount
from tests.mailcore.smtp import conftest as smtp_fixtures

# The SMTP tests' fixtures: a running mail core on loopback and an smtplib client of its MX port.
mail_host, mx, wait_for = smtp_fixtures.mail_host, smtp_fixtures.mx, smtp_fixtures.wait_for


def message(**fields) -> EmailMessage:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "bob@example.net", "alice@example.test", "Hi"
    for name, value in fields.items():
        mail[name.replace("_", "-")] = value
    mail.set_content("Xin chào!\n")
    return mail


def counted(domain: str, kind: str) -> int:
    return sum(DailyCount.objects.filter(domain=domain, kind=kind).values_list("count", flat=True))


def test_mail_received_over_mx_counts_once_per_recipient(alice, bob, charlie, mx):
    mx.send_message(message(), "bob@example.net", ["alice@example.test", "bob@example.test"])
    mx.send_message(message(), "bob@example.net", ["charlie@example.org"])
    pending.flush()  # noted in memory at commit (before the 250), written every few seconds
    assert counted("example.test", "received") == 2
    assert counted("example.org", "received") == 1
    assert not DailyCount.objects.filter(domain="example.net").exists()


def test_mail_to_a_domain_alias_counts_for_its_target(alice, mx):
    create_domain_alias("example.vn", "example.test")
    mx.send_message(message(), "bob@example.net", ["alice@example.vn"])
    pending.flush()
    assert counted("example.test", "received") == 1
    assert not DailyCount.objects.filter(domain="example.vn").exists()


def test_the_message_id_is_kept_for_the_delivery_log(alice, mx):
    from mailcore.delivery.models import QueuedMessage

    mx.send_message(message(Message_ID="<log.7@example.net>"), "bob@example.net", ["alice@example.test"])
    assert QueuedMessage.objects.get().message_id == "<log.7@example.net>"


def test_an_unknown_recipient_counts_as_rejected_for_its_domain(alice, mx):
    mx.ehlo("client.example.net")
    mx.mail("bob@example.net")
    assert mx.rcpt("nobody@example.test")[0] == 550
    assert mx.rcpt("nobody2@example.test")[0] == 550
    assert mx.rcpt("someone@elsewhere.example")[0] == 554  # relay denied: not ours to count
    pending.flush()
    assert counted("example.test", "rejected") == 2
    assert list(DailyCount.objects.values_list("domain", flat=True).distinct()) == ["example.test"]


def test_a_refused_message_counts_as_rejected_for_each_recipient(alice, bob, mx):
    # RFC 5321 §6.3 loop detection: more than trace.MAX_HOPS Received fields are refused after DATA.
    from mailcore.delivery.trace import MAX_HOPS

    raw = b"".join(b"Received: from a by b; Mon, 1 Jan 2024 00:00:00 +0000\r\n" for _ in range(MAX_HOPS + 1))
    raw += b"From: bob@example.net\r\nSubject: loop\r\n\r\nloop\r\n"
    with pytest.raises(smtplib.SMTPDataError) as refused:
        mx.sendmail("bob@example.net", ["alice@example.test", "bob@example.test"], raw)
    assert refused.value.smtp_code == 554
    pending.flush()
    assert counted("example.test", "rejected") == 2
    assert counted("example.test", "received") == 0
