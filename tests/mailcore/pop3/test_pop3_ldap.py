"""POP3 USER/PASS and AUTH PLAIN with the company directory's password (docs/ldap.md,
"Authentication"), through poplib against the real listener and the real slapd: a wrong
password is RFC 3206 [AUTH], an unreachable directory RFC 3206 [SYS/TEMP]."""
import base64
import poplib

import pytest

from mailcore.auth.models import LoginFailure
from tests.support.ldap_login import PASSWORDS, make_ldap_account

AN = "an.tran@example.test"


def test_rfc1939_user_pass_with_the_ldap_password_opens_the_maildrop(an, pop):
    pop.user(AN)
    assert pop.pass_(PASSWORDS["an.tran"]).startswith(b"+OK")
    assert pop.stat() == (0, 0)


def test_rfc5034_auth_plain_with_a_vietnamese_ldap_password(ldap_on, domain, pop):
    make_ldap_account("huong@example.test")
    token = base64.b64encode(f"\0huong@example.test\0{PASSWORDS['huong']}".encode()).decode()
    assert pop._shortcmd(f"AUTH PLAIN {token}").startswith(b"+OK")


def test_rfc3206_a_wrong_ldap_password_is_err_auth(an, pop):
    pop.user(AN)
    with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
        pop.pass_("not the password")


def test_rfc3206_an_unreachable_directory_is_err_sys_temp_and_not_counted(an, pop, ldap_down):
    ldap_down()
    pop.user(AN)
    with pytest.raises(poplib.error_proto, match=r"-ERR \[SYS/TEMP\].*directory"):
        pop.pass_(PASSWORDS["an.tran"])
    assert LoginFailure.objects.count() == 0
    pop.user(AN)  # the session lives on: the client may try again


def test_rfc3206_a_login_verified_a_moment_ago_works_during_an_outage(an, pop, pop_host, ldap_down):
    pop.user(AN)
    assert pop.pass_(PASSWORDS["an.tran"]).startswith(b"+OK")
    pop.quit()
    ldap_down()
    again = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    again.user(AN)
    assert again.pass_(PASSWORDS["an.tran"]).startswith(b"+OK")
    again.quit()
