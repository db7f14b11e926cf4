"""Lines before USER/PASS/AUTH (issue 16 item 5): command lines and AUTH responses are
bounded; a long password still logs in through an AUTH PLAIN continuation."""
import base64
import poplib
import socket

from mailcore.directory.services import create_account
from mailcore.pop3 import server
from tests.conftest import PASSWORD


def connect(host):
    sock = socket.create_connection(("127.0.0.1", host.ports["pop3"]), timeout=10)
    reader = sock.makefile("rb")
    assert reader.readline().startswith(b"+OK")
    return sock, reader


def lines_until_closed(reader) -> list[bytes]:
    """What the server says before it closes. Closing with the client's octets still unread
    makes the kernel send a reset, which may overtake the last reply: then it is lost, but
    the connection must end either way (a timeout here fails the test)."""
    lines = []
    try:
        while line := reader.readline():
            lines.append(line)
    except ConnectionResetError:
        pass
    return lines


def plain(user: str, password: str) -> bytes:
    return base64.b64encode(f"\0{user}\0{password}".encode())


def test_rfc2449_4_a_command_line_over_512_octets_is_refused_and_the_connection_closed(pop_host):
    sock, reader = connect(pop_host)
    with sock, reader:
        sock.sendall(b"USER " + b"x" * 600 + b"\r\n")
        assert reader.readline() == b"-ERR Line too long\r\n"
        assert reader.readline() == b""


def test_rfc2449_4_a_line_that_never_ends_is_not_buffered(pop_host):
    sock, reader = connect(pop_host)
    with sock, reader:
        sent = 0
        try:
            while sent < 50 * 1024 * 1024:
                sock.sendall(b"x" * 65536)
                sent += 65536
        except OSError:
            pass  # the server closed the connection
        assert sent < 50 * 1024 * 1024
        assert lines_until_closed(reader) in ([b"-ERR Line too long\r\n"], [])


def test_rfc5034_4_auth_plain_with_a_long_password_in_a_continuation_logs_in(pop_host, domain):
    password = "p" * 3000  # its base64 response is 4 KB: more than a command line
    create_account("dave@example.test", password)
    sock, reader = connect(pop_host)
    with sock, reader:
        sock.sendall(b"AUTH PLAIN\r\n")
        assert reader.readline().startswith(b"+ ")
        sock.sendall(plain("dave@example.test", password) + b"\r\n")
        assert reader.readline().startswith(b"+OK Logged in")


def test_rfc5034_4_auth_plain_with_an_initial_response_still_logs_in(alice, pop_host):
    client = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    assert client._shortcmd("AUTH PLAIN " + plain("alice@example.test", PASSWORD).decode()).startswith(b"+OK")
    assert client.stat() == (0, 0)
    client.quit()


def test_rfc5034_4_an_overlong_auth_response_is_refused_and_the_connection_closed(alice, pop_host):
    sock, reader = connect(pop_host)
    with sock, reader:
        sock.sendall(b"AUTH PLAIN\r\n")
        assert reader.readline().startswith(b"+ ")
        sock.sendall(b"A" * 100_000 + b"\r\n")
        assert lines_until_closed(reader) in ([b"-ERR Line too long\r\n"], [])


def test_rfc1939_3_an_auth_continuation_left_unanswered_times_out(pop_host, monkeypatch):
    monkeypatch.setattr(server, "AUTH_TIMEOUT", 0.3)
    sock, reader = connect(pop_host)
    with sock, reader:
        sock.sendall(b"AUTH PLAIN\r\n")
        assert reader.readline().startswith(b"+ ")
        assert reader.readline() == b""  # closed, without waiting for the response
