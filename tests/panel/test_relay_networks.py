"""Relay networks in the panel: added, disabled, enabled and removed through
mailcore.relay.services (the CLI's functions), checked as the CLI checks them; audited."""
import pytest
from django.urls import reverse

from mailcore.audit.models import AuditEntry
from mailcore.relay import services
from mailcore.relay.access import network_grant
from mailcore.relay.models import RelayNetwork

URL = reverse("panel:relay_networks")


def add(client, **fields):
    data = {"domain": "example.test", "name": "office printers", "network": "192.0.2.0/24",
            "senders": "scanner@example.test", "rate_per_hour": "50", **fields}
    return client.post(URL, data)


def test_adding_a_network_lets_its_clients_relay(super_client, domain):
    response = add(super_client)
    assert response.status_code == 302
    grant = RelayNetwork.objects.get()
    assert (grant.network, grant.senders, grant.rate_per_hour) == ("192.0.2.0/24", ["scanner@example.test"], 50)
    assert network_grant("192.0.2.77") == grant  # what the relay port asks at MAIL
    assert network_grant("198.51.100.1") is None
    page = super_client.get(URL).content.decode()
    assert "192.0.2.0/24" in page and "office printers" in page


def test_a_host_address_is_kept_as_a_single_address_network(super_client, domain):
    add(super_client, network="192.0.2.9")
    assert RelayNetwork.objects.get().network == "192.0.2.9/32"


@pytest.mark.parametrize("network, words", [
    ("0.0.0.0/0", "cannot be the whole Internet"),
    ("::/0", "cannot be the whole Internet"),
    ("printers", "is not an IP address or network"),
])
def test_bad_networks_are_errors_on_the_network_field(super_client, domain, network, words):
    response = add(super_client, network=network)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors["network"])
    assert not RelayNetwork.objects.exists()


def test_adding_is_audited_as_a_sentence(super_client, domain):
    add(super_client)
    entry = AuditEntry.objects.get(action="relay_network.create")
    assert entry.after == {"domain": "example.test", "network": "192.0.2.0/24",
                           "senders": ["scanner@example.test"], "rate_per_hour": 50}
    page = super_client.get(reverse("panel:audit_log")).content.decode()
    assert ("root let the network 192.0.2.0/24 send mail as example.test without a password "
            "(relay network “office printers”).") in page


def test_a_disabled_network_no_longer_relays(super_client, domain):
    grant = services.create_network("example.test", "printers", "192.0.2.0/24")
    super_client.post(reverse("panel:relay_network_active", args=[grant.pk]), {"active": "0"})
    assert RelayNetwork.objects.get().active is False
    assert network_grant("192.0.2.1") is None
    assert AuditEntry.objects.get(action="relay_network.update").after["active"] is False


def test_removing_a_network_deletes_it_and_is_audited(super_client, domain):
    grant = services.create_network("example.test", "printers", "192.0.2.0/24")
    assert super_client.post(reverse("panel:relay_network_delete", args=[grant.pk])).status_code == 302
    assert not RelayNetwork.objects.exists()
    assert AuditEntry.objects.get(action="relay_network.delete").before["network"] == "192.0.2.0/24"


def test_an_unknown_grant_is_a_404(super_client, db):
    assert super_client.post(reverse("panel:relay_network_delete", args=[999])).status_code == 404
    assert super_client.post(reverse("panel:relay_token_revoke", args=[999])).status_code == 404
