"""App passwords: listed with created/last used, made with the secret shown once, deleted."""
import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_creating_shows_the_secret_once_and_it_opens_imap(alice_rechecked, alice):
    from mailcore.auth.credentials import check_credentials

    response = alice_rechecked.post("/mail/settings/app-passwords/", {"name": "Phone"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert check_credentials("alice@example.test", secret, "127.0.0.1", "imap") == alice
    again = alice_rechecked.get("/mail/settings/app-passwords/").content.decode()
    assert "Phone" in again and secret not in again


def test_the_list_shows_when_each_was_last_used(alice_client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mailcore.auth.credentials import check_credentials
    from mailcore.directory.services import create_app_password

    _row, secret = create_app_password(alice.address, "Desktop")
    check_credentials("alice@example.test", secret, "127.0.0.1", "imap")
    alice_client.get("/mail/settings/app-passwords/")  # the session's first-visit writes
    with CaptureQueriesContext(connection) as one_row:
        alice_client.get("/mail/settings/app-passwords/")
    for name in ("Laptop", "Tablet", "Phone"):
        create_app_password(alice.address, name)
    with CaptureQueriesContext(connection) as four_rows:
        html = alice_client.get("/mail/settings/app-passwords/").content.decode()
    assert len(four_rows) == len(one_row)  # one query for the list, however long
    assert html.count("<td>never</td>") == 3
    assert all(name in html for name in ("Laptop", "Tablet", "Phone", "Desktop"))


def test_a_duplicate_or_empty_name_is_refused_on_its_field(alice_rechecked, alice):
    from mailcore.directory.services import create_app_password

    create_app_password(alice.address, "Phone")
    response = alice_rechecked.post("/mail/settings/app-passwords/", {"name": "Phone"})
    assert "already exists" in response.context["form"].errors["name"][0]
    assert response.context["secret"] is None
    assert "name" in alice_rechecked.post("/mail/settings/app-passwords/", {"name": " "}).context["form"].errors


def test_deleting_revokes_it(alice_client, alice):
    from mailcore.auth.credentials import check_credentials
    from mailcore.auth.errors import AuthFailed
    from mailcore.directory.services import create_app_password

    row, secret = create_app_password(alice.address, "Phone")
    assert check_credentials("alice@example.test", secret, "127.0.0.2", "imap") == alice  # now remembered
    response = alice_client.post(f"/mail/settings/app-passwords/{row.pk}/delete/")
    assert response.status_code == 302
    assert not alice.app_passwords.exists()
    with pytest.raises(AuthFailed):
        check_credentials("alice@example.test", secret, "127.0.0.2", "imap")
    assert check_credentials("alice@example.test", PASSWORD, "127.0.0.2", "imap") == alice


def test_another_accounts_app_password_is_not_found(alice_client, bob):
    from mailcore.directory.services import create_app_password

    row, _secret = create_app_password(bob.address, "Bob's phone")
    assert alice_client.post(f"/mail/settings/app-passwords/{row.pk}/delete/").status_code == 404
    assert bob.app_passwords.count() == 1


def test_deleting_needs_a_post(alice_client, alice):
    from mailcore.directory.services import create_app_password

    row, _secret = create_app_password(alice.address, "Phone")
    assert alice_client.get(f"/mail/settings/app-passwords/{row.pk}/delete/").status_code == 405
    assert alice.app_passwords.count() == 1


def test_the_page_links_to_the_mail_app_setup_page(alice_client):
    response = alice_client.get("/mail/settings/app-passwords/")
    assert b'href="/setup/"' in response.content
    assert alice_client.get("/setup/").status_code == 200
