"""Connections per address and the command rate (service/connlimit.py), through the IMAP listener."""
import imaplib
import socket
import struct
import time

import pytest

from mailcore.imap import server
from mailcore.service.connlimit import CONNECTIONS, CommandRate, client_key
from tests.conftest import PASSWORD

from .conftest import tls_context

BUSY = b"* BYE [UNAVAILABLE] Too many connections from your address\r\n"


def wait_until(predicate, seconds=10.0):
    """Poll until predicate() is true: the server releases a slot after the client has gone."""
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def open_slots() -> int:
    return CONNECTIONS.count("127.0.0.1")


def raw_connection(host):
    sock = socket.create_connection(("127.0.0.1", host.ports["imap"]), timeout=10)
    return sock, sock.makefile("rb")


def replies_until(reader, tag):
    """The lines up to and with the tagged reply of `tag`."""
    while True:
        line = reader.readline()
        assert line, "the server closed the connection"
        yield line
        if line.startswith(tag + b" "):
            return


def reset(sock):
    """Close with a TCP RST, as a crashed client or a dropped NAT entry does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_the_connection_over_the_limit_is_told_and_the_others_go_on(alice, imap_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 3
    clients = [imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10) for _ in range(3)]
    sock, reader = raw_connection(imap_host)
    with sock:
        assert reader.readline() == BUSY  # RFC 5530 §3
        assert reader.read() == b""  # and closed
    with pytest.raises(imaplib.IMAP4.error, match="UNAVAILABLE"):
        imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    for client in clients:
        assert client.login("alice@example.test", PASSWORD)[0] == "OK"
        assert client.select("INBOX")[0] == "OK"
        client.logout()


def test_the_limit_counts_imaps_connections_too(imap_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    first = imaplib.IMAP4_SSL("127.0.0.1", imap_host.ports["imaps"], ssl_context=tls_context(), timeout=10)
    with pytest.raises(imaplib.IMAP4.error, match="UNAVAILABLE"):
        imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    first.logout()


def test_logging_out_frees_the_slot(alice, imap_host, settings):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    client.logout()
    wait_until(lambda: open_slots() == 0)
    again = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    assert again.login("alice@example.test", PASSWORD)[0] == "OK"
    again.logout()


@pytest.mark.parametrize("sent", [b"", b"a1 NOOP", b"a1 LOGIN alice@example.test {30}\r\n"],
                         ids=["idle", "mid-line", "mid-literal"])
def test_a_reset_connection_frees_the_slot(imap_host, settings, sent):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    sock, reader = raw_connection(imap_host)
    assert reader.readline().startswith(b"* OK")
    sock.sendall(sent)
    if sent.endswith(b"}\r\n"):
        assert reader.readline().startswith(b"+ ")
    reader.close()
    reset(sock)
    wait_until(lambda: open_slots() == 0)
    imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10).logout()


def test_an_autologout_frees_the_slot(imap_host, settings, monkeypatch):
    settings.HOPTHU_MAX_CONNECTIONS_PER_IP = 1
    monkeypatch.setattr(server, "LOGIN_TIMEOUT", 0.2)
    sock, reader = raw_connection(imap_host)
    with sock:
        reader.readline()
        assert reader.readline().startswith(b"* BYE Autologout")
    wait_until(lambda: open_slots() == 0)


def test_a_failing_session_frees_the_slot(imap_host, settings, monkeypatch):
    async def broken(session):
        raise RuntimeError("a bug")

    monkeypatch.setattr(server.Session, "run", broken)
    sock, reader = raw_connection(imap_host)
    with sock:
        assert reader.read() == b""
    wait_until(lambda: open_slots() == 0)


def test_stopping_the_listener_frees_every_slot(imap_host):
    clients = [raw_connection(imap_host) for _ in range(3)]
    for _sock, reader in clients:
        reader.readline()
    assert open_slots() == 3
    imap_host.stop()  # cancels the sessions
    assert open_slots() == 0 and CONNECTIONS.total == 0
    for sock, reader in clients:
        reader.close()
        sock.close()


def test_a_command_flood_is_slowed_and_answered_in_full(alice, imap_host, settings):
    settings.HOPTHU_COMMANDS_PER_SECOND, settings.HOPTHU_COMMAND_BURST = 250, 50
    count = 200
    sock, reader = raw_connection(imap_host)
    with sock:
        reader.readline()
        sock.sendall(f'l LOGIN alice@example.test "{PASSWORD}"\r\n'.encode())
        while not reader.readline().startswith(b"l OK"):
            pass
        started = time.monotonic()
        sock.sendall(b"".join(b"n%d NOOP\r\n" % i for i in range(count)))  # pipelined, as a flood is
        replies = [line for line in replies_until(reader, b"n%d" % (count - 1)) if not line.startswith(b"* ")]
        elapsed = time.monotonic() - started
        sock.sendall(b"s SELECT INBOX\r\n")
        assert list(replies_until(reader, b"s"))[-1].startswith(b"s OK")
    assert [line.split(b" ")[:2] for line in replies] == [[b"n%d" % i, b"OK"] for i in range(count)]
    # A lower bound from the bucket: the first NOOP may find it full, each other one costs 1/rate.
    assert elapsed >= (count - 1 - 50) / 250


def test_a_slowed_session_goes_on_normally(alice, imap_host, settings):
    settings.HOPTHU_COMMANDS_PER_SECOND, settings.HOPTHU_COMMAND_BURST = 200, 5
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    client.login("alice@example.test", PASSWORD)
    for _ in range(20):
        assert client.noop()[0] == "OK"
    assert client.select("INBOX")[0] == "OK"
    assert client.append("INBOX", None, None, b"Subject: still here\r\n\r\nhi\r\n")[0] == "OK"
    assert client.search(None, "ALL")[1] == [b"1"]
    client.logout()


def test_the_bucket_allows_a_burst_then_the_rate():
    now = [100.0]
    rate = CommandRate(per_second=10, burst=3, clock=lambda: now[0])
    assert [rate.delay() for _ in range(3)] == [0, 0, 0]
    assert rate.delay() == pytest.approx(0.1)
    now[0] += 0.1  # the session waited
    assert rate.delay() == pytest.approx(0.1)
    now[0] += 60  # idle: the bucket fills up to the burst, no more
    assert [rate.delay() for _ in range(3)] == [0, 0, 0]
    assert rate.delay() > 0
    assert CommandRate(per_second=0, burst=1).delay() == 0  # 0: no limit


@pytest.mark.parametrize(("ip", "key"), [
    ("192.0.2.7", "192.0.2.7"),
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("fe80::1%eth0", "fe80::/64"),
    (None, ""),
])
def test_a_client_is_counted_by_its_address_or_ipv6_slash_64(ip, key):
    assert client_key(ip) == key
