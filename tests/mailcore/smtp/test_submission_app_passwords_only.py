"""The second factor reaches SMTP submission (docs/security.md): with TOTP on, AUTH takes
an app password only; the account's password gets RFC 4954 §6 535 5.7.8."""
import smtplib

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from mailcore.directory.services import create_app_password, update_domain

from .conftest import client_tls_context

PASSWORD = "correct horse battery staple"


@pytest.fixture
def submission(mail_host):
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    client.starttls(context=client_tls_context())
    yield client
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def test_rfc4954_6_with_totp_on_auth_with_the_account_password_is_535_5_7_8(alice, submission):
    _row, secret = create_app_password("alice@example.test", "phone")
    TOTP.activate(alice.user, generate_totp_secret())
    with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
        submission.login("alice@example.test", PASSWORD)
    assert refused.value.smtp_code == 535
    assert refused.value.smtp_error.startswith(b"5.7.8") and b"app password" in refused.value.smtp_error
    assert submission.login("alice@example.test", secret)[0] == 235


def test_rfc4954_6_implicit_tls_auth_login_under_the_domain_switch(alice, mail_host):
    update_domain("example.test", app_passwords_only=True)
    client = smtplib.SMTP_SSL("127.0.0.1", mail_host.ports["submissions"], context=client_tls_context(), timeout=10)
    client.ehlo()
    client.user, client.password = "alice@example.test", PASSWORD
    with pytest.raises(smtplib.SMTPAuthenticationError):
        client.auth("LOGIN", client.auth_login, initial_response_ok=False)
    _row, secret = create_app_password("alice@example.test", "laptop")
    client.user, client.password = "alice@example.test", secret
    assert client.auth("LOGIN", client.auth_login, initial_response_ok=False)[0] == 235
    client.quit()
