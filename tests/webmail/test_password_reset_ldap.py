""""Forgot password?" for an account from the company directory (docs/ldap.md, "Authentication"): with
HOPTHU_LDAP_WRITABLE the new password is written to LDAP (RFC 3062); without, the form
says the directory manages it and nothing changes. Real slapd, HopThu's own mail queue."""
import re

import pytest
from django.core.cache import cache

from mailcore.auth.ldapbind import verify_password
from mailcore.delivery.local import deliver_due_local
from mailcore.ldap.write import NewPerson, create_person
from tests.support.ldap_login import PASSWORDS, make_ldap_account, new_person_uid
from tests.webmail.test_password_reset import reset_mail_in

pytestmark = pytest.mark.django_db
NEW = "a new directory password 42"


@pytest.fixture(autouse=True)
def hopthu_mail(settings):
    settings.EMAIL_BACKEND = "mailcore.delivery.django_mail.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def reset_form(client, account, bob):
    from webmail.preferences.recovery import set_recovery_address

    set_recovery_address(account, "bob@example.test")
    client.post("/accounts/password/reset/", {"email": "bob@example.test"})
    assert deliver_due_local() == 1
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", reset_mail_in(bob)).group(1)
    page = client.get(link, follow=True)
    return page.redirect_chain[-1][0] if page.redirect_chain else link


def test_rfc3062_a_reset_writes_the_new_password_to_the_directory(client, ldap_writable, domain, bob):
    uid = new_person_uid()
    create_person(NewPerson(uid=uid, address=f"{uid}@example.test", display_name="Mai", password="first one 1"))
    account = make_ldap_account(f"{uid}@example.test")
    done = client.post(reset_form(client, account, bob), {"password1": NEW, "password2": NEW})
    assert done.status_code == 302
    assert verify_password(account.address, NEW)
    assert not verify_password(account.address, "first one 1")


def test_without_writable_a_reset_is_refused_and_the_directory_unchanged(client, an, bob):
    response = client.post(reset_form(client, an, bob), {"password1": NEW, "password2": NEW})
    assert response.status_code == 200
    assert "Your password is managed by the company directory." in response.content.decode()
    assert verify_password(an.address, PASSWORDS["an.tran"])
    assert not verify_password(an.address, NEW)
