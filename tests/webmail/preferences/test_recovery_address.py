"""The recovery address: User.email and one verified, primary allauth EmailAddress."""
import pytest

pytestmark = pytest.mark.django_db


def test_saving_sets_the_address_allauth_resets_through(alice_rechecked, alice):
    from allauth.account.models import EmailAddress

    response = alice_rechecked.post("/mail/settings/security/", {"email": "Alice.Home@Example.NET"})
    assert response.status_code == 302
    alice.user.refresh_from_db()
    assert alice.user.email == "alice.home@example.net"
    address = EmailAddress.objects.get(user=alice.user)
    assert (address.email, address.verified, address.primary) == ("alice.home@example.net", True, True)


def test_changing_replaces_it_and_empty_removes_it(alice_rechecked, alice):
    from allauth.account.models import EmailAddress

    alice_rechecked.post("/mail/settings/security/", {"email": "one@example.net"})
    alice_rechecked.post("/mail/settings/security/", {"email": "two@example.net"})
    assert list(EmailAddress.objects.filter(user=alice.user).values_list("email", flat=True)) == ["two@example.net"]
    alice_rechecked.post("/mail/settings/security/", {"email": ""})
    alice.user.refresh_from_db()
    assert alice.user.email == "" and not EmailAddress.objects.filter(user=alice.user).exists()


@pytest.mark.parametrize(("email", "words"), [
    ("not-an-address", "valid email"),
    ("alice@example.test", "Choose another address"),
])
def test_bad_addresses_are_refused_on_the_field(alice_rechecked, alice, email, words):
    response = alice_rechecked.post("/mail/settings/security/", {"email": email})
    assert response.status_code == 200
    assert words in response.context["form"].errors["email"][0]


def test_an_address_another_account_recovers_with_is_refused(alice_rechecked, bob_rechecked, alice):
    bob_rechecked.post("/mail/settings/security/", {"email": "home@example.net"})
    response = alice_rechecked.post("/mail/settings/security/", {"email": "HOME@example.net"})
    assert "another account" in response.context["form"].errors["email"][0]
    alice.user.refresh_from_db()
    assert alice.user.email == ""
