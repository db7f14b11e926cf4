"""Issue 16 item 4: a domain admin cannot take over an account whose user holds more power
(an admin of another domain, or a superadmin) by resetting its password, adding an app
password or a forward or a forwarding rule, disabling or deleting it."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from mailcore.directory.models import Account, DomainAdmin
from tests.conftest import PASSWORD

NEW = "a brand new password 42"


@pytest.fixture
def alice_admin_elsewhere(alice, other_domain):
    """alice@example.test also administers example.org, which the domain admin does not."""
    DomainAdmin.objects.create(user=alice.user, domain=other_domain)
    return alice


def writes(pk):
    return [
        (reverse("panel:account_password", args=[pk]), {"password": NEW, "password2": NEW}),
        (reverse("panel:app_password_create", args=[pk]), {"name": "thief"}),
        (reverse("panel:account_forward", args=[pk]), {"targets": "thief@example.net", "keep_copy": "on"}),
        (reverse("panel:account_detail", args=[pk]), {"display_name": "x", "quota": "1G"}),  # disables
        (reverse("panel:account_delete", args=[pk]), {"confirm": "alice@example.test"}),
        (reverse("panel:rule_add", args=[pk]), {"name": "steal"}),
    ]


def signs_in(address, password) -> bool:
    response = Client().post("/accounts/login/", {"login": address, "password": password})
    return response.status_code == 302 and "/accounts/login/" not in response["Location"]


def test_a_domain_admin_cannot_reset_the_password_of_an_admin_of_another_domain(owner_client, alice_admin_elsewhere):
    response = owner_client.post(*writes(alice_admin_elsewhere.pk)[0])
    assert response.status_code == 403
    assert not signs_in("alice@example.test", NEW)
    assert signs_in("alice@example.test", PASSWORD)


@pytest.mark.parametrize("which", range(6))
def test_every_change_to_a_more_powerful_account_is_refused(owner_client, alice_admin_elsewhere, which):
    url, data = writes(alice_admin_elsewhere.pk)[which]
    assert owner_client.post(url, data).status_code == 403
    alice = Account.objects.get(pk=alice_admin_elsewhere.pk)
    assert alice.active and not alice.app_passwords.exists() and getattr(alice, "forward", None) is None
    assert not alice.mail_rules.exists()


def test_the_domain_admin_may_still_look_at_it(owner_client, alice_admin_elsewhere):
    assert owner_client.get(reverse("panel:account_detail", args=[alice_admin_elsewhere.pk])).status_code == 200


def test_a_mailbox_of_a_superadmin_is_out_of_a_domain_admins_reach(owner_client, alice):
    alice.user.is_superuser = True
    alice.user.save(update_fields=["is_superuser"])
    assert owner_client.post(*writes(alice.pk)[0]).status_code == 403


def test_an_ordinary_account_and_a_fellow_admin_of_the_same_domains_stay_manageable(owner_client, alice, bob):
    DomainAdmin.objects.create(user=bob.user, domain=bob.domain)  # bob administers only example.test too
    for account in (alice, bob):
        response = owner_client.post(reverse("panel:account_password", args=[account.pk]),
                                     {"password": NEW, "password2": NEW})
        assert response.status_code == 302
    assert signs_in("alice@example.test", NEW)


def test_a_superadmin_may_change_anyone(super_client, alice_admin_elsewhere):
    response = super_client.post(*writes(alice_admin_elsewhere.pk)[0])
    assert response.status_code == 302
    assert get_user_model().objects.get(pk=alice_admin_elsewhere.user_id).check_password(NEW) or signs_in(
        "alice@example.test", NEW)
