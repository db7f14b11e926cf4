"""Domains and domain aliases: create, limits, remove."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.directory.models import Account, Alias, AliasTarget, Domain, DomainAlias, ForwardTarget, User
from mailcore.directory.services import (
    create_alias,
    create_domain,
    create_domain_alias,
    remove_domain,
    remove_domain_alias,
    set_forward,
    update_domain,
)
from mailcore.store.models import Folder

GB = 1024**3
PASSWORD = "correct horse battery staple"


def error_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_it_creates_a_domain_with_the_default_quota_from_settings(db, settings):
    settings.HOPTHU_DEFAULT_QUOTA = 3 * GB
    domain = create_domain("Example.TEST")
    assert domain.name == "example.test"
    assert domain.default_quota == 3 * GB
    assert domain.active


def test_it_stores_an_idn_as_its_a_label_and_shows_the_u_label(db):
    domain = create_domain("ví-dụ.vn")
    assert domain.name == "xn--v-d-rma6749a.vn"
    assert domain.unicode_name == "ví-dụ.vn"
    assert str(domain) == "ví-dụ.vn"


def test_it_refuses_a_duplicate_domain_in_any_form(db):
    create_domain("ví-dụ.vn")
    assert "domain" in error_of(create_domain, "VÍ-DỤ.vn")
    assert "domain" in error_of(create_domain, "xn--v-d-rma6749a.vn")


def test_it_refuses_a_domain_that_is_already_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    assert "domain" in error_of(create_domain, "example.vn")


def test_it_refuses_negative_limits(db):
    assert "default_quota" in error_of(create_domain, "example.test", default_quota=-1)
    assert "max_accounts" in error_of(create_domain, "example.test", max_accounts=-1)
    assert "total_quota" in error_of(create_domain, "example.test", total_quota=-1)


def test_it_refuses_a_default_quota_above_the_total_quota(db):
    assert "default_quota" in error_of(create_domain, "example.test", default_quota=2 * GB,
                                       total_quota=1 * GB)


def test_it_refuses_a_max_accounts_below_the_current_count(alice, bob):
    assert "max_accounts" in error_of(update_domain, "example.test", max_accounts=1)


def test_it_refuses_a_total_quota_below_what_the_domain_uses(alice):
    Account.objects.filter(pk=alice.pk).update(used_bytes=2 * GB, quota=0)
    assert "total_quota" in error_of(update_domain, "example.test", total_quota=1 * GB)


def test_it_refuses_to_remove_a_domain_that_has_accounts(alice):
    assert "domain" in error_of(remove_domain, "example.test")
    assert Domain.objects.filter(name="example.test").exists()


def test_it_removes_a_domain_with_its_accounts_logins_folders_and_aliases_when_asked(alice, charlie):
    create_alias("info@example.test", ["alice@example.test"])
    create_domain_alias("example.vn", "example.test")
    remove_domain("example.test", remove_accounts=True)
    assert list(Domain.objects.values_list("name", flat=True)) == ["example.org"]
    assert list(User.objects.values_list("username", flat=True)) == ["charlie@example.org"]
    assert not Alias.objects.exists()
    assert not DomainAlias.objects.exists()
    assert not Folder.objects.filter(account__domain__name="example.test").exists()


def test_removing_a_domain_takes_its_addresses_out_of_other_domains_aliases_and_forwards(alice, charlie):
    create_domain_alias("example.vn", "example.test")
    create_alias("team@example.org", ["alice@example.vn", "charlie@example.org"])
    set_forward("charlie@example.org", ["alice@example.test", "c@elsewhere.test"])
    remove_domain("example.test", remove_accounts=True)
    assert list(AliasTarget.objects.values_list("address", flat=True)) == ["charlie@example.org"]
    assert list(ForwardTarget.objects.values_list("address", flat=True)) == ["c@elsewhere.test"]


def test_it_refuses_to_remove_a_domain_that_another_domains_alias_points_only_to(alice, charlie):
    create_alias("team@example.org", ["alice@example.test"])
    errors = error_of(remove_domain, "example.test", remove_accounts=True)
    assert "team@example.org" in errors["domain"][0]
    assert Account.objects.filter(pk=alice.pk).exists()
    assert AliasTarget.objects.filter(address="alice@example.test").exists()


def test_it_refuses_to_remove_a_domain_that_is_not_hosted(db):
    assert "domain" in error_of(remove_domain, "example.net")


def test_it_creates_a_domain_alias_to_a_hosted_domain(domain):
    alias = create_domain_alias("VÍ-DỤ.vn", "EXAMPLE.test")
    assert alias.name == "xn--v-d-rma6749a.vn"
    assert alias.target == domain


def test_it_refuses_a_domain_alias_to_an_unhosted_domain_or_to_another_domain_alias(domain):
    assert "target" in error_of(create_domain_alias, "example.vn", "example.net")
    create_domain_alias("example.vn", "example.test")
    assert "target" in error_of(create_domain_alias, "example.com", "example.vn")


def test_it_refuses_a_domain_alias_that_is_a_hosted_domain_or_exists(domain, other_domain):
    assert "domain" in error_of(create_domain_alias, "example.org", "example.test")
    create_domain_alias("example.vn", "example.test")
    assert "domain" in error_of(create_domain_alias, "example.vn", "example.org")


def test_it_removes_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    remove_domain_alias("EXAMPLE.vn")
    assert not DomainAlias.objects.exists()
    assert "domain" in error_of(remove_domain_alias, "example.vn")


def test_a_total_quota_below_the_accounts_quotas_is_refused(domain):
    from mailcore.directory.services import create_account

    update_domain("example.test", default_quota=2 * GB)
    create_account("a@example.test", PASSWORD, quota=2 * GB)
    create_account("b@example.test", PASSWORD, quota=2 * GB)
    assert "total_quota" in error_of(update_domain, "example.test", total_quota=3 * GB)
    update_domain("example.test", total_quota=4 * GB)


def test_a_total_quota_needs_every_account_to_have_a_quota(domain):
    from mailcore.directory.services import create_account

    create_account("a@example.test", PASSWORD, quota=0)
    assert "total_quota" in error_of(update_domain, "example.test", total_quota=3 * GB)


def test_a_default_quota_above_the_total_quota_is_refused(domain):
    update_domain("example.test", total_quota=4 * GB, default_quota=1 * GB)
    assert "default_quota" in error_of(update_domain, "example.test", default_quota=5 * GB)
