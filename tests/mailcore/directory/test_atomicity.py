"""Every refused change names the field at fault and writes nothing, not even part of it.

These tests run in real transactions (transactional_db), as the panel and the CLI do,
so a half-done write would survive the failed call.
"""
import pytest
from django.core.exceptions import ValidationError

from mailcore.directory import services
from mailcore.directory.models import (
    Account,
    Alias,
    AliasTarget,
    Domain,
    DomainAlias,
    Forward,
    ForwardTarget,
    User,
)
from mailcore.store.models import Folder
from tests.conftest import PASSWORD

GB = 1024**3
MODELS = [User, Domain, DomainAlias, Account, Alias, AliasTarget, Forward, ForwardTarget, Folder]


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def directory(transactional_db, alice, bob, charlie):
    services.create_alias("team@example.test", ["alice@example.test", "bob@example.test"])
    services.set_forward("bob@example.test", ["bob@example.net"])
    services.create_domain_alias("example.vn", "example.test")
    services.update_domain("example.org", total_quota=4 * GB)
    services.set_quota("charlie@example.org", 2 * GB)


BAD_CALLS = {
    "domain: bad name": (services.create_domain, ("exa mple.test",), {}, "domain"),
    "domain: exists": (services.create_domain, ("EXAMPLE.test",), {}, "domain"),
    "domain: negative quota": (services.create_domain, ("new.test",), {"default_quota": -1}, "default_quota"),
    "domain: still has accounts": (services.remove_domain, ("example.test",), {}, "domain"),
    "domain alias: unhosted target": (services.create_domain_alias, ("new.test", "nowhere.test"), {}, "target"),
    "account: unknown domain": (services.create_account, ("x@foo.test", PASSWORD), {}, "address"),
    "account: duplicate": (services.create_account, ("alice@example.test", PASSWORD), {}, "address"),
    "account: is an alias": (services.create_account, ("team@example.test", PASSWORD), {}, "address"),
    "account: at a domain alias": (services.create_account, ("x@example.vn", PASSWORD), {}, "address"),
    "account: weak password": (services.create_account, ("dave@example.test", "short"), {}, "password"),
    "account: over the total quota": (services.create_account, ("dave@example.org", PASSWORD),
                                      {"quota": 3 * GB}, "quota"),
    "account: bad display name": (services.create_account, ("dave@example.test", PASSWORD),
                                  {"display_name": "Dave\nBcc: x@example.net"}, "display_name"),
    "password: weak": (services.set_password, ("alice@example.test", "short"), {}, "password"),
    "quota: negative": (services.set_quota, ("alice@example.test", -1), {}, "quota"),
    "quota: over the total quota": (services.set_quota, ("charlie@example.org", 5 * GB), {}, "quota"),
    "account removal: unknown": (services.remove_account, ("nobody@example.test",), {}, "address"),
    "alias: one good and one bad target": (services.create_alias,
                                           ("info@example.test", ["alice@example.test", "nobody@example.test"]),
                                           {}, "targets"),
    "alias: at an account": (services.create_alias, ("alice@example.test", ["x@example.net"]), {}, "source"),
    "alias: loop": (services.create_alias, ("loop@example.test", ["team@example.test", "loop@example.vn"]),
                    {}, "targets"),
    "alias targets: loop": (services.set_alias_targets, ("team@example.test", ["team@example.vn"]), {}, "targets"),
    "alias targets: unknown": (services.set_alias_targets, ("team@example.test", ["x@example.test"]), {},
                               "targets"),
    "alias targets: none": (services.set_alias_targets, ("team@example.test", []), {}, "targets"),
    "forward: loop": (services.set_forward, ("bob@example.test", ["team@example.test"]), {}, "targets"),
    "forward: unknown target": (services.set_forward, ("bob@example.test", ["x@example.test"]), {}, "targets"),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_it_names_the_field_and_writes_nothing(directory, name):
    call, args, kwargs, field = BAD_CALLS[name]
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    assert field in info.value.message_dict
    assert snapshot() == before


def test_it_keeps_the_old_alias_targets_when_new_ones_are_refused(directory):
    with pytest.raises(ValidationError):
        services.set_alias_targets("team@example.test", ["charlie@example.org", "nobody@example.test"])
    targets = AliasTarget.objects.filter(alias__localpart="team").values_list("address", flat=True)
    assert list(targets) == ["alice@example.test", "bob@example.test"]


def test_it_keeps_the_old_forward_when_a_new_one_is_refused(directory):
    with pytest.raises(ValidationError):
        services.set_forward("bob@example.test", ["team@example.test"], keep_copy=False)
    forward = Forward.objects.get(account__localpart="bob")
    assert forward.keep_copy
    assert [t.address for t in forward.targets.all()] == ["bob@example.net"]


def test_it_leaves_no_alias_when_one_target_is_bad(directory):
    with pytest.raises(ValidationError):
        services.create_alias("info@example.test", ["alice@example.test", "nobody@example.test"])
    assert not Alias.objects.filter(localpart="info").exists()


def test_it_refuses_removing_an_account_an_alias_needs_and_keeps_everything(transactional_db, alice):
    services.create_alias("info@example.test", ["alice@example.test"])
    before = snapshot()
    with pytest.raises(ValidationError) as info:
        services.remove_account("alice@example.test")
    assert "address" in info.value.message_dict
    assert snapshot() == before


def test_it_refuses_a_domain_alias_that_makes_a_loop_and_keeps_no_domain_alias(transactional_db, domain):
    services.create_alias("a@example.test", ["a@example.net"])
    with pytest.raises(ValidationError) as info:
        services.create_domain_alias("example.net", "example.test")
    assert "domain" in info.value.message_dict
    assert not DomainAlias.objects.exists()


def test_it_leaves_no_login_when_a_taken_username_stops_account_creation(transactional_db, domain):
    User.objects.create_user("alice@example.test", password=PASSWORD)  # e.g. an admin login
    with pytest.raises(ValidationError) as info:
        services.create_account("alice@example.test", PASSWORD)
    assert "address" in info.value.message_dict
    assert User.objects.count() == 1
    assert not Account.objects.exists()


def test_it_leaves_no_login_when_creating_the_folders_fails(transactional_db, domain, monkeypatch):
    import mailcore.store.folders

    def fail(account):
        raise RuntimeError("disk full")

    monkeypatch.setattr(mailcore.store.folders, "create_default_folders", fail)
    with pytest.raises(RuntimeError):
        services.create_account("alice@example.test", PASSWORD)
    assert not User.objects.exists()
    assert not Account.objects.exists()
