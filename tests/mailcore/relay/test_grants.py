"""Relay grants: what services.py accepts and refuses, and what access.py answers."""
import pytest
from django.core.exceptions import ValidationError

from mailcore.auth.errors import AuthFailed, RateLimited
from mailcore.auth.models import RateWindow
from mailcore.directory.services import create_domain_alias
from mailcore.relay import access, services
from mailcore.relay.models import RelayNetwork, RelayToken


def field_error(call, *args, **kwargs):
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.message_dict


def test_a_secret_never_starts_with_a_dash():
    # It goes on command lines (swaks --auth-password SECRET), where "-..." reads as an option.
    secrets_made = [services._new_secret() for _ in range(3000)]  # a dash would lead 1 in 64
    assert not any(secret.startswith("-") for secret in secrets_made)
    assert all(len(secret) == 32 for secret in secrets_made)


def test_a_token_keeps_only_a_hash_of_its_secret(domain):
    token, secret = services.create_token("example.test", "app")
    assert len(secret) >= 32 and secret not in token.secret_hash
    assert token.username.startswith("relay-") and token.senders == ["@example.test"]
    assert access.check_token(token.username, secret, "192.0.2.1") == token
    with pytest.raises(AuthFailed):
        access.check_token(token.username, secret + "x", "192.0.2.1")


def test_senders_are_canonical_and_must_be_at_the_domain_or_its_aliases(domain, other_domain):
    create_domain_alias("ví-dụ.vn", "example.test")
    token, _secret = services.create_token("EXAMPLE.test", "app", senders=["Billing@Example.Test", "@ví-dụ.vn"])
    assert token.senders == ["billing@example.test", "@xn--v-d-rma6749a.vn"]
    errors = field_error(services.create_token, "example.test", "other", senders=["a@example.org"])
    assert "a@example.org is not at example.test" in errors["senders"][0]
    assert "senders" in field_error(services.create_token, "example.test", "none", senders=[])
    assert "senders" in field_error(services.create_token, "example.test", "bad", senders=["not an address"])


def test_names_networks_and_rates_are_validated(domain):
    services.create_network("example.test", "office", "192.0.2.7/24")
    assert RelayNetwork.objects.get().network == "192.0.2.0/24"
    assert "name" in field_error(services.create_network, "example.test", "office", "198.51.100.0/24")
    assert "name" in field_error(services.create_token, "example.test", "  ")
    assert "network" in field_error(services.create_network, "example.test", "x", "192.0.2.300")
    assert "network" in field_error(services.create_network, "example.test", "all", "0.0.0.0/0")
    assert "rate_per_hour" in field_error(services.create_token, "example.test", "r", rate_per_hour=-1)
    assert "domain" in field_error(services.create_token, "nowhere.example", "app")


def test_the_most_specific_active_network_wins(domain):
    services.create_network("example.test", "lan", "10.0.0.0/8")
    services.create_network("example.test", "printers", "10.1.2.0/24", senders=["scan@example.test"])
    services.create_network("example.test", "v6", "2001:db8::/32")
    assert access.network_grant("10.1.2.3").name == "printers"
    assert access.network_grant("::ffff:10.9.9.9").name == "lan"  # IPv4-mapped on a dual-stack socket
    assert access.network_grant("2001:db8::1").name == "v6"
    assert access.network_grant("192.0.2.1") is None
    assert access.network_grant("not an address") is None
    services.set_grant_active(RelayNetwork, "example.test", "printers", False)
    assert access.network_grant("10.1.2.3").name == "lan"


def test_allowed_senders_follow_domain_aliases(domain):
    create_domain_alias("example.vn", "example.test")
    token, _secret = services.create_token("example.test", "app", senders=["billing@example.test"])
    assert access.allows_sender(token, "billing@example.test")
    assert access.allows_sender(token, "billing@example.vn")
    assert not access.allows_sender(token, "sales@example.test")
    assert not access.allows_sender(token, "billing@example.org")


def test_the_rate_limit_is_per_grant(domain):
    first, _secret = services.create_token("example.test", "a", rate_per_hour=1)
    second, _secret = services.create_token("example.test", "b", rate_per_hour=0)
    access.check_rate(first)
    with pytest.raises(RateLimited):
        access.check_rate(first)
    for _message in range(5):
        access.check_rate(second)  # unlimited: nothing is counted
    assert list(RateWindow.objects.values_list("key", flat=True)) == [first.rate_key]
    assert RelayToken.objects.get(pk=first.pk).last_used is not None


def test_grants_go_with_their_domain(domain):
    services.create_token("example.test", "app")
    services.remove_grant(RelayToken, "example.test", "app")
    assert "name" in field_error(services.remove_grant, RelayToken, "example.test", "app")
    services.create_network("example.test", "lan", "10.0.0.0/8")
    domain.delete()
    assert not RelayNetwork.objects.exists()
