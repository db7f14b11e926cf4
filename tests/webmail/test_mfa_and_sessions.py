"""Second factor (allauth MFA TOTP), the list of signed-in sessions, and the lockout that
the browser shares with IMAP and SMTP (mailcore.auth.lockout)."""
import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD
from tests.support.mfa import totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # allauth's rate limits and used TOTP codes live in the cache
    yield
    cache.clear()


def sign_in(client, password=PASSWORD):
    return client.post("/accounts/login/", {"login": "alice@example.test", "password": password})




def enable_totp(client) -> str:
    """Turn TOTP on through allauth's own pages, as alice would; return the secret."""
    assert sign_in(client).status_code == 302
    # allauth asks for the password again before security changes (reauthentication).
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    assert client.post("/accounts/reauthenticate/", {"password": PASSWORD}).status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    assert secret in page.content.decode()  # shown to type into an authenticator app
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    return secret


def test_with_totp_on_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, alice):
    from allauth.mfa.models import Authenticator

    secret = enable_totp(client)
    assert Authenticator.objects.filter(user=alice.user, type="totp").exists()
    client.post("/accounts/logout/")

    browser = Client()
    response = sign_in(browser)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert browser.get("/mail/settings/").status_code == 302  # not in yet: the password is not enough
    right = totp_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = browser.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    accepted = browser.post("/accounts/2fa/authenticate/", {"code": right})
    assert accepted.status_code == 302
    assert browser.get("/mail/settings/").status_code == 200


def test_a_wrong_code_does_not_turn_totp_on(client, alice):
    from allauth.mfa.models import Authenticator

    sign_in(client)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session["mfa.totp.secret"]
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/accounts/2fa/totp/activate/", {"code": wrong})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=alice.user).exists()


def test_the_sessions_list_shows_both_and_ending_the_other_signs_it_out(alice):
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone browser")
    sign_in(laptop)
    sign_in(phone)
    assert phone.get("/mail/settings/").status_code == 200
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Laptop browser" in page and "Phone browser" in page
    response = laptop.post("/accounts/sessions/", {})
    assert response.status_code == 302
    assert phone.get("/mail/settings/").status_code == 302  # sent back to sign in
    assert laptop.get("/mail/settings/").status_code == 200
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Phone browser" not in page


def test_after_too_many_wrong_passwords_the_right_one_is_refused_too(client, alice, settings):
    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import LockedOut

    # Below allauth's own limit (5 per login name), so mailcore's lockout is what refuses.
    settings.HOPTHU_AUTH_MAX_FAILURES = 3
    for _attempt in range(3):
        assert sign_in(client, "wrong password").status_code == 200
    refused = sign_in(client)
    assert refused.status_code == 200 and not refused.wsgi_request.user.is_authenticated
    assert client.get("/mail/settings/").status_code == 302
    with pytest.raises(LockedOut):  # the same lock closes IMAP
        check_credentials("alice@example.test", PASSWORD, "192.0.2.9", "imap")


def test_the_sign_in_page_shows_no_inline_script_or_style(client):
    html = client.get("/accounts/login/").content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html
