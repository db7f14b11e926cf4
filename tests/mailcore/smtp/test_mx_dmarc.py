"""DMARC p=reject at the MX is honoured per hosted domain (Domain.dmarc_reject)."""
import smtplib

import pytest

from mailcore.directory.services import update_domain
from mailcore.store.fetch import fetch_raw
from mailcore.store.models import Message

from .conftest import wait_for

# From example.net, whose SPF allows no loopback sender and which publishes p=reject:
# unsigned mail from 127.0.0.1 fails DMARC.
FORGED = (
    b"From: Bank <service@example.net>\r\nTo: alice@example.test\r\nSubject: Verify your account\r\n"
    b"Message-ID: <forged@example.net>\r\n\r\nClick here.\r\n"
)


@pytest.fixture
def reject_policy(dns_server):
    dns_server.add_txt("example.net", "v=spf1 ip4:192.0.2.0/24 -all")
    dns_server.add_txt("_dmarc.example.net", "v=DMARC1; p=reject")
    return dns_server


def send(port, recipients):
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("mx.example.net")
        client.mail("bounce@example.net")
        replies = [client.rcpt(address) for address in recipients]
        accepted = [address for address, (code, _text) in zip(recipients, replies, strict=True) if code == 250]
        if not accepted:
            return replies, None
        return replies, client.data(FORGED)


def test_a_domain_that_honours_reject_refuses_the_message_after_data(reject_policy, alice, mail_host):
    replies, data = send(mail_host.ports["smtp"], ["alice@example.test"])
    assert replies[0][0] == 250
    assert data[0] == 550 and b"DMARC" in data[1]
    assert not Message.objects.filter(account=alice).exists()


def test_a_domain_that_opts_out_takes_the_message_with_the_failure_recorded(reject_policy, alice, mail_host):
    update_domain("example.test", dmarc_reject=False)
    _replies, data = send(mail_host.ports["smtp"], ["alice@example.test"])
    assert data[0] == 250
    stored = wait_for(lambda: Message.objects.filter(account=alice).first(), what="delivery")
    assert b"dmarc=fail (p=reject" in fetch_raw(stored)


def test_recipients_of_domains_with_different_choices_are_split(reject_policy, alice, charlie, mail_host):
    update_domain("example.org", dmarc_reject=False)
    replies, data = send(mail_host.ports["smtp"], ["alice@example.test", "charlie@example.org"])
    assert replies[0][0] == 250
    assert replies[1][0] == 452 and b"separate message" in replies[1][1]  # the client retries it alone
    assert data[0] == 550
    replies, data = send(mail_host.ports["smtp"], ["charlie@example.org"])
    assert data[0] == 250
    wait_for(lambda: Message.objects.filter(account=charlie).exists(), what="delivery to the opted-out domain")
