"""App passwords from the panel: shown once on creation, listed with last use, revocable."""
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from mailcore.audit.models import AuditEntry


def test_creating_shows_the_password_once_and_stores_only_its_hash(owner_client, alice):
    response = owner_client.post(reverse("panel:app_password_create", args=[alice.pk]), {"name": "Điện thoại"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    app, plaintext = response.context["new_app_password"]
    assert plaintext in response.content.decode()
    assert check_password(plaintext, app.password) and app.password != plaintext
    assert plaintext not in owner_client.get(reverse("panel:account_detail", args=[alice.pk])).content.decode()
    entry = AuditEntry.objects.get(action="account.app_password_create")
    assert entry.after == {"app_password": "Điện thoại"} and plaintext not in str(entry.after)


def test_a_duplicate_name_is_an_error_on_the_name(owner_client, alice):
    create = reverse("panel:app_password_create", args=[alice.pk])
    owner_client.post(create, {"name": "Phone"})
    response = owner_client.post(create, {"name": "Phone"})
    assert response.status_code == 400 and response.context["app_password_form"].errors["name"]


def test_revoking_deletes_it(owner_client, alice):
    from mailcore.directory.services import create_app_password

    app, _plaintext = create_app_password(alice.address, "Laptop")
    response = owner_client.post(reverse("panel:app_password_revoke", args=[alice.pk, app.pk]))
    assert response.status_code == 302
    assert not alice.app_passwords.exists()
    assert AuditEntry.objects.get(action="account.app_password_revoke").before == {"app_password": "Laptop"}


def test_one_accounts_app_password_cannot_be_revoked_through_another(owner_client, alice, bob):
    from mailcore.directory.services import create_app_password

    app, _plaintext = create_app_password(bob.address, "Laptop")
    assert owner_client.post(reverse("panel:app_password_revoke", args=[alice.pk, app.pk])).status_code == 404
    assert bob.app_passwords.exists()
