"""/api/v1/accounts/: admins create, change and delete the accounts of their domains (with
quota and usage); a mail user's token sees its own account only."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import Account
from tests.api.conftest import assert_problem
from tests.conftest import PASSWORD


def test_an_admin_creates_an_account_with_a_quota(owner_api, domain_admin):
    response = owner_api.post("/api/v1/accounts/", {"address": "dung@example.test", "password": PASSWORD,
                                                    "quota": 1_000_000, "display_name": "Nguyễn Dũng"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["address"] == "dung@example.test" and body["quota"] == 1_000_000 and body["used_bytes"] == 0
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.actor == domain_admin and entry.via == "api" and entry.after["quota"] == 1_000_000


def test_a_domain_admin_cannot_create_an_account_in_another_domain(owner_api, other_domain):
    body = assert_problem(owner_api.post("/api/v1/accounts/", {"address": "x@example.org", "password": PASSWORD}),
                          400)
    assert body["errors"][0]["pointer"] == "#/address"
    assert not Account.objects.filter(localpart="x").exists()


def test_the_services_rules_come_back_as_field_errors(root_api, alice):
    body = assert_problem(root_api.post("/api/v1/accounts/", {"address": "alice@example.test",
                                                              "password": PASSWORD}), 400)
    assert body["errors"] == [{"pointer": "#/address", "detail": "The account alice@example.test already exists."}]
    body = assert_problem(root_api.post("/api/v1/accounts/", {"address": "new@example.test"}), 400)
    assert body["errors"][0]["pointer"] == "#/password"


def test_a_domain_admin_lists_and_reads_only_their_domains_accounts(owner_api, alice, charlie):
    listed = owner_api.get("/api/v1/accounts/").json()["results"]
    assert [a["address"] for a in listed] == ["alice@example.test"]
    assert_problem(owner_api.get(f"/api/v1/accounts/{charlie.pk}/"), 404)
    assert_problem(owner_api.patch(f"/api/v1/accounts/{charlie.pk}/", {"quota": 5}), 404)
    assert_problem(owner_api.delete(f"/api/v1/accounts/{charlie.pk}/"), 404)
    assert_problem(owner_api.get("/api/v1/accounts/", domain="example.org"), 404)
    assert Account.objects.filter(pk=charlie.pk).exists()


def test_an_admin_changes_quota_and_state_and_the_change_is_audited(owner_api, alice):
    response = owner_api.patch(f"/api/v1/accounts/{alice.pk}/", {"quota": 5_000_000, "active": False})
    assert response.status_code == 200 and response.json()["quota"] == 5_000_000
    assert response.json()["active"] is False
    entry = AuditEntry.objects.get(action="account.update")
    assert entry.before == {"quota": alice.quota, "active": True}
    assert entry.after == {"quota": 5_000_000, "active": False}


def test_a_password_change_revokes_app_passwords(owner_api, alice):
    from mailcore.directory.services import create_app_password

    create_app_password(alice.address, "phone")
    response = owner_api.patch(f"/api/v1/accounts/{alice.pk}/", {"password": "another long passphrase 42"})
    assert response.status_code == 200
    alice.user.refresh_from_db()
    assert alice.user.check_password("another long passphrase 42") and not alice.app_passwords.exists()
    assert AuditEntry.objects.get(action="account.password").after["app_passwords_revoked"] == 1


def test_a_mail_users_token_sees_and_renames_only_its_own_account(alice_api, alice, bob):
    listed = alice_api.get("/api/v1/accounts/").json()["results"]
    assert [a["id"] for a in listed] == [alice.pk]
    assert_problem(alice_api.get(f"/api/v1/accounts/{bob.pk}/"), 404)
    assert alice_api.patch(f"/api/v1/accounts/{alice.pk}/", {"display_name": "Alice Ng"}).json()["display_name"] == \
        "Alice Ng"
    assert_problem(alice_api.patch(f"/api/v1/accounts/{alice.pk}/", {"quota": 0}), 403)
    assert_problem(alice_api.post("/api/v1/accounts/", {"address": "z@example.test", "password": PASSWORD}), 403)
    assert_problem(alice_api.delete(f"/api/v1/accounts/{alice.pk}/"), 403)


def test_deleting_an_account_goes_through_the_directory(root_api, alice):
    assert root_api.delete(f"/api/v1/accounts/{alice.pk}/").status_code == 204
    assert not Account.objects.filter(pk=alice.pk).exists()
    assert AuditEntry.objects.get(action="account.delete").via == "api"
