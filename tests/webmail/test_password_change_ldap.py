"""Changing the password of an account from the company directory (docs/ldap.md,
"Authentication"): with HOPTHU_LDAP_WRITABLE it is written to LDAP by the Password Modify
extended operation (RFC 3062) and then opens IMAP; without, the page says the directory
manages it and takes nothing. Against the real slapd and the real IMAP listener."""
import imaplib

import pytest
from django.core.cache import cache as django_cache

from mailcore.auth.ldapbind import verify_password
from mailcore.imap.listeners import FACTORIES
from mailcore.ldap.write import NewPerson, create_person
from tests.support.hosts import running_host
from tests.support.ldap_login import PASSWORDS, make_ldap_account, new_person_uid

OLD = "first password of a new person"
NEW = "the brand new directory password"
CHANGE = "/accounts/password/change/"


@pytest.fixture(autouse=True)
def fresh_allauth_limits():
    django_cache.clear()
    yield
    django_cache.clear()


@pytest.fixture
def person(ldap_writable, domain):
    """A person of their own in the test slapd (the shared tree's passwords stay as they are)."""
    uid = new_person_uid()
    address = f"{uid}@example.test"
    create_person(NewPerson(uid=uid, address=address, display_name="Đỗ Thị Mai", password=OLD))
    return make_ldap_account(address)


def sign_in(client, account, password):
    """Through the sign-in form, as a person does (the first login readies the account)."""
    response = client.post("/accounts/login/", {"login": account.address, "password": password})
    assert response.status_code == 302, "the directory password did not sign in"


def change(client, old, new=NEW, again=None):
    return client.post(CHANGE, {"oldpassword": old, "password1": new, "password2": again or new})


def test_rfc3062_a_change_is_written_to_the_directory(client, person):
    sign_in(client, person, OLD)
    assert 'name="oldpassword"' in client.get(CHANGE).content.decode()
    response = change(client, OLD)
    assert response.status_code == 302
    assert verify_password(person.address, NEW) is True
    assert verify_password(person.address, OLD) is False
    assert client.get("/mail/", follow=True).wsgi_request.user == person.user  # this session stays


def test_rfc3062_the_new_directory_password_opens_imap(settings, tmp_path, client, person, transactional_db):
    sign_in(client, person, OLD)
    assert change(client, OLD).status_code == 302
    with running_host(settings, tmp_path, FACTORIES, ("imap",)) as host:
        imap = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            imap.login(person.address, OLD)
        assert imap.login(person.address, NEW)[0] == "OK"
        imap.logout()


def test_the_old_password_remembered_by_the_cache_ends_with_the_change(client, person):
    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import AuthFailed

    check_credentials(person.address, OLD, "192.0.2.1", "imap")  # now in the credential cache
    sign_in(client, person, OLD)
    assert change(client, OLD).status_code == 302
    with pytest.raises(AuthFailed):
        check_credentials(person.address, OLD, "192.0.2.1", "imap")


def test_a_wrong_current_password_changes_nothing(client, person):
    sign_in(client, person, OLD)
    response = change(client, "not the current password")
    assert response.status_code == 200
    assert verify_password(person.address, OLD) is True


def test_an_unreachable_directory_is_said_on_the_form(client, person, ldap_down):
    sign_in(client, person, OLD)
    ldap_down()
    response = change(client, OLD)
    assert response.status_code == 200
    assert "The company directory is unavailable" in response.content.decode()


def test_without_writable_the_page_says_the_directory_manages_it_and_shows_no_form(client, an):
    sign_in(client, an, PASSWORDS["an.tran"])
    html = client.get(CHANGE).content.decode()
    assert "Your password is managed by the company directory." in html
    assert 'name="oldpassword"' not in html and 'name="password1"' not in html


def test_without_writable_a_posted_change_is_refused(client, an):
    sign_in(client, an, PASSWORDS["an.tran"])
    response = change(client, PASSWORDS["an.tran"])
    assert response.status_code == 200
    assert verify_password("an.tran@example.test", PASSWORDS["an.tran"]) is True
    assert verify_password("an.tran@example.test", NEW) is False


def test_a_local_account_changes_its_local_password_as_before(client, ldap_writable, alice):
    from tests.conftest import PASSWORD

    client.force_login(alice.user)
    assert change(client, PASSWORD).status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password(NEW)


def test_reauthentication_takes_the_directory_password(client, an):
    from tests.webmail.conftest import enter_password_again

    sign_in(client, an, PASSWORDS["an.tran"])
    enter_password_again(client, PASSWORDS["an.tran"])
