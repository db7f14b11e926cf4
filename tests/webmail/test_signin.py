"""Sign-in through allauth with a mail account's address and password (mailcore.auth)."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_webmail_asks_for_sign_in(client):
    response = client.get("/mail/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_address_and_password_sign_in_opens_the_inbox(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.test", "password": PASSWORD})
    assert response.status_code == 302
    inbox = client.get("/mail/", follow=True)
    assert inbox.status_code == 200
    assert "alice@example.test" in inbox.content.decode()


def test_a_wrong_password_is_refused_and_counted(client, alice):
    from mailcore.auth.models import LoginFailure

    response = client.post("/accounts/login/", {"login": "alice@example.test", "password": "wrong"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert LoginFailure.objects.filter(username="alice@example.test").count() == 1


def test_an_app_password_does_not_open_the_browser(client, alice):
    from mailcore.directory.services import create_app_password

    _row, secret = create_app_password("alice@example.test", "phone")
    response = client.post("/accounts/login/", {"login": "alice@example.test", "password": secret})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_a_disabled_account_cannot_sign_in_with_its_right_password(client, alice):
    from mailcore.directory.services import set_account_active

    set_account_active("alice@example.test", False)
    response = client.post("/accounts/login/", {"login": "alice@example.test", "password": PASSWORD})
    assert not response.wsgi_request.user.is_authenticated


def test_an_admin_without_a_mailbox_signs_in_by_user_name(client, db):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("admin", password=PASSWORD)
    client.post("/accounts/login/", {"login": "admin", "password": PASSWORD})
    assert client.session.get("_auth_user_id")


def test_the_sign_in_page_labels_its_fields_and_offers_no_sign_up(client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_login"' in html and '<label for="id_password"' in html
    assert "sign up" not in html.lower()
