"""Creating an account from the panel: the form names the field at fault, success is audited."""
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account
from tests.conftest import PASSWORD

URL = reverse("panel:account_create")


def post(client, **fields):
    data = {"localpart": "an", "domain": "example.test", "password": PASSWORD, "password2": PASSWORD, "quota": "",
            "display_name": "Nguyễn Văn An", **fields}
    return client.post(URL, data)


def test_an_admin_creates_an_account_with_a_quota_in_human_units(owner_client, domain):
    response = post(owner_client, quota="2 GB")
    account = Account.objects.get(localpart="an")
    assert response["Location"] == reverse("panel:account_detail", args=[account.pk])
    assert (account.quota, account.display_name) == (2 * 1024**3, "Nguyễn Văn An")
    assert account.user.check_password(PASSWORD)


def test_an_empty_quota_takes_the_domains_default(owner_client, domain):
    domain.default_quota = 300 * 1024**2
    domain.save()
    post(owner_client)
    assert Account.objects.get(localpart="an").quota == 300 * 1024**2


def test_creating_is_audited_without_the_password(owner_client, domain):
    post(owner_client)
    entry = AuditEntry.objects.get(action="account.create")
    assert (entry.object_repr, entry.domain, entry.actor_name) == ("an@example.test", "example.test", "owner")
    assert PASSWORD not in str(entry.before) + str(entry.after)


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_a_bad_address_is_an_error_on_the_address(owner_client, domain):
    assert errors(post(owner_client, localpart="not an address"), "localpart")
    assert not Account.objects.exists()


def test_different_passwords_are_an_error_on_the_second_one(owner_client, domain):
    assert errors(post(owner_client, password2="something else entirely"), "password2")


def test_a_weak_password_is_an_error_on_the_password(owner_client, domain):
    assert errors(post(owner_client, password="short", password2="short"), "password")


def test_a_bad_size_is_an_error_on_the_quota(owner_client, domain):
    assert "not a size" in errors(post(owner_client, quota="lots"), "quota")[0]


def test_a_quota_over_the_domains_total_is_an_error_on_the_quota(owner_client, domain):
    domain.total_quota = 1024**3
    domain.save()
    assert "total quota" in errors(post(owner_client, quota="2G"), "quota")[0]


def test_a_duplicate_address_is_an_error_on_the_address(owner_client, alice):
    assert "already exists" in errors(post(owner_client, localpart="ALICE"), "localpart")[0]


def test_the_domain_account_limit_is_an_error_on_the_address(owner_client, alice):
    alice.domain.max_accounts = 1
    alice.domain.save()
    assert "limit" in errors(post(owner_client), "localpart")[0]


def test_a_domain_admin_cannot_create_an_account_at_another_domain(owner_client, other_domain):
    assert errors(post(owner_client, localpart="eve", domain="example.org"), "domain")  # not in the menu
    response = post(owner_client, localpart="eve@example.org")  # typed whole: understood, and refused
    assert "You do not manage" in errors(response, "localpart")[0]
    assert not Account.objects.exists()


def test_a_superadmin_creates_accounts_at_any_domain(super_client, other_domain):
    post(super_client, localpart="eve", domain="example.org")
    assert Account.objects.filter(domain=other_domain, localpart="eve").exists()
