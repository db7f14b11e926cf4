"""Changes that keep a way into the account ask for the password again (allauth's
reauthentication; docs/security.md): a new app password, forwarding, the recovery
address and the mail-programs switch. Someone at a signed-in browser cannot make them."""
import pytest
from django.core.cache import cache
from django.test import Client

from mailcore.directory.models import AppPassword, Forward
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REAUTHENTICATE = "/accounts/reauthenticate/"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # allauth's rate limits live in the cache
    yield
    cache.clear()


@pytest.fixture
def signed_in(alice):
    """A browser where alice signed in with her password, some time ago as far as allauth knows."""
    browser = Client()
    assert browser.post("/accounts/login/", {"login": "alice@example.test", "password": PASSWORD}).status_code == 302
    return browser


def test_creating_an_app_password_without_a_recent_password_entry_redirects_to_reauthentication(signed_in, alice):
    response = signed_in.post("/mail/settings/app-passwords/", {"name": "Attacker's phone"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert "next=%2Fmail%2Fsettings%2Fapp-passwords%2F" in response["Location"]
    assert not AppPassword.objects.filter(account=alice).exists()


def test_after_the_password_the_suspended_creation_goes_through(signed_in, alice):
    signed_in.post("/mail/settings/app-passwords/", {"name": "Phone"})
    response = signed_in.post(f"{REAUTHENTICATE}?next=/mail/settings/app-passwords/", {"password": PASSWORD})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret and secret in response.content.decode()
    assert list(AppPassword.objects.filter(account=alice).values_list("name", flat=True)) == ["Phone"]
    # Within allauth's window another one needs no new password entry.
    assert signed_in.post("/mail/settings/app-passwords/", {"name": "Laptop"}).status_code == 200
    assert AppPassword.objects.filter(account=alice).count() == 2


def test_a_wrong_password_or_an_app_password_does_not_reauthenticate(signed_in, alice):
    from mailcore.directory.services import create_app_password

    _row, secret = create_app_password("alice@example.test", "phone")
    for password in ("wrong password", secret):
        refused = signed_in.post(REAUTHENTICATE, {"password": password})
        assert refused.status_code == 200  # the form again, with its error
    assert signed_in.post("/mail/settings/app-passwords/", {"name": "x"})["Location"].startswith(REAUTHENTICATE)


def test_the_pages_themselves_open_without_the_password(signed_in):
    for page in ("app-passwords/", "forwarding/", "security/"):
        assert signed_in.get(f"/mail/settings/{page}").status_code == 200


def test_changing_forwarding_asks_for_the_password(signed_in, alice):
    response = signed_in.post("/mail/settings/forwarding/", {"targets": "thief@example.net", "keep_copy": ""})
    assert response["Location"].startswith(REAUTHENTICATE)
    assert not Forward.objects.filter(account=alice).exists()


def test_changing_the_recovery_address_asks_for_the_password(signed_in, alice):
    response = signed_in.post("/mail/settings/security/", {"email": "thief@example.net"})
    assert response["Location"].startswith(REAUTHENTICATE)
    alice.user.refresh_from_db()
    assert alice.user.email == ""


def test_the_mail_programs_switch_asks_for_the_password_then_applies_at_the_next_login(signed_in, alice):
    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import AuthFailed

    response = signed_in.post("/mail/settings/security/mail-programs/", {"app_passwords_only": "on"})
    assert response["Location"].startswith(REAUTHENTICATE)
    alice.refresh_from_db()
    assert alice.app_passwords_only == "default"
    signed_in.post(REAUTHENTICATE, {"password": PASSWORD})
    response = signed_in.post("/mail/settings/security/mail-programs/", {"app_passwords_only": "on"})
    assert response.status_code == 302 and response["Location"] == "/mail/settings/security/"
    alice.refresh_from_db()
    assert alice.app_passwords_only == "on"
    with pytest.raises(AuthFailed):
        check_credentials("alice@example.test", PASSWORD, "192.0.2.30", "imap")
    page = signed_in.get("/mail/settings/security/").content.decode()
    assert "only with an app password" in page


def test_the_security_page_says_when_the_domain_requires_app_passwords(signed_in, alice):
    from mailcore.directory.services import update_domain

    update_domain("example.test", app_passwords_only=True)
    page = signed_in.get("/mail/settings/security/").content.decode()
    assert "requires app passwords for every account" in page
    assert 'name="app_passwords_only"' not in page
