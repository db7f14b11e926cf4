"""Issue 16 (low): behind a TCP proxy in HOPTHU_PROXY_NETWORKS, the mail listeners read its
PROXY header (v1 or v2, https://www.haproxy.org/download/2.9/doc/proxy-protocol.txt) and
use the client it names for lockouts, connection limits, relay networks and the Received
field; on implicit-TLS ports the header comes first, TLS after it. Real clients (imaplib,
poplib, smtplib) behind real headers on real sockets; the "proxy" is 127.0.0.1."""
import imaplib
import smtplib
import ssl

import pytest

from mailcore.auth.models import Lockout, LoginFailure
from mailcore.delivery.models import QueuedMessage
from mailcore.relay import services as relay
from mailcore.store import blobs
from tests.conftest import PASSWORD
from tests.support import proxied_clients as proxied
from tests.support.hosts import tls_context

HOST = "127.0.0.1"
RAW = b"From: alice@example.test\r\nTo: carol@example.net\r\nSubject: hi\r\n\r\nhello\r\n"


@pytest.fixture
def proxied_core(settings, mail_core_factory):
    settings.HOPTHU_PROXY_NETWORKS = ["127.0.0.1/32"]
    settings.HOPTHU_PROXY_TIMEOUT = 1
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0  # failed logins answered at once
    return mail_core_factory()


def imap(core, header, **kwargs):
    client = proxied.IMAP4(HOST, core.ports["imap"], header, **kwargs)
    client.starttls(tls_context())  # the client is not on loopback: TLS before LOGIN
    return client


def test_imap_behind_a_v1_proxy_counts_failed_logins_under_the_client(proxied_core, alice, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES_PER_IP = 3
    for _attempt in range(3):
        with pytest.raises(imaplib.IMAP4.error):
            imap(proxied_core, proxied.v1("203.0.113.9")).login("alice@example.test", "wrong password")
    assert set(LoginFailure.objects.values_list("remote_ip", flat=True)) == {"203.0.113.9"}
    assert list(Lockout.objects.values_list("scope", "key")) == [("ip", "203.0.113.9")]
    with pytest.raises(imaplib.IMAP4.error, match="Too many failed logins"):
        imap(proxied_core, proxied.v1("203.0.113.9")).login("alice@example.test", PASSWORD)
    # Another client behind the same proxy is not locked out with it.
    assert imap(proxied_core, proxied.v1("198.51.100.7")).login("alice@example.test", PASSWORD)[0] == "OK"


def test_imaps_behind_a_v2_proxy_starts_tls_after_the_header(proxied_core, alice):
    header = proxied.v2("2001:db8:5::9")
    with pytest.raises(imaplib.IMAP4.error):
        proxied.IMAP4_SSL(HOST, proxied_core.ports["imaps"], header, ssl_context=tls_context()).login(
            "alice@example.test", "wrong password")
    client = proxied.IMAP4_SSL(HOST, proxied_core.ports["imaps"], header, ssl_context=tls_context())
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"
    assert client.select("INBOX")[0] == "OK"
    client.logout()
    assert list(LoginFailure.objects.values_list("remote_ip", flat=True)) == ["2001:db8:5::/64"]


def test_pop3s_behind_a_v2_proxy(proxied_core, alice):
    client = proxied.POP3_SSL(HOST, proxied_core.ports["pop3s"], proxied.v2("203.0.113.9"), context=tls_context())
    client.user("alice@example.test")
    with pytest.raises(Exception, match="AUTH"):
        client.pass_("wrong password")
    assert LoginFailure.objects.get().remote_ip == "203.0.113.9"


def test_pop3_behind_a_v1_proxy_with_stls(proxied_core, alice):
    client = proxied.POP3(HOST, proxied_core.ports["pop3"], proxied.v1("203.0.113.9"))
    client.stls(tls_context())
    client.user("alice@example.test")
    assert client.pass_(PASSWORD).startswith(b"+OK")
    client.quit()


def received_from(message) -> bytes:
    return blobs.read(message.blob.digest).split(b"\r\n\r\n", 1)[0]


def test_smtps_behind_a_v2_proxy_records_the_client(proxied_core, alice):
    client = proxied.SMTP_SSL(HOST, proxied_core.ports["submissions"], proxied.v2("203.0.113.9"),
                              context=tls_context())
    client.login("alice@example.test", PASSWORD)
    assert client.sendmail("alice@example.test", ["carol@example.net"], RAW) == {}
    client.quit()
    message = QueuedMessage.objects.select_related("blob").get()
    assert message.client_ip == "203.0.113.9"
    assert b"[203.0.113.9]" in received_from(message)


def test_submission_starttls_after_a_v1_header_keeps_the_client(proxied_core, alice):
    """aiosmtpd starts a new session on STARTTLS (RFC 3207 §4.2): it must still see the client."""
    client = proxied.SMTP(HOST, proxied_core.ports["submission"], proxied.v1("203.0.113.9", server_port=587))
    client.starttls(context=tls_context())
    client.login("alice@example.test", PASSWORD)
    assert client.sendmail("alice@example.test", ["carol@example.net"], RAW) == {}
    client.quit()
    assert QueuedMessage.objects.get().client_ip == "203.0.113.9"


def test_the_relay_port_matches_its_networks_against_the_client(proxied_core, alice):
    relay.create_network("example.test", "branch office", "203.0.113.0/24", senders=["alice@example.test"])
    inside = proxied.SMTP(HOST, proxied_core.ports["relay"], proxied.v1("203.0.113.9"))
    assert inside.sendmail("alice@example.test", ["carol@example.net"], RAW) == {}
    inside.quit()
    outside = proxied.SMTP(HOST, proxied_core.ports["relay"], proxied.v1("198.51.100.7"))
    with pytest.raises(smtplib.SMTPSenderRefused) as refused:
        outside.sendmail("alice@example.test", ["carol@example.net"], RAW)
    assert refused.value.smtp_code == 530


def test_connection_limits_count_each_client_behind_the_proxy(proxied_core, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    first = proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v1("203.0.113.9"))
    with pytest.raises(imaplib.IMAP4.error, match="Too many connections from your address"):
        proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v1("203.0.113.9"))
    other = proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v1("198.51.100.7"))
    assert first.noop()[0] == other.noop()[0] == "OK"


def test_a_v2_header_saying_the_client_spoke_tls_to_the_proxy_counts_as_tls(proxied_core, alice):
    """A TLS-ending proxy in front of the plain ports: LOGIN and AUTH are offered without
    STARTTLS, which is not offered either. Without the TLV the same client must STARTTLS."""
    client = proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v2("203.0.113.9", client_tls=True))
    assert "STARTTLS" not in client.capabilities and "LOGINDISABLED" not in client.capabilities
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"
    plain = proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v2("203.0.113.9"))
    assert "LOGINDISABLED" in plain.capabilities
    smtp = proxied.SMTP(HOST, proxied_core.ports["submission"], proxied.v2("203.0.113.9", client_tls=True))
    smtp.ehlo()
    assert smtp.has_extn("auth") and not smtp.has_extn("starttls")
    smtp.login("alice@example.test", PASSWORD)
    smtp.quit()


def test_a_v2_local_header_is_the_proxys_own_connection(proxied_core, alice):
    """A health check: the proxy speaks for itself, and is seen as itself (loopback here)."""
    client = proxied.IMAP4(HOST, proxied_core.ports["imap"], proxied.v2("203.0.113.9", local=True))
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"  # loopback is secure in the tests
    client.logout()


def test_a_command_in_the_same_segment_as_the_header_is_not_lost(proxied_core):
    """A proxy forwards what the client sent right behind its header."""
    sock = proxied.connect(HOST, proxied_core.ports["imap"], 10)
    sock.sendall(proxied.v1("203.0.113.9") + b"a1 NOOP\r\n")
    received = b""
    while b"a1 OK" not in received:
        chunk = sock.recv(4096)
        assert chunk, received
        received += chunk
    assert received.startswith(b"* OK ")


def test_a_tls_hello_in_the_same_segment_as_the_header_is_not_lost(proxied_core):
    """On an implicit-TLS port the client's first TLS record may come with the header:
    it is fed to the handshake, not dropped."""
    sock = proxied.connect(HOST, proxied_core.ports["imaps"], 10)
    bio_in, bio_out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = tls_context().wrap_bio(bio_in, bio_out, server_hostname=HOST)
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    sock.sendall(proxied.v2("203.0.113.9") + bio_out.read())  # one write: header and ClientHello
    while True:
        data = sock.recv(65536)
        assert data, "the server closed the connection during the handshake"
        bio_in.write(data)
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            sock.sendall(bio_out.read())
    sock.sendall(bio_out.read())
    greeting = b""
    while b"\r\n" not in greeting:
        try:
            greeting += tls.read(4096)
        except ssl.SSLWantReadError:
            bio_in.write(sock.recv(65536))
    assert greeting.startswith(b"* OK ")
