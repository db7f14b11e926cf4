"""RFC 1870 §3 and §6, RFC 5321 §4.5.2 and §4.5.3.1.7: the size the MX advertises with
SIZE is that of the message itself, the CRLFs included but neither the transparency dots
a client adds before lines that start with "." nor the final ".". A message of exactly
the limit is accepted and delivered whole however many of its lines start with a dot,
and one octet more is refused with 552 5.3.4, over the wire with smtplib and with swaks
(which declares no SIZE, so the MX measures the data itself)."""
import email
import email.policy
import imaplib
import shutil
import smtplib
import subprocess

import pytest

from mailcore.delivery.models import QueuedMessage, QueueRecipient
from mailcore.delivery.runner import start_local_delivery
from mailcore.imap.listeners import FACTORIES as IMAP_FACTORIES
from mailcore.smtp.listeners import FACTORIES as SMTP_FACTORIES
from tests.support.hosts import running_host

from .conftest import PASSWORD, wait_for

LIMIT = 64 * 1024  # RFC 5321 §4.5.3.1.7: the least a server may take
TOO_LARGE = "552 5.3.4"  # RFC 3463 §3.4: message too big for system


@pytest.fixture
def host(settings, tmp_path, transactional_db):
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    settings.HOPTHU_IMAP_PROCESSES = 1
    settings.HOPTHU_MAX_MESSAGE_SIZE = LIMIT
    with running_host(settings, tmp_path, [*SMTP_FACTORIES, *IMAP_FACTORIES, start_local_delivery],
                      ("smtp", "imap")) as host:
        yield host


def dotted(subject: str, size: int) -> bytes:
    """A message of exactly `size` octets whose body lines all start with "." (most are a
    lone ".", stuffed to ".." on the wire: a third more octets than the message)."""
    head = (f"From: bob@example.net\r\nTo: alice@example.test\r\nSubject: {subject}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@example.net>\r\n\r\n").encode()
    rest = size - len(head)
    dots = (rest - 64) // 3
    last = b"." + b"z" * (rest - 3 * dots - 3) + b"\r\n"  # not a lone "." (swaks would drop it)
    message = head + b".\r\n" * dots + last
    assert len(message) == size
    return message


def stuffed_size(message: bytes) -> int:
    """The octets of message on the wire: one more per line that starts with "." (RFC 5321 §4.5.2)."""
    return len(message) + message.count(b"\r\n.") + message.startswith(b".")


def body_over_imap(host, subject: str) -> bytes:
    """The body (BODY[TEXT]) of the message with this subject in alice's INBOX, as stored."""
    def fetch():
        client = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        try:
            client.login("alice@example.test", PASSWORD)
            client.select("INBOX", readonly=True)
            _status, [uids] = client.uid("SEARCH", "HEADER", "Subject", f'"{subject}"')
            if not uids:
                return None
            _status, answer = client.uid("FETCH", uids.split()[-1], "(BODY.PEEK[])")
            return answer[0][1]
        finally:
            client.logout()
    raw = wait_for(fetch, timeout=15, what=f"{subject!r} in alice's INBOX")
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == subject
    return raw.split(b"\r\n\r\n", 1)[1]


def test_rfc1870_a_message_of_exactly_the_limit_full_of_leading_dots_is_accepted_from_smtplib(alice, host):
    message = dotted("exactly the limit", LIMIT)
    assert stuffed_size(message) > LIMIT + LIMIT // 4  # what aiosmtpd alone would have counted
    with smtplib.SMTP("127.0.0.1", host.ports["smtp"], timeout=30) as client:
        client.ehlo("mail.example.net")
        assert client.esmtp_features["size"] == str(LIMIT)
        # smtplib declares SIZE=<len(message)> (RFC 1870 §6.1) and stuffs the dots itself.
        assert client.sendmail("bob@example.net", ["alice@example.test"], message) == {}
    body = body_over_imap(host, "exactly the limit")
    assert body == message.split(b"\r\n\r\n", 1)[1]  # every dot removed once, nothing else


def test_rfc1870_one_octet_over_the_limit_is_refused_with_552_from_smtplib(alice, host):
    message = dotted("one octet over", LIMIT + 1)
    with smtplib.SMTP("127.0.0.1", host.ports["smtp"], timeout=30) as client:
        client.ehlo("mail.example.net")
        # Declared: refused at MAIL (RFC 1870 §6.1).
        code, reply = client.mail("bob@example.net", [f"SIZE={len(message)}"])
        assert code == 552 and reply.startswith(b"5.3.4"), reply
        client.rset()
        # Undeclared: refused after the data, and the session goes on (RFC 1870 §6.2).
        assert client.mail("bob@example.net")[0] == 250
        assert client.rcpt("alice@example.test")[0] == 250
        code, reply = client.data(message)
        assert f"{code} {reply.decode()}".startswith(TOO_LARGE), reply
        assert client.noop()[0] == 250
        # Exactly the limit, undeclared, on the same session: accepted.
        assert client.mail("bob@example.net")[0] == 250
        assert client.rcpt("alice@example.test")[0] == 250
        assert client.data(dotted("undeclared at the limit", LIMIT))[0] == 250
    assert QueuedMessage.objects.count() == 1
    assert body_over_imap(host, "undeclared at the limit").startswith(b".\r\n.\r\n")


def swaks(host, message: bytes, tmp_path) -> subprocess.CompletedProcess:
    """swaks (Debian's) sending message to the MX: it declares no SIZE, stuffs the leading
    dots, and adds the CRLF before the final "." itself (so it is given message without it)."""
    path = shutil.which("swaks")
    if path is None:
        pytest.fail("swaks is not installed; scripts/test-services installs it")
    assert message.endswith(b"\r\n")
    data = tmp_path / "message.eml"
    data.write_bytes(message[:-2])
    return subprocess.run([path, "--server", f"127.0.0.1:{host.ports['smtp']}", "--ehlo", "mail.example.net",
                           "--from", "bob@example.net", "--to", "alice@example.test", "--data", f"@{data}"],
                          capture_output=True, text=True, timeout=60)


def test_rfc1870_swaks_sends_exactly_the_limit_full_of_leading_dots(alice, host, tmp_path):
    message = dotted("swaks at the limit", LIMIT)
    result = swaks(host, message, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "250 2.0.0 OK: queued as" in result.stdout
    assert body_over_imap(host, "swaks at the limit") == message.split(b"\r\n\r\n", 1)[1]


def test_rfc1870_swaks_one_octet_over_the_limit_gets_552(alice, host, tmp_path):
    result = swaks(host, dotted("swaks over the limit", LIMIT + 1), tmp_path)
    assert result.returncode != 0
    assert f"<** {TOO_LARGE}" in result.stdout, result.stdout
    assert not QueuedMessage.objects.exists()


def test_rfc5321_6_1_mail_the_queue_took_is_delivered_though_now_over_the_limit(alice, bob, settings):
    """A message at the limit gains trace fields after its 250 (or the limit is lowered
    while it waits): local delivery still delivers it, and the mail queued with it."""
    from mailcore.delivery.local import deliver_due_local
    from mailcore.delivery.queue import Envelope, enqueue
    from mailcore.store.models import Message

    settings.HOPTHU_MAX_MESSAGE_SIZE = LIMIT
    enqueue(b"Received: from mail.example.net\r\n" + dotted("accepted at the limit", LIMIT),
            Envelope("bob@example.net", ["alice@example.test"]))
    enqueue(b"Subject: small\r\n\r\nhello\r\n", Envelope("bob@example.net", ["bob@example.test"]))
    assert deliver_due_local() == 2
    assert list(QueueRecipient.objects.values_list("status", flat=True)) == ["delivered", "delivered"]
    assert Message.objects.get(account=alice).size > LIMIT


def test_the_wire_allowance_is_what_the_worst_stuffed_message_takes():
    from mailcore.smtp.session import wire_size_limit

    worst = b".\r\n" * 1000  # every line a lone dot: 4 octets on the wire for 3
    assert wire_size_limit(len(worst)) == stuffed_size(worst) == 4000
    assert wire_size_limit(LIMIT) >= stuffed_size(dotted("any", LIMIT))
