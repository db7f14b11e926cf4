"""Resetting an account's password from the panel."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry

NEW = "a brand new passphrase"


def url(account):
    return reverse("panel:account_password", args=[account.pk])


def test_an_admin_sets_a_new_password_and_the_audit_entry_holds_no_password(owner_client, alice):
    response = owner_client.post(url(alice), {"password": NEW, "password2": NEW})
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.check_password(NEW)
    entry = AuditEntry.objects.get(action="account.password")
    assert entry.object_repr == "alice@example.test"
    assert NEW not in str(entry.before) + str(entry.after)


def test_different_passwords_are_refused(owner_client, alice):
    response = owner_client.post(url(alice), {"password": NEW, "password2": NEW + "x"})
    assert response.status_code == 400
    assert response.context["password_form"].errors["password2"]
    alice.user.refresh_from_db()
    assert not alice.user.check_password(NEW)


def test_a_weak_password_is_an_error_on_the_password(owner_client, alice):
    response = owner_client.post(url(alice), {"password": "short", "password2": "short"})
    assert response.context["password_form"].errors["password"]


def test_the_password_form_only_accepts_post(owner_client, alice):
    assert owner_client.get(url(alice)).status_code == 405
