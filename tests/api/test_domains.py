"""/api/v1/domains/: the superadmin adds, limits and removes domains; a domain admin sees
and sets the policy of their own, and another domain is not there for them (404)."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Domain
from tests.api.conftest import assert_problem


def test_a_superadmin_adds_a_domain_and_it_is_audited_as_made_through_the_api(root_api, superadmin):
    response = root_api.post("/api/v1/domains/", {"name": "ví-dụ.vn", "max_accounts": 5})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "ví-dụ.vn" and body["ascii_name"] == "xn--v-d-rma6749a.vn"
    assert body["max_accounts"] == 5 and body["account_count"] == 0
    entry = AuditEntry.objects.get(action="domain.create")
    assert entry.actor == superadmin and entry.via == "api" and entry.domain == "xn--v-d-rma6749a.vn"


def test_a_refused_domain_is_a_problem_document_naming_the_field(root_api, domain):
    body = assert_problem(root_api.post("/api/v1/domains/", {"name": "example.test"}), 400)
    assert body["errors"] == [{"pointer": "#/domain", "detail": "The domain example.test already exists."}]
    body = assert_problem(root_api.post("/api/v1/domains/", {"name": "x.test", "max_accounts": -1}), 400)
    assert body["errors"][0]["pointer"] == "#/max_accounts"


def test_a_domain_admin_lists_only_their_domains(owner_api, domain, other_domain):
    response = owner_api.get("/api/v1/domains/")
    assert response.status_code == 200
    assert [d["name"] for d in response.json()["results"]] == ["example.test"]


def test_a_domain_admin_cannot_see_another_domain(owner_api, other_domain):
    assert_problem(owner_api.get("/api/v1/domains/example.org/"), 404)
    assert_problem(owner_api.patch("/api/v1/domains/example.org/", {"dmarc_reject": False}), 404)
    assert Domain.objects.get(name="example.org").dmarc_reject is True


def test_a_domain_admin_sets_the_policy_but_not_the_limits(owner_api, domain):
    response = owner_api.patch("/api/v1/domains/example.test/", {"dmarc_reject": False})
    assert response.status_code == 200 and response.json()["dmarc_reject"] is False
    entry = AuditEntry.objects.get(action="domain.update")
    assert entry.before == {"dmarc_reject": True} and entry.after == {"dmarc_reject": False} and entry.via == "api"
    assert_problem(owner_api.patch("/api/v1/domains/example.test/", {"max_accounts": 1000}), 403)
    assert_problem(owner_api.post("/api/v1/domains/", {"name": "mine.test"}), 403)
    assert_problem(owner_api.delete("/api/v1/domains/example.test/"), 403)
    assert not Domain.objects.filter(name="mine.test").exists()


def test_a_mail_users_token_reaches_no_domain(alice_api):
    assert_problem(alice_api.get("/api/v1/domains/"), 403)


def test_removing_a_domain_with_accounts_needs_remove_accounts(root_api, alice):
    body = assert_problem(root_api.delete("/api/v1/domains/example.test/"), 400)
    assert body["errors"][0]["pointer"] == "#/domain"
    assert root_api.delete("/api/v1/domains/example.test/", remove_accounts="true").status_code == 204
    assert not Domain.objects.filter(name="example.test").exists()
    assert AuditEntry.objects.get(action="domain.delete").before["accounts"] == ["alice@example.test"]


def test_domain_aliases_are_added_and_removed_by_a_superadmin(root_api, owner_api, domain):
    response = root_api.post("/api/v1/domains/example.test/domain-aliases/", {"name": "example.net"})
    assert response.status_code == 201 and response.json()["target"] == "example.test"
    listed = owner_api.get("/api/v1/domains/example.test/domain-aliases/").json()
    assert [a["name"] for a in listed] == ["example.net"]
    assert_problem(owner_api.delete("/api/v1/domains/example.test/domain-aliases/example.net/"), 403)
    assert root_api.delete("/api/v1/domains/example.test/domain-aliases/example.net/").status_code == 204
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["domain_alias.create", "domain_alias.delete"]
