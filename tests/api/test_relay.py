"""/api/v1/relay/: superadmins make, disable and remove relay tokens and networks through
mailcore.relay.services; a token's secret is shown once and authenticates at the relay port."""
from mailcore.audit.models import AuditEntry
from mailcore.relay.access import check_token
from mailcore.relay.models import RelayNetwork, RelayToken
from tests.api.conftest import assert_problem


def test_a_relay_token_is_made_with_its_secret_once(root_api, domain):
    response = root_api.post("/api/v1/relay/tokens/", {"domain": "example.test", "name": "shop",
                                                       "senders": ["orders@example.test"]})
    assert response.status_code == 201, response.content
    body = response.json()
    token = RelayToken.objects.get()
    assert check_token(body["username"], body["secret"], "127.0.0.1") == token
    assert "secret" not in root_api.get(f"/api/v1/relay/tokens/{token.pk}/").json()
    entry = AuditEntry.objects.get(action="relay_token.create")
    assert entry.via == "api" and body["secret"] not in str(entry.after)


def test_a_relay_token_is_disabled_then_removed(root_api, domain):
    from mailcore.relay.services import create_token

    token, _secret = create_token("example.test", "app")
    response = root_api.patch(f"/api/v1/relay/tokens/{token.pk}/", {"active": False})
    assert response.status_code == 200 and response.json()["active"] is False
    assert root_api.delete(f"/api/v1/relay/tokens/{token.pk}/").status_code == 204
    assert not RelayToken.objects.exists()
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["relay_token.update", "relay_token.delete"]


def test_a_relay_network_is_checked_by_the_service(root_api, domain):
    body = assert_problem(root_api.post("/api/v1/relay/networks/", {"domain": "example.test", "name": "all",
                                                                    "network": "0.0.0.0/0"}), 400)
    assert body["errors"][0]["pointer"] == "#/network"
    response = root_api.post("/api/v1/relay/networks/", {"domain": "example.test", "name": "printers",
                                                         "network": "192.0.2.0/24"})
    assert response.status_code == 201 and RelayNetwork.objects.get().network == "192.0.2.0/24"
    assert [n["name"] for n in root_api.get("/api/v1/relay/networks/").json()["results"]] == ["printers"]


def test_relay_grants_are_the_superadmins_only(owner_api, domain):
    assert_problem(owner_api.get("/api/v1/relay/tokens/"), 403)
    assert_problem(owner_api.post("/api/v1/relay/networks/", {"domain": "example.test", "name": "x",
                                                              "network": "192.0.2.1"}), 403)
