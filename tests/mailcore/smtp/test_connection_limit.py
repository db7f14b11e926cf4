"""Connections per client address on the SMTP ports (HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP)."""
import smtplib
import socket

from mailcore.smtp.session import SMTP_CONNECTIONS

from .conftest import client_tls_context, wait_for


def greeting(port: int) -> tuple[socket.socket, bytes]:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    return sock, sock.makefile("rb").readline()


def test_one_connection_too_many_gets_421_and_the_others_go_on(alice, mail_host, settings):
    settings.HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP = 3
    port = mail_host.ports["smtp"]
    held = [smtplib.SMTP("127.0.0.1", port, timeout=10) for _ in range(3)]
    sock, line = greeting(port)
    assert line.startswith(b"421 4.7.0 ") and b"Too many connections from your address" in line
    assert sock.recv(100) == b""  # and closed
    sock.close()
    for client in held:
        assert client.noop()[0] == 250
    held[0].sendmail("bob@example.net", ["alice@example.test"], b"Subject: still served\r\n\r\nhi\r\n")
    held.pop().quit()  # a slot comes free
    wait_for(lambda: SMTP_CONNECTIONS.count("127.0.0.1") == 2, what="the slot to be released")
    held.append(smtplib.SMTP("127.0.0.1", port, timeout=10))
    assert held[-1].noop()[0] == 250
    for client in held:
        client.quit()


def test_starttls_counts_once_and_every_ending_releases(alice, mail_host, settings):
    settings.HOPTHU_SMTP_MAX_CONNECTIONS_PER_IP = 2
    port = mail_host.ports["submission"]
    tls = smtplib.SMTP("127.0.0.1", port, timeout=10)
    tls.starttls(context=client_tls_context())
    assert SMTP_CONNECTIONS.count("127.0.0.1") == 1
    dropped = socket.create_connection(("127.0.0.1", port), timeout=10)
    dropped.makefile("rb").readline()
    dropped.close()  # the client goes away without QUIT
    tls.quit()
    wait_for(lambda: SMTP_CONNECTIONS.count("127.0.0.1") == 0, what="both slots released")


def test_rfc5321_3_8_stopping_ends_open_sessions_with_421_and_frees_their_slots(transactional_db, settings, tmp_path):
    from mailcore.smtp.listeners import FACTORIES
    from tests.support.hosts import running_host

    before = SMTP_CONNECTIONS.count("127.0.0.1")
    with running_host(settings, tmp_path, FACTORIES, ("smtp", "submission", "submissions", "relay")) as host:
        sock, line = greeting(host.ports["smtp"])
        assert line.startswith(b"220 ")
        sock.sendall(b"EHLO client.example.net\r\n")
        reader = sock.makefile("rb")
        while reader.readline()[3:4] == b"-":
            pass
        assert SMTP_CONNECTIONS.count("127.0.0.1") == before + 1
    # The client never said QUIT: the server, shutting down, says 421 and closes.
    assert reader.readline().startswith(b"421 4.3.2 ")
    assert reader.readline() == b""
    sock.close()
    assert SMTP_CONNECTIONS.count("127.0.0.1") == before
