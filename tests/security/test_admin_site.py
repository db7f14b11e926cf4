"""Issue 16 item 1: Django's admin is no way around the second factor or the lockouts,
and MFA secrets are sealed at rest."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from mailcore.auth.models import LoginFailure
from tests.conftest import PASSWORD
from tests.support.mfa import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # allauth's rate limits and used TOTP codes live in the cache
    yield
    cache.clear()


@pytest.fixture
def root(db):
    return get_user_model().objects.create_superuser("root", email="", password=PASSWORD)




def turn_on_totp(client) -> str:
    """Sign in as root and turn TOTP on through allauth's pages; return the secret."""
    assert client.post("/accounts/login/", {"login": "root", "password": PASSWORD}).status_code == 302
    client.get("/accounts/2fa/totp/activate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    assert client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)}).status_code == 302
    client.post("/accounts/logout/")
    return secret


def test_the_admin_login_form_does_not_sign_in_with_the_password_alone(root):
    secret = turn_on_totp(Client())
    attacker = Client()
    response = attacker.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert attacker.get("/panel/").status_code == 302  # not signed in
    assert attacker.get("/admin/").status_code == 302
    # The one way in asks for the second factor, and then the admin opens.
    assert attacker.post("/accounts/login/", {"login": "root", "password": PASSWORD})["Location"] == (
        "/accounts/2fa/authenticate/")
    assert attacker.get("/panel/").status_code == 302
    assert attacker.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}).status_code == 302
    assert attacker.get("/admin/").status_code == 200


def test_admin_sign_in_failures_count_in_the_shared_lockout(root, settings):
    settings.ACCOUNT_RATE_LIMITS = False  # reach mailcore's lockout itself, behind allauth's limits
    settings.HOPTHU_AUTH_MAX_FAILURES = 10
    client = Client()
    for _attempt in range(30):
        assert client.post("/accounts/login/", {"login": "root", "password": "wrong"}).status_code == 200
    assert LoginFailure.objects.filter(username="root").count() >= 10
    response = client.post("/accounts/login/", {"login": "root", "password": PASSWORD})
    assert response.status_code == 200  # the right password is refused while locked
    assert client.get("/panel/").status_code == 302


def test_totp_secrets_and_recovery_seeds_are_sealed_at_rest(root):
    from allauth.mfa.models import Authenticator

    secret = turn_on_totp(Client())
    stored = Authenticator.objects.get(user=root, type="totp").data["secret"]
    assert stored.startswith("sealed:") and secret not in stored
    Client().post("/accounts/login/", {"login": "root", "password": PASSWORD})
    codes = Authenticator.objects.filter(user=root, type="recovery_codes").first()
    if codes is not None:
        assert codes.data["seed"].startswith("sealed:")
    # The admin shows nothing that opens without the secret key.
    admin = Client()
    admin.force_login(root)
    page = admin.get(f"/admin/mfa/authenticator/{Authenticator.objects.get(user=root, type='totp').pk}/change/")
    if page.status_code == 200:
        assert secret not in page.content.decode()


def test_secrets_stored_before_sealing_are_sealed_by_the_migration_and_still_work(root):
    import importlib

    from allauth.mfa.models import Authenticator
    from django.apps import apps

    from webmail.signin.adapter import MFAAdapter

    Authenticator.objects.create(user=root, type="totp", data={"secret": "JBSWY3DPEHPK3PXP"})
    migration = importlib.import_module("mailcore.auth.migrations.0002_seal_mfa_secrets")
    migration.seal_existing(apps, None)
    stored = Authenticator.objects.get(user=root, type="totp").data["secret"]
    assert re.match(r"^sealed:", stored)
    assert MFAAdapter().decrypt(stored) == "JBSWY3DPEHPK3PXP"
