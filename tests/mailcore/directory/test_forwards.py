"""Forwarding of an account's mail."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import Address
from mailcore.directory.lookup import route
from mailcore.directory.models import Forward
from mailcore.directory.services import create_alias, create_domain_alias, set_forward


def error_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_it_forwards_to_several_targets(alice, bob):
    forward = set_forward("alice@example.test", ["bob@example.test", "Alice@Example.NET"], keep_copy=False)
    assert [t.address for t in forward.targets.all()] == ["bob@example.test", "alice@example.net"]
    assert not forward.keep_copy
    assert route(Address("alice", "example.test")) == (Address("alice", "example.test"),
                                                       ["bob@example.test", "alice@example.net"])


def test_it_keeps_a_copy_by_default(alice):
    assert set_forward("alice@example.test", ["alice@example.net"]).keep_copy


def test_it_replaces_an_earlier_forward(alice, bob):
    set_forward("alice@example.test", ["alice@example.net"])
    set_forward("alice@example.test", ["bob@example.test"])
    assert [t.address for t in Forward.objects.get().targets.all()] == ["bob@example.test"]


def test_it_clears_the_forward_with_no_targets(alice):
    set_forward("alice@example.test", ["alice@example.net"])
    assert set_forward("alice@example.test", []) is None
    assert not Forward.objects.exists()


def test_it_refuses_a_forward_for_an_unknown_account(domain):
    assert "address" in error_of(set_forward, "nobody@example.test", ["x@example.net"])


def test_it_refuses_a_forward_to_an_unknown_local_address(alice):
    assert "targets" in error_of(set_forward, "alice@example.test", ["nobody@example.test"])


def test_it_refuses_a_forward_to_itself(alice):
    assert "targets" in error_of(set_forward, "alice@example.test", ["ALICE@example.test"])


def test_it_refuses_a_forward_to_itself_through_a_domain_alias(alice):
    create_domain_alias("example.vn", "example.test")
    assert "targets" in error_of(set_forward, "alice@example.test", ["alice@example.vn"])


def test_it_refuses_two_forwards_that_point_at_each_other(alice, bob):
    set_forward("alice@example.test", ["bob@example.test"])
    assert "targets" in error_of(set_forward, "bob@example.test", ["alice@example.test"])


def test_it_refuses_a_forward_that_comes_back_through_an_alias(alice):
    create_alias("team@example.test", ["alice@example.test"])
    assert "targets" in error_of(set_forward, "alice@example.test", ["team@example.test"])


def test_it_refuses_a_forward_that_comes_back_through_the_catch_all(alice, charlie):
    create_alias("@example.test", ["alice@example.test"])
    set_forward("charlie@example.org", ["nobody@example.test"])  # taken by the catch-all
    assert "targets" in error_of(set_forward, "alice@example.test", ["charlie@example.org"])


def test_it_refuses_a_new_domain_alias_that_turns_a_forward_into_a_loop(alice):
    set_forward("alice@example.test", ["alice@example.vn"])  # example.vn is elsewhere, for now
    with pytest.raises(ValidationError) as info:
        create_domain_alias("example.vn", "example.test")
    assert "alice@example.test" in info.value.message_dict["domain"][0]


def test_a_forward_to_more_targets_than_the_cap_is_refused_on_the_targets(alice):
    # Each target is another copy leaving our IP: an abused account must not be an amplifier.
    targets = [f"copy{n}@elsewhere.example" for n in range(11)]
    errors = error_of(set_forward, "alice@example.test", targets)
    assert "at most 10 addresses" in errors["targets"][0]
    assert not Forward.objects.exists()
    assert set_forward("alice@example.test", targets[:10]).targets.count() == 10


def test_the_forward_cap_counts_the_mailboxs_rule_forwards_too(alice):
    from mailcore.delivery.rule_edits import create_rule

    create_rule(alice, {"name": "copies", "conditions": [], "actions": [
        {"action": "forward", "address": f"rule{n}@elsewhere.example"} for n in range(4)]})
    errors = error_of(set_forward, "alice@example.test", [f"copy{n}@elsewhere.example" for n in range(7)])
    assert "at most 10 addresses" in errors["targets"][0]
    set_forward("alice@example.test", [f"copy{n}@elsewhere.example" for n in range(6)])
    with pytest.raises(ValidationError) as info:
        create_rule(alice, {"name": "one more", "conditions": [], "actions": [
            {"action": "forward", "address": "last@elsewhere.example"}]})
    assert "at most 10 addresses" in info.value.message_dict["actions.0.address"][0]
