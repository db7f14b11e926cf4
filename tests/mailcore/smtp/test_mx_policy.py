"""The MX port refuses what it must, at the right moment, and the session lives on."""
import socket
import ssl

import pytest

from mailcore.delivery.models import QueuedMessage
from mailcore.directory.models import Account
from mailcore.directory.services import create_domain_alias, set_quota

from .conftest import client_tls_context


class Dialogue:
    """A raw SMTP client: exact bytes out, whole replies back."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.file = self.sock.makefile("rb")
        self.greeting = self.reply()

    def reply(self) -> str:
        lines = []
        while True:
            line = self.file.readline().decode()
            assert line, "connection closed"
            lines.append(line.rstrip("\r\n"))
            if line[3:4] != "-":
                return "\n".join(lines)

    def send(self, data: bytes) -> str:
        self.sock.sendall(data)
        return self.reply()

    def close(self):
        self.sock.close()


@pytest.fixture
def dialogue(mail_host):
    d = Dialogue(mail_host.ports["smtp"])
    d.send(b"EHLO client.example.net\r\n")
    yield d
    d.close()


def rcpt(dialogue, address: str) -> str:
    dialogue.send(b"RSET\r\n")
    assert dialogue.send(b"MAIL FROM:<bob@example.net>\r\n").startswith("250")
    return dialogue.send(f"RCPT TO:<{address}>\r\n".encode())


def test_ehlo_advertises_the_extensions_and_no_auth_on_the_mx_port(mail_host):
    d = Dialogue(mail_host.ports["smtp"])
    ehlo = d.send(b"EHLO client.example.net\r\n")
    for extension in ("PIPELINING", "ENHANCEDSTATUSCODES", "8BITMIME", "SMTPUTF8", "STARTTLS", "SIZE 52428800"):
        assert extension in ehlo
    assert "AUTH" not in ehlo
    assert d.send(b"AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n").startswith("502 5.5.1")
    d.close()


def test_unknown_local_recipients_are_refused_at_rcpt(alice, dialogue):
    assert rcpt(dialogue, "nobody@example.test").startswith("550 5.1.1")
    assert rcpt(dialogue, "alice@example.test").startswith("250")


@pytest.mark.parametrize("address", [
    "someone@example.net",  # plain relaying
    "someone%example.net@example.test",  # percent hack
    "example.net!someone@example.test",  # bang path
    "\"someone@example.net\"@example.test",  # quoted local part holding @
    "@example.test:someone@example.net",  # source route
    "alice@example.test.",  # trailing dot
    "someone@example.net.",
    "alice@example.test@example.net",
])
def test_relay_tricks_are_refused(alice, dialogue, address):
    reply = rcpt(dialogue, address)
    assert reply[:3] in ("550", "553", "554"), reply
    assert not reply.startswith("250")
    assert dialogue.send(b"NOOP\r\n").startswith("250")  # the session lives on


@pytest.mark.parametrize("address", ["ALICE@EXAMPLE.TEST", "alice@Example.Test", "alice@xn--v-d-rma6749a.vn",
                                     "alice@ví-dụ.vn"])
def test_case_and_idn_spellings_of_hosted_domains_are_local(alice, dialogue, address):
    create_domain_alias("ví-dụ.vn", "example.test")
    dialogue.send(b"RSET\r\n")
    dialogue.send(b"MAIL FROM:<bob@example.net> SMTPUTF8\r\n")
    assert dialogue.send(f"RCPT TO:<{address}>\r\n".encode()).startswith("250")


def test_a_full_mailbox_is_answered_452(alice, dialogue):
    set_quota("alice@example.test", 1000)
    Account.objects.filter(pk=alice.pk).update(used_bytes=1000)
    assert rcpt(dialogue, "alice@example.test").startswith("452 4.2.2")


def test_the_size_limit_is_enforced(alice, dialogue, settings):
    dialogue.send(b"RSET\r\n")
    assert dialogue.send(b"MAIL FROM:<bob@example.net> SIZE=999999999999\r\n").startswith("552")


@pytest.mark.parametrize("body", [
    b"Subject: x\r\n\r\nline\nsmuggled\r\n",  # bare LF
    b"Subject: x\r\n\r\nline\rsmuggled\r\n",  # bare CR
    b"Subject: x\r\n\r\nfirst\n.\r\nMAIL FROM:<a@b>\r\n",  # the smuggling payload itself
])
def test_bare_cr_or_lf_in_data_is_refused_and_nothing_is_queued(alice, dialogue, body):
    rcpt(dialogue, "alice@example.test")
    assert dialogue.send(b"DATA\r\n").startswith("354")
    reply = dialogue.send(body + b".\r\n")
    assert reply.startswith("554 5.6.0"), reply
    assert QueuedMessage.objects.count() == 0
    assert dialogue.send(b"NOOP\r\n").startswith("250")


def test_commands_pipelined_after_starttls_are_discarded(alice, mail_host):
    d = Dialogue(mail_host.ports["smtp"])
    d.send(b"EHLO client.example.net\r\n")
    # RFC 3207 §4.2 / CVE-2011-0411: plaintext after STARTTLS must not reach the TLS session.
    d.sock.sendall(b"STARTTLS\r\nRSET\r\nMAIL FROM:<injected@example.net>\r\n")
    assert d.reply().startswith("220")
    tls = client_tls_context().wrap_socket(d.sock, server_hostname="mx.example.test")
    reader = tls.makefile("rb")
    tls.sendall(b"EHLO client.example.net\r\n")
    ehlo = b""
    while not ehlo.endswith(b"\r\n") or ehlo.splitlines()[-1][3:4] == b"-":
        ehlo += reader.readline()
    assert ehlo.startswith(b"250")
    tls.sendall(b"MAIL FROM:<bob@example.net>\r\n")
    # Had the injected MAIL been executed, this one would be a nested MAIL (503).
    assert reader.readline().startswith(b"250")
    tls.close()


def test_bad_commands_get_errors_and_the_session_survives(dialogue):
    assert dialogue.send(b"FOO bar\r\n").startswith("500")
    assert dialogue.send(b"MAIL FROM:<not an address>\r\n")[:3] in ("501", "553")
    assert dialogue.send(b"RCPT TO:<alice@example.test>\r\n").startswith("503")
    assert dialogue.send(b"X" * 5000 + b"\r\n")[:3] in ("500", "501")
    assert dialogue.send(b"NOOP\r\n").startswith("250")


def test_implicit_tls_port_speaks_tls_first(mail_host):
    raw = socket.create_connection(("127.0.0.1", mail_host.ports["submissions"]), timeout=10)
    tls = client_tls_context().wrap_socket(raw, server_hostname="mx.example.test")
    assert tls.makefile("rb").readline().startswith(b"220")
    assert isinstance(tls.version(), str) and tls.version().startswith("TLS")
    tls.close()


def test_plaintext_to_the_implicit_tls_port_gets_no_smtp(mail_host):
    raw = socket.create_connection(("127.0.0.1", mail_host.ports["submissions"]), timeout=5)
    raw.sendall(b"EHLO x\r\n")
    with pytest.raises((ssl.SSLError, ConnectionError, TimeoutError, OSError)):
        data = raw.recv(100)
        assert not data.startswith(b"250")
        raise ConnectionError("no SMTP spoken")
    raw.close()
