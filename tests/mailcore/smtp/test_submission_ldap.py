"""SMTP AUTH on the submission port with the company directory's password (docs/ldap.md,
"Authentication"), through smtplib against the real listener and the real slapd: a
wrong password is RFC 4954 §6 535 5.7.8, an unreachable directory RFC 4954 §6 454 4.7.0
(a temporary failure, not counted)."""
import base64
import smtplib

import pytest

from mailcore.auth.models import LoginFailure
from tests.support.ldap_login import PASSWORDS, make_ldap_account

from .conftest import client_tls_context

AN = "an.tran@example.test"


@pytest.fixture
def submission(mail_host):
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    client.starttls(context=client_tls_context())
    yield client
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def test_rfc4954_auth_plain_with_the_ldap_password_is_235(an, submission):
    assert submission.login(AN, PASSWORDS["an.tran"])[0] == 235


def test_rfc4954_auth_plain_with_a_vietnamese_ldap_password(ldap_on, domain, submission):
    make_ldap_account("huong@example.test")
    submission.ehlo()
    # RFC 4616 §2: UTF-8 in the PLAIN response (smtplib's own login() encodes ASCII only).
    token = base64.b64encode(f"\0huong@example.test\0{PASSWORDS['huong']}".encode()).decode()
    assert submission.docmd("AUTH", f"PLAIN {token}")[0] == 235


def test_rfc4954_6_a_wrong_ldap_password_is_535_5_7_8(an, submission):
    with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
        submission.login(AN, "not the password")
    assert refused.value.smtp_code == 535
    assert refused.value.smtp_error.startswith(b"5.7.8")


def test_rfc4954_6_an_unreachable_directory_is_454_4_7_0_and_not_counted(an, submission, ldap_down):
    ldap_down()
    with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
        submission.login(AN, PASSWORDS["an.tran"])
    assert refused.value.smtp_code == 454
    assert refused.value.smtp_error.startswith(b"4.7.0")
    assert LoginFailure.objects.count() == 0
    assert submission.noop()[0] == 250  # the session lives on


def test_rfc4954_6_a_login_verified_a_moment_ago_works_during_an_outage(an, submission, mail_host, ldap_down):
    assert submission.login(AN, PASSWORDS["an.tran"])[0] == 235
    ldap_down()
    again = smtplib.SMTP("127.0.0.1", mail_host.ports["submission"], timeout=10)
    again.starttls(context=client_tls_context())
    assert again.login(AN, PASSWORDS["an.tran"])[0] == 235
    again.quit()
