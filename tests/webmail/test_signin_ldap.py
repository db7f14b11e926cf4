"""Signing in to the webmail with the company directory's password (docs/ldap.md,
"Authentication"), through allauth's form and the real slapd. An unreachable directory
says so on the form: never "wrong password", and no failure is counted."""
import pytest
from django.core.cache import cache as django_cache

from mailcore.auth.models import LoginFailure
from tests.support.ldap_login import PASSWORDS

pytestmark = pytest.mark.django_db
AN = "an.tran@example.test"


@pytest.fixture(autouse=True)
def fresh_allauth_limits():
    django_cache.clear()  # allauth counts failed sign-ins in the cache, across tests
    yield
    django_cache.clear()


def sign_in(client, password, login=AN):
    return client.post("/accounts/login/", {"login": login, "password": password})


def test_the_ldap_password_signs_in(client, an):
    response = sign_in(client, PASSWORDS["an.tran"])
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(an.user.pk)


def test_a_wrong_ldap_password_is_refused_and_counted(client, an):
    response = sign_in(client, "not the password")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert LoginFailure.objects.filter(username=AN).count() == 1


def test_an_unreachable_directory_says_so_and_is_not_counted(client, an, ldap_down):
    ldap_down()
    response = sign_in(client, PASSWORDS["an.tran"])
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    html = response.content.decode()
    assert "The company directory is unavailable; try again in a few minutes." in html
    assert "not correct" not in html  # allauth's wrong-password sentence
    assert LoginFailure.objects.count() == 0


def test_an_unreachable_directory_does_not_use_up_allauths_failed_sign_in_limit(settings, client, an, ldap_down):
    reachable = settings.HOPTHU_LDAP
    ldap_down()
    for _i in range(8):  # allauth allows 5 failures per login name in 5 minutes
        sign_in(client, PASSWORDS["an.tran"])
    settings.HOPTHU_LDAP = reachable  # the directory is back
    assert sign_in(client, PASSWORDS["an.tran"]).status_code == 302


def test_the_message_is_vietnamese_for_a_vietnamese_browser(client, an, ldap_down):
    ldap_down()
    response = client.post("/accounts/login/", {"login": AN, "password": PASSWORDS["an.tran"]},
                           HTTP_ACCEPT_LANGUAGE="vi")
    assert "Danh bạ của công ty hiện không truy cập được" in response.content.decode()


def test_a_sign_in_a_moment_ago_keeps_working_during_an_outage(client, an, ldap_down):
    from django.test import Client

    assert sign_in(client, PASSWORDS["an.tran"]).status_code == 302
    ldap_down()
    assert sign_in(Client(), PASSWORDS["an.tran"]).status_code == 302
