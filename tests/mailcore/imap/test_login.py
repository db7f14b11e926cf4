"""Greeting, CAPABILITY, LOGIN, AUTHENTICATE PLAIN, STARTTLS, LOGOUT with imaplib."""
import imaplib
import socket

import pytest

from mailcore.directory.services import set_account_active

from .conftest import tls_context

PASSWORD = "correct horse battery staple"


def test_the_greeting_lists_capabilities(imap):
    assert imap.welcome.startswith(b"* OK [CAPABILITY IMAP4rev1")
    caps = imap.capabilities
    assert "STARTTLS" in caps and "AUTH=PLAIN" in caps and "LITERAL+" in caps


def test_login_with_the_account_password(alice, imap):
    typ, data = imap.login("alice@example.test", PASSWORD)
    assert typ == "OK" and b"[CAPABILITY" in data[0]
    assert imap.noop()[0] == "OK"


def test_login_accepts_other_spellings_of_the_address(alice, imap):
    assert imap.login("ALICE@Example.TEST", PASSWORD)[0] == "OK"


@pytest.mark.parametrize(("user", "password"), [("alice@example.test", "wrong"), ("nobody@example.test", PASSWORD),
                                                ("not-an-address", PASSWORD)])
def test_bad_credentials_are_refused_alike(alice, imap, user, password):
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        imap.login(user, password)
    assert imap.noop()[0] == "OK"  # the session lives on


def test_a_disabled_account_cannot_log_in(alice, imap):
    set_account_active("alice@example.test", False)
    with pytest.raises(imaplib.IMAP4.error, match="CONTACTADMIN"):  # told only to the right password
        imap.login("alice@example.test", PASSWORD)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        imap.login("alice@example.test", "wrong")


def test_authenticate_plain_with_and_without_initial_response(alice, imap_host):
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    credentials = f"\0alice@example.test\0{PASSWORD}".encode()
    assert client.authenticate("PLAIN", lambda _challenge: credentials)[0] == "OK"
    client.logout()
    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        import base64

        raw.sendall(b"a1 AUTHENTICATE PLAIN " + base64.b64encode(credentials) + b"\r\n")
        assert reader.readline().startswith(b"a1 OK")


def test_starttls_then_login(alice, imap_host):
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    assert client.starttls(ssl_context=tls_context())[0] == "OK"
    assert "STARTTLS" not in client.capabilities
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"
    client.logout()


def test_implicit_tls_port(alice, imap_host):
    client = imaplib.IMAP4_SSL("127.0.0.1", imap_host.ports["imaps"], ssl_context=tls_context(), timeout=10)
    assert client.login("alice@example.test", PASSWORD)[0] == "OK"
    client.logout()


def test_logout_says_bye(imap):
    typ, _data = imap.logout()
    assert typ == "BYE"


def test_wrong_state_and_garbage_are_bad_and_the_session_survives(imap_host):
    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        for line, expected in [(b"a1 SELECT INBOX", b"a1 BAD"), (b"a2 FROBNICATE", b"a2 BAD"),
                               (b"!!!", b"!!! BAD"), (b"(", b"* BAD"), (b"a3 LOGIN", b"a3 BAD"),
                               (b"a4 NOOP extra", b"a4 BAD"),
                               (b"a5 NOOP", b"a5 OK")]:
            raw.sendall(line + b"\r\n")
            assert reader.readline().startswith(expected), line


def test_plaintext_pipelined_after_starttls_is_discarded(alice, imap_host):
    with socket.create_connection(("127.0.0.1", imap_host.ports["imap"]), timeout=10) as raw:
        reader = raw.makefile("rb")
        reader.readline()
        raw.sendall(b"a1 STARTTLS\r\na2 LOGIN alice@example.test \"" + PASSWORD.encode() + b"\"\r\n")
        assert reader.readline().startswith(b"a1 OK")
        tls = tls_context().wrap_socket(raw, server_hostname="localhost")
        tls_reader = tls.makefile("rb")
        tls.sendall(b"a3 CAPABILITY\r\n")
        first = tls_reader.readline()
        assert first.startswith(b"* CAPABILITY") and b"AUTH=PLAIN" in first  # not logged in by a2
        assert tls_reader.readline().startswith(b"a3 OK")


def test_app_passwords_log_in(alice, imap):
    from mailcore.directory.services import create_app_password

    _app, secret = create_app_password("alice@example.test", "thunderbird")
    assert imap.login("alice@example.test", secret)[0] == "OK"


def test_repeated_failures_lock_out_even_the_right_password(alice, imap_host, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 2
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 0
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    for _ in range(2):
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            client.login("alice@example.test", "wrong")
    with pytest.raises(imaplib.IMAP4.error, match="UNAVAILABLE"):
        client.login("alice@example.test", PASSWORD)
