"""The second factor reaches POP3 (docs/security.md): with TOTP on, USER/PASS and AUTH
PLAIN take an app password only; the account's password gets RFC 3206 -ERR [AUTH]."""
import base64
import poplib

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from mailcore.directory.services import create_app_password, update_domain

from .conftest import tls_context

PASSWORD = "correct horse battery staple"


def test_rfc3206_with_totp_on_pass_with_the_account_password_is_err_auth(alice, pop):
    _row, secret = create_app_password("alice@example.test", "phone")
    TOTP.activate(alice.user, generate_totp_secret())
    pop.user("alice@example.test")
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\].*app password"):
        pop.pass_(PASSWORD)
    pop.user("alice@example.test")
    assert pop.pass_(secret).startswith(b"+OK")
    assert pop.stat() == (0, 0)


def test_rfc5034_auth_plain_with_the_account_password_fails_under_the_domain_switch(alice, pop_host):
    update_domain("example.test", app_passwords_only=True)
    client = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    client.stls(context=tls_context())
    token = base64.b64encode(f"\0alice@example.test\0{PASSWORD}".encode()).decode()
    with pytest.raises(poplib.error_proto, match=r"\[AUTH\]"):
        client._shortcmd(f"AUTH PLAIN {token}")
    _row, secret = create_app_password("alice@example.test", "phone")
    token = base64.b64encode(f"\0alice@example.test\0{secret}".encode()).decode()
    assert client._shortcmd(f"AUTH PLAIN {token}").startswith(b"+OK")
    client.quit()
