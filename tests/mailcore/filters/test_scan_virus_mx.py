"""Viruses at the MX with the real clamd (EICAR signature): refused or quarantined, and a
scanner that is down tempfails the message unless the domain chose to take it unscanned."""
import socket
from email.message import EmailMessage

import pytest

from mailcore.filters.models import FilterPolicy, QuarantinedMessage
from mailcore.stats import pending
from mailcore.stats.models import DailyCount
from mailcore.store.models import Message
from tests.mailcore.smtp.conftest import wait_for
from tests.support.services_filters import clamd  # noqa: F401

from .conftest import clean_message, send_raw

pytestmark = pytest.mark.slow

# Split in two so this source file is not itself the EICAR test file to a scanner.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$" + rb"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def infected() -> bytes:
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "bob@example.net", "alice@example.test", "Report"
    mail.set_content("See attached.\n")
    mail.add_attachment(EICAR, maintype="text", subtype="plain", filename="report.txt")
    return mail.as_bytes()


@pytest.fixture
def scanning(settings, clamd):  # noqa: F811
    settings.HOPTHU_CLAMD = clamd


def test_an_infected_message_is_refused_and_counted(alice, mail_host, scanning):
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], infected())
    assert code == 554 and text.startswith(b"5.7.1 Message refused: it contains a virus (")
    pending.flush()
    assert DailyCount.objects.get(domain="example.test", kind="virus").count == 1


def test_a_domain_that_quarantines_viruses_holds_the_message(alice, mail_host, scanning):
    FilterPolicy.objects.create(domain=alice.domain, virus_action="quarantine")
    _replies, (code, _text) = send_raw(mail_host.ports["smtp"], infected())
    assert code == 250
    held = QuarantinedMessage.objects.get()
    assert held.kind == "virus" and "Eicar" in held.reason
    assert not Message.objects.exists()


def test_clean_mail_is_scanned_and_delivered(alice, mail_host, scanning):
    assert send_raw(mail_host.ports["smtp"], clean_message().as_bytes())[1][0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_scanner_that_is_down_tempfails_the_message(alice, mail_host, settings):
    settings.HOPTHU_CLAMD = f"127.0.0.1:{closed_port()}"
    _replies, (code, text) = send_raw(mail_host.ports["smtp"], clean_message().as_bytes())
    assert code == 451 and text.startswith(b"4.7.1 The virus scanner is unavailable")


def test_a_domain_may_choose_to_take_mail_unscanned(alice, mail_host, settings):
    settings.HOPTHU_CLAMD = f"127.0.0.1:{closed_port()}"
    FilterPolicy.objects.create(domain=alice.domain, scanner_down="accept")
    assert send_raw(mail_host.ports["smtp"], clean_message().as_bytes())[1][0] == 250
    wait_for(lambda: Message.objects.filter(account=alice).exists(), what="delivery")
