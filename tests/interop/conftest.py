"""HopThu and a real Postfix (tests/support/postfix.py) exchanging mail over loopback.

One Postfix instance serves the whole session; it relays HopThu's domains to a port
chosen once (`mx_port`), and every test's mail core listens for SMTP on that same port,
so Postfix's transport map never changes. Between tests Postfix's queue, mailboxes and
recipient_access table are emptied. HopThu finds Postfix's domains through the stub DNS
(MX → 127.0.0.1) and reaches it at HOPTHU_OUTBOUND_PORT = Postfix's port.

    hopthu         the mail core: MX on mx_port, submission, IMAP, local delivery
    peer           the Postfix instance, reset for this test
    submit(...)    alice (or another account) sends through HopThu's submission port
    inbox(...)     an account's INBOX read over IMAP (imaplib), waiting for N messages
    send_via_postfix(...)  a client hands a message to Postfix (smtplib)
"""
import imaplib
import smtplib
import time
from email import message_from_string, policy

import pytest

from mailcore.delivery.models import QueueRecipient
from mailcore.delivery.remote import deliver_due_remote
from mailcore.delivery.runner import start_local_delivery
from mailcore.imap.listeners import FACTORIES as IMAP
from mailcore.smtp.listeners import FACTORIES as SMTP
from tests.support.dns_server import StubDNSServer
from tests.support.hosts import running_host
from tests.support.postfix import HOSTNAME as POSTFIX_HOSTNAME
from tests.support.postfix import Postfix, free_port

PASSWORD = "correct horse battery staple"
POSTFIX_DOMAINS = ("postfix.test", "sender.example", "gateway.test")


@pytest.fixture(scope="session")
def mx_port():
    """HopThu's MX port for the session: Postfix's transport map points at it."""
    return free_port()


@pytest.fixture(scope="session")
def postfix(mx_port):
    instance = Postfix(mx_port)
    try:
        yield instance.start()
    finally:
        instance.stop()


@pytest.fixture
def peer(postfix):
    postfix.reset()
    return postfix


@pytest.fixture(scope="session")
def interop_dns():
    server = StubDNSServer().start()
    for domain in POSTFIX_DOMAINS:
        server.add(domain, "MX", f"10 {POSTFIX_HOSTNAME}.")
    server.add(POSTFIX_HOSTNAME, "A", "127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def hopthu(settings, tmp_path, transactional_db, mx_port, peer, interop_dns):
    from mailcore.dns import flush_cache

    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "smtp": mx_port}
    settings.HOPTHU_OUTBOUND_PORT = peer.port
    settings.HOPTHU_OUTBOUND_TLS = "may"
    settings.HOPTHU_OUTBOUND_TIMEOUT = 10
    settings.HOPTHU_DNS_SERVERS = interop_dns.address
    flush_cache()
    with running_host(settings, tmp_path, [*SMTP, *IMAP, start_local_delivery],
                      ("submission", "submissions", "relay", "imap", "imaps")) as host:
        yield host


@pytest.fixture
def submit(hopthu):
    """submit(raw, to, sender="alice@example.test"): over the submission port with AUTH."""

    def send(raw: bytes, to: list[str], sender: str = "alice@example.test", **options):
        with smtplib.SMTP("127.0.0.1", hopthu.ports["submission"], timeout=10) as client:
            client.login(sender, PASSWORD)
            client.sendmail(sender, to, raw, **options)

    return send


@pytest.fixture
def send_via_postfix(peer):
    """send_via_postfix(raw, to, sender="erin@sender.example", **sendmail_options)."""

    def send(raw: bytes, to: list[str], sender: str = "erin@sender.example", **options):
        with smtplib.SMTP("127.0.0.1", peer.port, timeout=10) as client:
            return client.sendmail(sender, to, raw, **options)

    return send


@pytest.fixture
def inbox(hopthu):
    """inbox(address, count=1): every message of the INBOX, read over IMAP once there are
    at least `count` (so `[message] = inbox(...)` also says there is no second one)."""

    def read(address: str, count: int = 1, timeout: float = 20.0) -> list:
        imap = imaplib.IMAP4("127.0.0.1", hopthu.ports["imap"], timeout=10)
        try:
            imap.login(address, PASSWORD)
            deadline = time.monotonic() + timeout
            while (exists := int(imap.select("INBOX", readonly=True)[1][0])) < count:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{address}'s INBOX never had {count} messages")
                time.sleep(0.1)
            if not exists:
                return []
            _typ, data = imap.fetch("1:*", "(BODY.PEEK[])")
            raws = [item[1] for item in data if isinstance(item, tuple)]
            return [parse(raw) for raw in raws]
        finally:
            imap.logout()

    return read


def parse(raw: bytes):
    """A stored message, UTF-8 header fields (RFC 6532) read as text."""
    return message_from_string(raw.decode("utf-8", "surrogateescape"), policy=policy.SMTPUTF8)


def flush_outbound(expect: int | None = None, timeout: float = 20.0) -> int:
    """Run HopThu's outbound queue once, as a worker would (after waiting for `expect`
    due remote recipients, queued by another thread); return how many were tried."""
    deadline = time.monotonic() + timeout
    while expect and QueueRecipient.objects.filter(kind="remote", status__in=["queued", "deferred"]).count() < expect:
        if time.monotonic() > deadline:
            raise AssertionError(f"{expect} remote recipients were never queued")
        time.sleep(0.05)
    return deliver_due_remote()


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
    return value
