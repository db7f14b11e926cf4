"""Aliases: targets, catch-alls, the account/alias split, and mail loops."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import Address
from mailcore.directory.lookup import route
from mailcore.directory.models import Alias
from mailcore.directory.services import (
    create_account,
    create_alias,
    create_domain_alias,
    remove_alias,
    set_alias_targets,
    set_forward,
    update_domain,
)
from tests.conftest import PASSWORD


def alias_targets(source):
    localpart, _at, domain = source.partition("@")
    alias = Alias.objects.get(localpart=localpart, domain__name=domain)
    return list(alias.targets.values_list("address", flat=True))


def error_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def targets_of(source):
    localpart, _sep, domain = source.rpartition("@")
    return [t.address for t in Alias.objects.get(domain__name=domain, localpart=localpart).targets.all()]


def test_it_creates_an_alias_with_several_targets(alice, bob):
    create_alias("team@example.test", ["alice@example.test", "bob@example.test", "boss@example.net"])
    assert targets_of("team@example.test") == ["alice@example.test", "bob@example.test", "boss@example.net"]


def test_it_stores_targets_canonical_and_once(alice):
    create_alias("info@example.test", ["Alice@EXAMPLE.test", "alice@example.test"])
    assert targets_of("info@example.test") == ["alice@example.test"]


def test_it_creates_a_catch_all(alice):
    create_alias("@example.test", ["alice@example.test"])
    assert route(Address("anything", "example.test")) == (Address("", "example.test"), ["alice@example.test"])


def test_it_routes_an_address_to_its_alias_before_the_catch_all(alice, bob):
    create_alias("@example.test", ["alice@example.test"])
    create_alias("sales@example.test", ["bob@example.test"])
    assert route(Address("sales", "example.test"))[1] == ["bob@example.test"]


def test_it_accepts_external_targets(domain):
    create_alias("out@example.test", ["someone@example.net", '"odd one"@example.net'])
    assert targets_of("out@example.test") == ["someone@example.net", '"odd one"@example.net']


def test_it_refuses_an_unknown_local_target(alice):
    assert "targets" in error_of(create_alias, "info@example.test", ["nobody@example.test"])


def test_it_refuses_an_unknown_target_at_a_domain_alias(alice):
    create_domain_alias("example.vn", "example.test")
    assert "targets" in error_of(create_alias, "info@example.test", ["nobody@example.vn"])


def test_it_accepts_a_target_at_a_domain_alias(alice):
    create_domain_alias("example.vn", "example.test")
    create_alias("info@example.test", ["alice@example.vn"])


def test_it_refuses_an_alias_at_an_address_that_is_an_account(alice):
    assert "source" in error_of(create_alias, "alice@example.test", ["bob@example.net"])


def test_it_refuses_an_account_at_an_address_that_is_an_alias(domain):
    create_alias("info@example.test", ["boss@example.net"])
    assert "address" in error_of(create_account, "info@example.test", PASSWORD)


def test_it_refuses_a_second_alias_at_the_same_address(domain):
    create_alias("info@example.test", ["boss@example.net"])
    assert "source" in error_of(create_alias, "INFO@example.test", ["other@example.net"])


def test_it_refuses_an_alias_at_an_unhosted_domain(domain):
    assert "source" in error_of(create_alias, "info@example.net", ["boss@example.net"])


def test_it_refuses_an_alias_at_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    message = error_of(create_alias, "info@example.vn", ["boss@example.net"])["source"][0]
    assert "domain alias" in message


def test_it_refuses_an_alias_to_itself(domain):
    assert "targets" in error_of(create_alias, "loop@example.test", ["loop@example.test"])


def test_it_refuses_an_alias_to_itself_through_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    assert "targets" in error_of(create_alias, "loop@example.test", ["loop@example.vn"])


def test_it_refuses_a_two_alias_loop(domain):
    create_alias("a@example.test", ["someone@example.net"])
    create_alias("b@example.test", ["a@example.test"])
    assert "targets" in error_of(set_alias_targets, "a@example.test", ["b@example.test"])


def test_it_refuses_a_loop_through_a_domain_alias(domain):
    create_domain_alias("example.vn", "example.test")
    create_alias("a@example.test", ["someone@example.net"])
    create_alias("b@example.test", ["a@example.vn"])
    assert "targets" in error_of(set_alias_targets, "a@example.test", ["b@example.vn"])


def test_it_refuses_a_loop_through_the_catch_all(domain, other_domain):
    create_alias("back@example.org", ["someone@example.net"])
    create_alias("@example.test", ["back@example.org"])
    # x@example.test is no address of its own: the catch-all takes it, back to back@.
    assert "targets" in error_of(set_alias_targets, "back@example.org", ["x@example.test"])


def test_it_refuses_a_new_alias_that_loops_through_the_catch_all(domain, other_domain):
    create_alias("@example.org", ["someone@example.net"])
    create_alias("@example.test", ["back@example.org"])  # today the catch-all of example.org
    assert "targets" in error_of(create_alias, "back@example.org", ["x@example.test"])


def test_it_refuses_a_new_catch_all_that_loops_back_through_an_unknown_address(domain, other_domain):
    create_alias("@example.test", ["someone@example.net"])
    create_alias("back@example.org", ["x@example.test"])  # accepted: the catch-all takes x
    remove_alias("@example.test")  # back@example.org now points at an unknown address
    # The new catch-all would take x@example.test: back → x → catch-all → back.
    assert "targets" in error_of(create_alias, "@example.test", ["back@example.org"])


def test_it_refuses_a_loop_through_a_forward(alice, charlie):
    create_alias("team@example.test", ["alice@example.test"])
    set_forward("charlie@example.org", ["team@example.test"])
    assert "targets" in error_of(set_alias_targets, "team@example.test", ["charlie@example.org"])


def test_it_refuses_a_loop_made_by_a_new_domain_alias(domain):
    create_alias("a@example.test", ["a@example.vn"])  # example.vn is hosted elsewhere, for now
    assert "domain" in error_of(create_domain_alias, "example.vn", "example.test")


def test_it_refuses_too_few_targets(domain):
    assert "targets" in error_of(create_alias, "info@example.test", [])


def test_it_replaces_the_targets_of_an_alias(alice, bob):
    create_alias("info@example.test", ["alice@example.test"])
    set_alias_targets("info@example.test", ["bob@example.test", "boss@example.net"])
    assert targets_of("info@example.test") == ["bob@example.test", "boss@example.net"]


def test_it_removes_an_alias(domain):
    create_alias("info@example.test", ["boss@example.net"])
    remove_alias("info@example.test")
    assert not Alias.objects.exists()


def test_it_refuses_to_remove_an_alias_that_does_not_exist(domain):
    assert "source" in error_of(remove_alias, "info@example.test")


def test_removing_an_alias_takes_it_out_of_other_aliases(domain):
    create_alias("sales@example.test", ["a@example.net"])
    create_alias("all@example.test", ["sales@example.test", "b@example.net"])
    remove_alias("sales@example.test")
    assert alias_targets("all@example.test") == ["b@example.net"]


def test_removing_the_only_target_of_another_alias_is_refused(domain):
    create_alias("sales@example.test", ["a@example.net"])
    create_alias("team@example.test", ["sales@example.test"])
    assert "source" in error_of(remove_alias, "sales@example.test")
    assert alias_targets("team@example.test") == ["sales@example.test"]


def test_the_domain_alias_limit_holds(alice, bob, domain):
    update_domain("example.test", max_aliases=1)
    create_alias("sales@example.test", ["alice@example.test"])
    assert "source" in error_of(create_alias, "info@example.test", ["bob@example.test"])
    update_domain("example.test", max_aliases=0)
    create_alias("info@example.test", ["bob@example.test"])
    assert "max_aliases" in error_of(update_domain, "example.test", max_aliases=1)
