"""Blocked attachments at the MX: refused (554 5.7.1) or held in quarantine, per domain, and counted."""
from email.message import EmailMessage

from mailcore.filters.models import FilterPolicy, QuarantinedMessage
from mailcore.stats import pending
from mailcore.stats.models import DailyCount
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for

from .conftest import clean_message, send_raw


def with_program() -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "bob@example.net", "alice@example.test", "Invoice"
    mail.set_content("See attached.\n")
    mail.add_attachment(b"MZ\x90\x00 a program", maintype="application", subtype="octet-stream",
                        filename="invoice.exe")
    return mail.as_bytes()


def test_a_blocked_attachment_is_refused_and_counted_as_policy(alice, mail_host):
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], with_program())
    assert code == 554 and text.startswith(b"5.7.1 Message refused:") and b"invoice.exe" in text
    pending.flush()
    assert DailyCount.objects.get(domain="example.test", kind="policy").count == 1
    assert not Message.objects.exists() and not QuarantinedMessage.objects.exists()


def test_a_domain_that_quarantines_holds_the_message_with_a_250(alice, mail_host):
    FilterPolicy.objects.create(domain=alice.domain, attachment_action="quarantine")
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], with_program())
    assert code == 250 and b"held" in text
    held = QuarantinedMessage.objects.get()
    assert held.kind == "policy" and "invoice.exe" in held.reason and held.mail_from == "bob@example.net"
    assert [r.address for r in held.recipients.all()] == ["alice@example.test"]
    assert not Message.objects.exists()


def test_with_one_rejecting_domain_among_the_recipients_the_message_is_refused(alice, charlie, mail_host):
    FilterPolicy.objects.create(domain=alice.domain, attachment_action="quarantine")
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], with_program(),
                                       recipients=("alice@example.test", "charlie@example.org"))
    assert code == 554
    assert not QuarantinedMessage.objects.exists()


def test_a_domain_that_blocks_nothing_takes_the_program(alice, mail_host):
    FilterPolicy.objects.create(domain=alice.domain, blocked_extensions="", blocked_types="")
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], with_program())
    assert code == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")


def test_clean_mail_passes_the_attachment_policy(alice, mail_host):
    assert send_raw(mail_host.ports["smtp"], clean_message().as_bytes())[1][0] == 250
