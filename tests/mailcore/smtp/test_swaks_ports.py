"""swaks (Debian's, written by others) on every SMTP port, each message read back over
IMAP with imaplib: MX (25), submission with STARTTLS (587), submissions with implicit
TLS (465, RFC 8314) and the relay port. A missing swaks fails the test, never skips it."""
import email
import email.policy
import imaplib
import shutil
import subprocess

import pytest

from mailcore.delivery.local import deliver_due_local
from mailcore.delivery.models import QueuedMessage
from mailcore.delivery.runner import start_local_delivery
from mailcore.imap.listeners import FACTORIES as IMAP_FACTORIES
from mailcore.relay import services as relay_services
from mailcore.relay.models import RelayToken
from mailcore.smtp.listeners import FACTORIES as SMTP_FACTORIES
from tests.support.hosts import running_host

from .conftest import PASSWORD, wait_for

PORTS = ("smtp", "submission", "submissions", "relay", "imap")


@pytest.fixture
def host(settings, tmp_path, transactional_db):
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    settings.HOPTHU_IMAP_PROCESSES = 1
    with running_host(settings, tmp_path, [*SMTP_FACTORIES, *IMAP_FACTORIES, start_local_delivery], PORTS) as host:
        yield host


def swaks(host, port_name, *args):
    path = shutil.which("swaks")
    if path is None:
        pytest.fail("swaks is not installed; scripts/test-services installs it")
    result = subprocess.run([path, "--server", f"127.0.0.1:{host.ports[port_name]}", *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def read_inbox_over_imap(host, address, subject):
    """The message with this subject in address's INBOX, fetched with imaplib."""
    def fetch():
        client = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        try:
            client.login(address, PASSWORD)
            client.select("INBOX", readonly=True)
            _status, [uids] = client.uid("SEARCH", "HEADER", "Subject", f'"{subject}"')
            if not uids:
                return None
            _status, answer = client.uid("FETCH", uids.split()[-1], "(BODY.PEEK[])")
            return email.message_from_bytes(answer[0][1], policy=email.policy.default)
        finally:
            client.logout()
    return wait_for(fetch, timeout=10, what=f"{subject!r} in {address}'s INBOX over IMAP")


def test_rfc5321_4_5_5_swaks_null_sender_to_the_mx_arrives_in_the_inbox(alice, host):
    out = swaks(host, "smtp", "--from", "<>", "--to", "alice@example.test", "--ehlo", "mail.example.net",
                "--header", "Subject: Undelivered Mail Returned to Sender",
                "--header", "From: MAILER-DAEMON@mail.example.net", "--body", "Your message bounced.")
    assert "MAIL FROM:<>" in out and "250 2.1.0 OK" in out
    message = read_inbox_over_imap(host, "alice@example.test", "Undelivered Mail Returned to Sender")
    assert message["Return-Path"] == "<>"
    assert message.get_content().strip() == "Your message bounced."


def test_rfc5321_4_5_1_swaks_to_postmaster_without_a_domain(alice, host):
    swaks(host, "smtp", "--from", "admin@example.net", "--to", "Postmaster", "--header", "Subject: hello postmaster")
    assert read_inbox_over_imap(host, "alice@example.test", "hello postmaster")


def test_rfc6409_swaks_submission_with_starttls_and_auth(alice, bob, host):
    out = swaks(host, "submission", "--tls", "--auth", "PLAIN", "--auth-user", "alice@example.test",
                "--auth-password", PASSWORD, "--from", "alice@example.test", "--to", "bob@example.test",
                "--header", "Subject: via submission")
    assert "TLS started" in out
    message = read_inbox_over_imap(host, "bob@example.test", "via submission")
    assert "with ESMTPSA" in message["Received"]


def test_rfc8314_swaks_submissions_with_implicit_tls(alice, bob, host):
    out = swaks(host, "submissions", "--tls-on-connect", "--auth", "LOGIN", "--auth-user", "alice@example.test",
                "--auth-password", PASSWORD, "--from", "alice@example.test", "--to", "bob@example.test",
                "--header", "Subject: via submissions")
    assert "TLS started" in out
    message = read_inbox_over_imap(host, "bob@example.test", "via submissions")
    assert "with ESMTPSA" in message["Received"]


def test_rfc8098_2_1_swaks_submission_of_an_mdn_from_the_null_sender(alice, bob, host):
    """A read receipt (MDN) goes out with MAIL FROM:<> (RFC 8098 §2.1); the user's own From
    header is still required (docs/smtp.md, "The null sender on each port")."""
    swaks(host, "submission", "--tls", "--auth-user", "alice@example.test", "--auth-password", PASSWORD,
          "--from", "<>", "--to", "bob@example.test", "--header", "From: alice@example.test",
          "--header", "Subject: Read: lunch?")
    message = read_inbox_over_imap(host, "bob@example.test", "Read: lunch?")
    assert message["Return-Path"] == "<>"
    assert QueuedMessage.objects.get(source="submission").mail_from == ""


def test_swaks_through_the_relay_port_with_a_token(alice, host):
    _grant, secret = relay_services.create_token("example.test", "invoices", senders=["billing@example.test"])
    swaks(host, "relay", "--tls", "--auth-user", RelayToken.objects.get().username, "--auth-password", secret,
          "--from", "billing@example.test", "--to", "alice@example.test", "--header", "Subject: invoice 42")
    deliver_due_local()
    message = read_inbox_over_imap(host, "alice@example.test", "invoice 42")
    assert message["From"] == "billing@example.test"
