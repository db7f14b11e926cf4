"""IMAP LOGIN and AUTHENTICATE PLAIN with the company directory's password (docs/ldap.md,
"Authentication"), through imaplib against the real listener and the real slapd: a wrong
password is RFC 5530 AUTHENTICATIONFAILED, an unreachable directory RFC 5530 UNAVAILABLE
(a temporary failure, not counted), and a login verified a moment ago keeps working."""
import imaplib

import pytest

from mailcore.auth.models import LoginFailure
from tests.support.ldap_login import PASSWORDS

AN = "an.tran@example.test"


def test_rfc9051_6_2_3_login_with_the_ldap_password_opens_the_mailbox(an, imap):
    assert imap.login(AN, PASSWORDS["an.tran"])[0] == "OK"
    assert imap.select("INBOX")[0] == "OK"


def test_rfc9051_6_2_2_authenticate_plain_with_a_vietnamese_ldap_password(ldap_on, domain, imap_host):
    from tests.support.ldap_login import make_ldap_account

    make_ldap_account("huong@example.test")
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    # RFC 4616 §2: the PLAIN password is UTF-8, so a Vietnamese one passes intact.
    typ, _data = client.authenticate("PLAIN", lambda _c: f"\0huong@example.test\0{PASSWORDS['huong']}".encode())
    assert typ == "OK"
    client.logout()


def test_rfc5530_a_wrong_ldap_password_is_authenticationfailed(an, imap):
    with pytest.raises(imaplib.IMAP4.error, match=r"\[AUTHENTICATIONFAILED\]"):
        imap.login(AN, "not the password")


def test_rfc5530_an_unreachable_directory_is_unavailable_and_not_counted(an, imap, ldap_down):
    ldap_down()
    with pytest.raises(imaplib.IMAP4.error, match=r"\[UNAVAILABLE\].*directory") as refused:
        imap.login(AN, PASSWORDS["an.tran"])
    assert "AUTHENTICATIONFAILED" not in str(refused.value)
    assert LoginFailure.objects.count() == 0
    # The session lives on: the client may try again.
    assert imap.noop()[0] == "OK"


def test_rfc5530_a_login_verified_a_moment_ago_works_during_an_outage(an, imap, imap_host, ldap_down):
    assert imap.login(AN, PASSWORDS["an.tran"])[0] == "OK"
    ldap_down()
    again = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    assert again.login(AN, PASSWORDS["an.tran"])[0] == "OK"
    again.logout()
