"""Enabling and disabling an alias (services.set_alias_active; issue 16). A disabled alias
takes no mail, as if it did not exist (RCPT's question, route, the delivery expansion),
is no sender, and stays a valid target of other aliases and forwards; its targets are
kept for when it is enabled again."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.delivery.expand import expand
from mailcore.directory.addresses import Address
from mailcore.directory.lookup import hosted_domain, local_recipient, route, sender_addresses
from mailcore.directory.models import Alias
from mailcore.directory.services import (
    create_alias,
    set_alias_active,
    set_alias_targets,
    set_catch_all,
    set_forward,
)


def is_active(source) -> bool:
    localpart, _at, domain = source.rpartition("@")
    return Alias.objects.get(domain__name=domain, localpart=localpart).active


def test_it_disables_and_enables_an_alias_keeping_its_targets(alice, bob):
    create_alias("team@example.test", ["alice@example.test", "bob@example.test"])
    alias = set_alias_active("team@example.test", False)
    assert not alias.active and not is_active("team@example.test")
    alias = set_alias_active("TEAM@Example.Test", True)
    assert is_active("team@example.test")
    assert [t.address for t in alias.targets.all()] == ["alice@example.test", "bob@example.test"]


def test_it_disables_the_catch_all(alice):
    set_catch_all("example.test", ["alice@example.test"])
    set_alias_active("@example.test", False)
    assert not is_active("@example.test")
    assert not local_recipient(hosted_domain("example.test"), "anyone").known


def test_an_unknown_alias_is_an_error_on_the_source_field(alice):
    with pytest.raises(ValidationError) as info:
        set_alias_active("nobody@example.test", False)
    assert info.value.message_dict == {"source": ["There is no alias nobody@example.test."]}
    with pytest.raises(ValidationError) as info:
        set_alias_active("sales@not-hosted.test", False)
    assert "source" in info.value.message_dict


def test_a_disabled_alias_is_unknown_to_rcpt_and_to_delivery(alice):
    create_alias("sales@example.test", ["alice@example.test"])
    domain = hosted_domain("example.test")
    set_alias_active("sales@example.test", False)
    assert not local_recipient(domain, "sales").known
    assert route(Address("sales", "example.test")) is None
    assert expand("sales@example.test").empty
    set_alias_active("sales@example.test", True)
    assert local_recipient(domain, "sales").known
    assert list(expand("sales@example.test").accounts) == [alice.pk]


def test_the_catch_all_takes_a_disabled_alias_address_like_any_unknown_one(alice, bob):
    create_alias("sales@example.test", ["alice@example.test"])
    set_catch_all("example.test", ["bob@example.test"])
    set_alias_active("sales@example.test", False)
    assert local_recipient(hosted_domain("example.test"), "sales").known
    assert list(expand("sales@example.test").accounts) == [bob.pk]


def test_a_disabled_alias_reached_through_another_alias_delivers_nothing(alice, bob):
    create_alias("sales@example.test", ["alice@example.test"])
    create_alias("team@example.test", ["sales@example.test", "bob@example.test"])
    set_alias_active("sales@example.test", False)
    assert list(expand("team@example.test").accounts) == [bob.pk]


def test_a_disabled_alias_stays_a_valid_target(alice, bob):
    create_alias("sales@example.test", ["alice@example.test"])
    set_alias_active("sales@example.test", False)
    create_alias("team@example.test", ["sales@example.test"])
    set_alias_targets("team@example.test", ["sales@example.test", "bob@example.test"])
    set_forward("bob@example.test", ["sales@example.test"])


def test_a_loop_through_a_disabled_alias_is_still_refused(alice):
    create_alias("a@example.test", ["alice@example.test"])
    create_alias("b@example.test", ["a@example.test"])
    set_alias_active("b@example.test", False)
    with pytest.raises(ValidationError) as info:
        set_alias_targets("a@example.test", ["b@example.test"])  # enabling b again would loop
    assert "loop" in info.value.message_dict["targets"][0]


def test_a_disabled_alias_is_not_a_sender(alice):
    create_alias("sales@example.test", ["alice@example.test"])
    assert "sales@example.test" in sender_addresses(alice)
    set_alias_active("sales@example.test", False)
    assert sender_addresses(alice) == {"alice@example.test"}
