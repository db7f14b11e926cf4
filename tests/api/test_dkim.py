"""/api/v1/domains/{name}/dkim/: the panel's two-step rotation (mailcore.dkim.keys) for
the domain's admins, and another domain's keys are not there."""
from mailcore.audit.models import AuditEntry
from mailcore.dkim import keys
from tests.api.conftest import assert_problem


def test_keys_are_listed_with_their_dns_record(owner_api, domain):
    keys.create_key(domain)
    [row] = owner_api.get("/api/v1/domains/example.test/dkim/").json()
    assert row["state"] == "active" and row["dns_name"].endswith("._domainkey.example.test")
    assert row["dns_value"].startswith("v=DKIM1; k=rsa; p=")


def test_a_rotation_waits_for_dns_unless_forced(owner_api, domain):
    keys.create_key(domain)
    response = owner_api.post("/api/v1/domains/example.test/dkim/")
    assert response.status_code == 201 and response.json()["state"] == "pending"
    body = assert_problem(owner_api.post("/api/v1/domains/example.test/dkim/activate/", {}), 400)
    assert body["errors"][0]["pointer"] == "#/force"  # the stub DNS has no record
    response = owner_api.post("/api/v1/domains/example.test/dkim/activate/", {"force": True})
    assert response.status_code == 200 and response.json()["state"] == "active"
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "via"))
    assert actions == [("dkim.prepare", "api"), ("dkim.activate", "api")]


def test_a_pending_key_is_thrown_away(owner_api, domain):
    keys.create_key(domain)
    owner_api.post("/api/v1/domains/example.test/dkim/")
    assert owner_api.delete("/api/v1/domains/example.test/dkim/pending/").status_code == 204
    assert keys.pending_key(domain) is None
    assert_problem(owner_api.delete("/api/v1/domains/example.test/dkim/pending/"), 404)


def test_another_domains_keys_are_not_there(owner_api, other_domain):
    assert_problem(owner_api.get("/api/v1/domains/example.org/dkim/"), 404)
    assert_problem(owner_api.post("/api/v1/domains/example.org/dkim/"), 404)
