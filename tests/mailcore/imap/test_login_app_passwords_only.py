"""The second factor reaches IMAP (docs/security.md, "Mail clients and the second factor"):
with TOTP on, or the domain's switch, LOGIN and AUTHENTICATE take an app password only,
and the account's password gets the usual RFC 5530 AUTHENTICATIONFAILED."""
import imaplib

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from mailcore.directory.services import create_app_password, update_domain

PASSWORD = "correct horse battery staple"


def test_rfc5530_with_totp_on_login_with_the_account_password_is_authenticationfailed(alice, imap, imap_host):
    _row, secret = create_app_password("alice@example.test", "Thunderbird")
    TOTP.activate(alice.user, generate_totp_secret())
    with pytest.raises(imaplib.IMAP4.error, match=r"\[AUTHENTICATIONFAILED\].*app password"):
        imap.login("alice@example.test", PASSWORD)
    assert imap.login("alice@example.test", secret)[0] == "OK"
    assert imap.select("INBOX")[0] == "OK"


def test_rfc9051_6_2_2_authenticate_plain_with_the_account_password_fails_too(alice, imap_host):
    TOTP.activate(alice.user, generate_totp_secret())
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        client.authenticate("PLAIN", lambda _challenge: f"\0alice@example.test\0{PASSWORD}".encode())
    _row, secret = create_app_password("alice@example.test", "phone")
    assert client.authenticate("PLAIN", lambda _challenge: f"\0alice@example.test\0{secret}".encode())[0] == "OK"
    client.logout()


def test_rfc5530_the_domain_switch_holds_an_account_without_totp_to_app_passwords(alice, imap):
    assert imap.login("alice@example.test", PASSWORD)[0] == "OK"  # before: the password opens IMAP
    imap.logout()
    update_domain("example.test", app_passwords_only=True)
    again = imaplib.IMAP4(imap.host, imap.port, timeout=10)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):  # at once, though remembered
        again.login("alice@example.test", PASSWORD)
    again.logout()
