"""/api/v1/aliases/: the same rules as the panel (loops, unknown local targets, limits),
scoped to the admin's domains."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Alias
from tests.api.conftest import assert_problem


def test_an_admin_creates_changes_and_deletes_an_alias(owner_api, alice, bob):
    response = owner_api.post("/api/v1/aliases/", {"source": "sales@example.test", "targets": ["alice@example.test"]})
    assert response.status_code == 201, response.content
    alias_id = response.json()["id"]
    assert response.json()["targets"] == ["alice@example.test"]
    response = owner_api.put(f"/api/v1/aliases/{alias_id}/", {"targets": ["bob@example.test", "x@elsewhere.test"]})
    assert response.json()["targets"] == ["bob@example.test", "x@elsewhere.test"]
    assert owner_api.delete(f"/api/v1/aliases/{alias_id}/").status_code == 204
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "via"))
    assert actions == [("alias.create", "api"), ("alias.update", "api"), ("alias.delete", "api")]


def test_an_unknown_local_target_and_a_loop_are_refused(root_api, alice):
    body = assert_problem(root_api.post("/api/v1/aliases/", {"source": "a@example.test",
                                                             "targets": ["nobody@example.test"]}), 400)
    assert body["errors"][0]["pointer"] == "#/targets"
    body = assert_problem(root_api.post("/api/v1/aliases/", {"source": "b@example.test",
                                                             "targets": ["b@example.test"]}), 400)
    assert body["errors"][0]["pointer"] == "#/targets"
    assert not Alias.objects.exists()


def test_a_domain_admin_cannot_reach_another_domains_alias(owner_api, charlie):
    from mailcore.directory.services import create_alias

    alias = create_alias("info@example.org", ["charlie@example.org"])
    assert_problem(owner_api.get(f"/api/v1/aliases/{alias.pk}/"), 404)
    assert_problem(owner_api.put(f"/api/v1/aliases/{alias.pk}/", {"targets": ["x@elsewhere.test"]}), 404)
    assert_problem(owner_api.delete(f"/api/v1/aliases/{alias.pk}/"), 404)
    assert owner_api.get("/api/v1/aliases/").json()["results"] == []
    body = assert_problem(owner_api.post("/api/v1/aliases/", {"source": "new@example.org",
                                                              "targets": ["x@elsewhere.test"]}), 400)
    assert body["errors"][0]["pointer"] == "#/source"


def test_a_mail_users_token_has_no_aliases(alice_api):
    assert_problem(alice_api.get("/api/v1/aliases/"), 403)
