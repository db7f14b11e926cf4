"""Forwarding through the directory (mailcore.directory.services.set_forward)."""
import pytest

pytestmark = pytest.mark.django_db


def test_saving_forwards_with_or_without_a_copy(alice_rechecked, alice, bob):
    from mailcore.directory.models import Forward

    response = alice_rechecked.post("/mail/settings/forwarding/", {"targets": "alice@example.net\nbob@example.test",
                                                                "keep_copy": ""})
    assert response.status_code == 302
    forward = Forward.objects.get(account=alice)
    assert not forward.keep_copy
    assert list(forward.targets.values_list("address", flat=True)) == ["alice@example.net", "bob@example.test"]
    assert "alice@example.net" in alice_rechecked.get("/mail/settings/forwarding/").content.decode()


def test_an_empty_list_removes_the_forward(alice_rechecked, alice):
    from mailcore.directory.models import Forward
    from mailcore.directory.services import set_forward

    set_forward(alice.address, ["alice@example.net"])
    alice_rechecked.post("/mail/settings/forwarding/", {"targets": "", "keep_copy": "on"})
    assert not Forward.objects.filter(account=alice).exists()


@pytest.mark.parametrize(("targets", "words"), [
    ("not an address", "not a mail address"),
    ("nobody@example.test", "is not an account or alias here"),
    ("alice@example.test", "points back to itself"),
])
def test_directory_errors_show_on_the_field(alice_rechecked, alice, targets, words):
    from mailcore.directory.models import Forward

    response = alice_rechecked.post("/mail/settings/forwarding/", {"targets": targets, "keep_copy": "on"})
    assert response.status_code == 200
    errors = response.context["form"].errors["targets"]
    assert any(words in error for error in errors)
    assert not Forward.objects.filter(account=alice).exists()


def test_a_loop_through_another_account_is_refused(alice_rechecked, alice, bob):
    from mailcore.directory.services import set_forward

    set_forward(bob.address, ["alice@example.test"], keep_copy=False)
    response = alice_rechecked.post("/mail/settings/forwarding/", {"targets": "bob@example.test", "keep_copy": ""})
    assert "mail loop" in " ".join(response.context["form"].errors["targets"])


def test_a_forward_past_the_cap_shows_on_the_targets_field(alice_rechecked, alice):
    from mailcore.directory.models import Forward

    targets = "\n".join(f"copy{n}@elsewhere.example" for n in range(11))
    response = alice_rechecked.post("/mail/settings/forwarding/", {"targets": targets, "keep_copy": "on"})
    assert response.status_code == 200
    assert any("at most 10 addresses" in error for error in response.context["form"].errors["targets"])
    assert not Forward.objects.filter(account=alice).exists()
