"""Issue 16 (low): the PROXY protocol is taken only from HOPTHU_PROXY_NETWORKS. From
anyone else a PROXY header is a protocol error and the connection is closed (else any
client could claim any address); from a proxy a malformed header, or none in time, closes
it too. Raw sockets: 127.0.0.1 is the proxy, 127.0.0.2 a client that is not."""
import socket
import ssl
import time

import pytest

from tests.conftest import PASSWORD
from tests.support import proxied_clients as proxied
from tests.support.hosts import tls_context

HOST = "127.0.0.1"
OUTSIDER = "127.0.0.2"


@pytest.fixture
def proxied_core(settings, mail_core_factory):
    settings.HOPTHU_PROXY_NETWORKS = ["127.0.0.1/32"]
    settings.HOPTHU_PROXY_TIMEOUT = 1
    return mail_core_factory()


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(4096):
        received += chunk
    return received


def outsider(core, port_name) -> socket.socket:
    return proxied.connect(HOST, core.ports[port_name], 10, source=OUTSIDER)


def test_imap_closes_on_a_v1_header_from_outside_the_proxy_networks(proxied_core):
    sock = outsider(proxied_core, "imap")
    assert sock.recv(4096).startswith(b"* OK ")  # the server speaks first
    sock.sendall(proxied.v1("203.0.113.9"))
    assert read_all(sock) == b"* BYE The PROXY protocol is not accepted from your address\r\n"


def test_smtp_closes_on_a_v2_header_from_outside_the_proxy_networks(proxied_core):
    sock = outsider(proxied_core, "smtp")
    assert sock.recv(4096).startswith(b"220 ")
    sock.sendall(proxied.v2("203.0.113.9"))
    assert read_all(sock).startswith(b"421 4.7.0 mx.example.test The PROXY protocol is not accepted")


def test_pop3_closes_on_a_header_sent_in_pieces(proxied_core):
    sock = outsider(proxied_core, "pop3")
    assert sock.recv(4096).startswith(b"+OK")
    for piece in (b"PRO", b"XY TCP4 203.0.113.9 192.0.2.1 1 2\r\n"):
        sock.sendall(piece)
        time.sleep(0.1)
    assert read_all(sock).startswith(b"-ERR The PROXY protocol is not accepted")


def test_an_implicit_tls_port_closes_on_a_header_from_outside_before_any_tls(proxied_core):
    sock = outsider(proxied_core, "imaps")
    sock.sendall(proxied.v1("203.0.113.9"))
    assert read_all(sock) == b"* BYE The PROXY protocol is not accepted from your address\r\n"


def test_clients_outside_the_proxy_networks_work_as_before(proxied_core, alice):
    client = proxied.IMAP4(HOST, proxied_core.ports["imap"], source=OUTSIDER)
    client.starttls(tls_context())
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"
    secure = proxied.IMAP4_SSL(HOST, proxied_core.ports["imaps"], source=OUTSIDER, ssl_context=tls_context())
    assert secure.login("alice@example.test", PASSWORD)[0] == "OK"
    smtp = proxied.SMTP(HOST, proxied_core.ports["submission"], source=OUTSIDER)
    assert smtp.ehlo()[0] == 250 and smtp.noop()[0] == 250
    smtp.quit()


def test_a_client_whose_first_line_only_looks_like_a_header_start_is_answered(proxied_core):
    """"\\r\\n" could begin a v2 signature: it is held only until more comes, or for a moment."""
    sock = outsider(proxied_core, "imap")
    sock.recv(4096)
    sock.sendall(b"\r\n")
    assert sock.recv(4096).startswith(b"* BAD")  # after the short wait, imap answers it
    sock.sendall(b"a1 NOOP\r\n")
    assert sock.recv(4096) == b"a1 OK NOOP completed\r\n"


@pytest.mark.parametrize("header", [
    b"PROXY TCP4 203.0.113.9 192.0.2.1 99999 143\r\n",  # a port out of range
    b"PROXY TCP4 203.0.113.9 192.0.2.1\r\n",  # words missing
    b"a1 LOGIN alice@example.test secret\r\n",  # a client's own command, no header
    b"\r\n\r\n\x00\r\nQUIT\n\x21\x12\x00\x0c" + b"\x00" * 12,  # v2 over UDP
])
@pytest.mark.parametrize("port_name", ["imap", "submission", "pop3s"])
def test_a_malformed_header_from_the_proxy_closes_without_a_greeting(proxied_core, header, port_name):
    sock = proxied.connect(HOST, proxied_core.ports[port_name], 10)
    sock.sendall(header)
    assert read_all(sock) == b""


def test_a_silent_proxy_is_closed_after_the_timeout(proxied_core):
    sock = proxied.connect(HOST, proxied_core.ports["imap"], 10)
    started = time.monotonic()
    assert read_all(sock) == b""  # no greeting before the header
    assert 0.5 < time.monotonic() - started < 5  # HOPTHU_PROXY_TIMEOUT = 1


def test_a_tls_client_that_forgot_the_header_gets_no_tls(proxied_core):
    """From a proxy network the header is required, on an implicit-TLS port too."""
    with pytest.raises((ssl.SSLError, ConnectionError, OSError)):
        proxied.IMAP4_SSL(HOST, proxied_core.ports["imaps"], ssl_context=tls_context())


def test_with_the_setting_empty_a_proxy_line_is_an_unknown_command(mail_core):
    """The default: no proxy, no PROXY protocol; the listeners are what they were."""
    sock = proxied.connect(HOST, mail_core.ports["imap"], 10)
    assert sock.recv(4096).startswith(b"* OK ")
    sock.sendall(proxied.v1("203.0.113.9"))
    assert sock.recv(4096).startswith(b"PROXY BAD ")  # "PROXY" taken as the tag, "TCP4" as the command
    sock.sendall(b"a1 NOOP\r\n")
    assert sock.recv(4096) == b"a1 OK NOOP completed\r\n"
