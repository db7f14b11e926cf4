"""Accounts: create with folders, limits, quotas, passwords, enable, remove."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.directory.models import Account, AliasTarget, User
from mailcore.directory.services import (
    create_account,
    create_alias,
    create_domain,
    create_domain_alias,
    get_account,
    remove_account,
    set_account_active,
    set_password,
    set_quota,
)
from mailcore.store.models import INBOX, Folder
from tests.conftest import PASSWORD

GB = 1024**3
MB = 1024**2


def error_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_it_creates_an_account_with_a_login_named_by_its_address(domain):
    account = create_account("Alice@Example.TEST", PASSWORD, display_name="Alice Liddell")
    assert account.address == "alice@example.test"
    assert account.display_name == "Alice Liddell"
    assert account.user.username == "alice@example.test"
    assert account.user.check_password(PASSWORD)
    assert account.quota == domain.default_quota


def test_it_creates_inbox_and_the_special_use_folders(alice):
    folders = {f.name: f.special_use for f in Folder.objects.filter(account=alice)}
    assert folders == {INBOX: "", "Sent": "\\Sent", "Drafts": "\\Drafts", "Junk": "\\Junk",
                       "Trash": "\\Trash", "Archive": "\\Archive"}
    uidvalidities = Folder.objects.filter(account=alice).values_list("uidvalidity", flat=True)
    assert len(set(uidvalidities)) == 6


def test_it_refuses_a_duplicate_account(alice):
    assert "address" in error_of(create_account, "ALICE@example.test", PASSWORD)


def test_it_refuses_an_account_at_an_unhosted_domain(db):
    message = error_of(create_account, "alice@foo.test", PASSWORD)["address"][0]
    assert message == "The domain foo.test is not hosted here."


def test_it_refuses_an_account_at_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    assert "domain alias" in error_of(create_account, "alice@example.vn", PASSWORD)["address"][0]


def test_it_refuses_more_accounts_than_the_domain_allows(db):
    create_domain("example.test", max_accounts=1)
    create_account("alice@example.test", PASSWORD)
    assert "limit" in error_of(create_account, "bob@example.test", PASSWORD)["address"][0]


def test_it_refuses_a_quota_that_does_not_fit_the_domains_total_quota(db):
    create_domain("example.test", default_quota=1 * GB, total_quota=2 * GB)
    create_account("alice@example.test", PASSWORD)
    assert "quota" in error_of(create_account, "bob@example.test", PASSWORD, quota=1 * GB + 1)
    assert "quota" in error_of(create_account, "bob@example.test", PASSWORD, quota=0)
    create_account("bob@example.test", PASSWORD, quota=1 * GB)


def test_it_refuses_a_negative_quota(domain):
    assert "quota" in error_of(create_account, "alice@example.test", PASSWORD, quota=-1)


@pytest.mark.parametrize("password", ["", "short", "1234567890123", "password123"])
def test_it_refuses_weak_passwords(domain, password):
    assert "password" in error_of(create_account, "alice@example.test", password)


def test_it_refuses_a_display_name_with_control_characters(domain):
    assert "display_name" in error_of(create_account, "alice@example.test", PASSWORD,
                                      display_name="Alice\r\nBcc: everyone@example.net")


def test_it_refuses_an_over_long_display_name(domain):
    assert "display_name" in error_of(create_account, "alice@example.test", PASSWORD,
                                      display_name="A" * 201)


def test_it_changes_the_password(alice):
    set_password("alice@example.test", "a new password that is long")
    alice.user.refresh_from_db()
    assert alice.user.check_password("a new password that is long")


def test_it_refuses_a_weak_new_password(alice):
    assert "password" in error_of(set_password, "alice@example.test", "short")


def test_it_disables_and_enables_an_account(alice):
    assert not set_account_active("alice@example.test", False).active
    assert set_account_active("alice@example.test", True).active


def test_it_sets_the_quota(alice):
    assert set_quota("alice@example.test", 500 * MB).quota == 500 * MB
    assert set_quota("alice@example.test", 0).quota == 0


def test_it_refuses_a_quota_below_what_the_account_uses(alice):
    Account.objects.filter(pk=alice.pk).update(used_bytes=600 * MB)
    assert "quota" in error_of(set_quota, "alice@example.test", 500 * MB)
    assert set_quota("alice@example.test", 600 * MB).quota == 600 * MB


def test_it_refuses_a_quota_above_what_is_left_of_the_total_quota(db):
    create_domain("example.test", default_quota=1 * GB, total_quota=2 * GB)
    create_account("alice@example.test", PASSWORD)
    create_account("bob@example.test", PASSWORD)
    assert "quota" in error_of(set_quota, "alice@example.test", 1 * GB + 1)


def test_it_finds_an_account_by_its_address_in_any_case(alice):
    assert get_account("ALICE@example.test") == alice
    assert "address" in error_of(get_account, "nobody@example.test")


def test_it_removes_an_account_with_its_login_and_folders(alice, bob):
    create_alias("team@example.test", ["alice@example.test", "bob@example.test"])
    remove_account("alice@example.test")
    assert not Account.objects.filter(pk=alice.pk).exists()
    assert not User.objects.filter(username="alice@example.test").exists()
    assert not Folder.objects.filter(account_id=alice.pk).exists()
    assert list(AliasTarget.objects.values_list("address", flat=True)) == ["bob@example.test"]


def test_it_refuses_to_remove_an_account_an_alias_points_to_alone(alice):
    create_alias("info@example.test", ["alice@example.test"])
    assert "address" in error_of(remove_account, "alice@example.test")
    assert Account.objects.filter(pk=alice.pk).exists()


def test_removing_an_account_takes_it_out_of_forwards_with_other_targets(alice, bob):
    from mailcore.directory.models import ForwardTarget
    from mailcore.directory.services import set_forward

    set_forward("bob@example.test", ["alice@example.test", "elsewhere@example.net"])
    remove_account("alice@example.test")
    assert list(ForwardTarget.objects.values_list("address", flat=True)) == ["elsewhere@example.net"]


def test_removing_an_account_a_forward_points_only_to_is_refused(alice, bob):
    from mailcore.directory.services import set_forward

    set_forward("bob@example.test", ["alice@example.test"])
    assert "address" in error_of(remove_account, "alice@example.test")
