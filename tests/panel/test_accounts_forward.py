"""Forwarding an account's mail from the panel, with or without a local copy."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account


def url(account):
    return reverse("panel:account_forward", args=[account.pk])


def test_an_admin_sets_several_targets_without_a_copy(owner_client, alice, bob):
    response = owner_client.post(url(alice), {"targets": "bob@example.test\nfriend@elsewhere.example, x@y.example"})
    assert response.status_code == 302
    forward = Account.objects.get(pk=alice.pk).forward
    assert forward.keep_copy is False
    assert [t.address for t in forward.targets.all()] == ["bob@example.test", "friend@elsewhere.example",
                                                          "x@y.example"]
    entry = AuditEntry.objects.get(action="account.forward")
    assert entry.after == {"targets": ["bob@example.test", "friend@elsewhere.example", "x@y.example"],
                           "keep_copy": False}


def test_empty_targets_turn_forwarding_off(owner_client, alice):
    owner_client.post(url(alice), {"targets": "someone@elsewhere.example", "keep_copy": "on"})
    owner_client.post(url(alice), {"targets": ""})
    assert not hasattr(Account.objects.get(pk=alice.pk), "forward")


def test_an_unknown_local_target_is_an_error_on_the_targets(owner_client, alice):
    response = owner_client.post(url(alice), {"targets": "nobody@example.test"})
    assert response.status_code == 400
    assert "nobody@example.test" in response.context["forward_form"].errors["targets"][0]


def test_a_loop_is_refused(owner_client, alice, bob):
    owner_client.post(reverse("panel:account_forward", args=[bob.pk]), {"targets": "alice@example.test"})
    response = owner_client.post(url(alice), {"targets": "bob@example.test"})
    assert "loop" in response.context["forward_form"].errors["targets"][0]


def test_a_forward_past_the_cap_is_an_error_on_the_targets_field(owner_client, alice):
    targets = "\n".join(f"copy{n}@elsewhere.example" for n in range(11))
    response = owner_client.post(url(alice), {"targets": targets})
    assert response.status_code == 400
    assert "at most 10 addresses" in response.context["forward_form"].errors["targets"][0]
    assert not hasattr(Account.objects.get(pk=alice.pk), "forward")
