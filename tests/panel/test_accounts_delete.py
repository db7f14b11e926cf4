"""Deleting an account takes a typed confirmation, and is refused while an alias needs it."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory import services
from mailcore.directory.models import Account, User


def url(account):
    return reverse("panel:account_delete", args=[account.pk])


def test_the_wrong_confirmation_deletes_nothing(owner_client, alice):
    response = owner_client.post(url(alice), {"confirm": "bob@example.test"})
    assert response.context["form"].errors["confirm"]
    assert Account.objects.filter(pk=alice.pk).exists()


def test_typing_the_address_deletes_the_account_and_its_login(owner_client, alice):
    response = owner_client.post(url(alice), {"confirm": " Alice@Example.test "})
    assert response["Location"] == reverse("panel:account_list")
    assert not Account.objects.filter(pk=alice.pk).exists()
    assert not User.objects.filter(username="alice@example.test").exists()
    assert AuditEntry.objects.get(action="account.delete").object_repr == "alice@example.test"


def test_an_alias_pointing_only_here_blocks_the_delete_with_a_reason(owner_client, alice):
    services.create_alias("sales@example.test", ["alice@example.test"])
    response = owner_client.post(url(alice), {"confirm": "alice@example.test"})
    assert "sales@example.test" in " ".join(response.context["form"].non_field_errors())
    assert Account.objects.filter(pk=alice.pk).exists()
