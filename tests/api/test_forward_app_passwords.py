"""/api/v1/accounts/{id}/forward/ and /app-passwords/: an admin for their domains' accounts,
a mail user for their own; an app password is shown once and stored hashed."""
from mailcore.audit.models import AuditEntry
from mailcore.directory.models import AppPassword
from tests.api.conftest import assert_problem


def test_a_mail_user_forwards_their_own_mail(alice_api, alice):
    url = f"/api/v1/accounts/{alice.pk}/forward/"
    assert alice_api.get(url).json() == {"targets": [], "keep_copy": True}
    response = alice_api.put(url, {"targets": ["alice@elsewhere.test"], "keep_copy": False})
    assert response.status_code == 200 and response.json() == {"targets": ["alice@elsewhere.test"],
                                                                "keep_copy": False}
    entry = AuditEntry.objects.get(action="account.forward")
    assert entry.actor == alice.user and entry.via == "api"
    assert alice_api.put(url, {"targets": []}).json()["targets"] == []


def test_a_forward_back_to_itself_is_refused(owner_api, alice):
    body = assert_problem(owner_api.put(f"/api/v1/accounts/{alice.pk}/forward/",
                                        {"targets": ["alice@example.test"]}), 400)
    assert body["errors"][0]["pointer"] == "#/targets"


def test_an_app_password_is_shown_once_and_stored_hashed(alice_api, alice):
    url = f"/api/v1/accounts/{alice.pk}/app-passwords/"
    response = alice_api.post(url, {"name": "phone"})
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    plaintext = response.json()["password"]
    stored = AppPassword.objects.get(account=alice)
    assert plaintext not in stored.password
    listed = alice_api.get(url).json()
    assert listed == [{"id": stored.pk, "name": "phone", "created": listed[0]["created"], "last_used": None}]
    assert alice_api.delete(f"{url}{stored.pk}/").status_code == 204
    assert not AppPassword.objects.exists()


def test_another_users_forward_and_app_passwords_are_not_there(alice_api, owner_api, bob, charlie):
    assert_problem(alice_api.get(f"/api/v1/accounts/{bob.pk}/forward/"), 404)
    assert_problem(alice_api.post(f"/api/v1/accounts/{bob.pk}/app-passwords/", {"name": "x"}), 404)
    assert_problem(owner_api.put(f"/api/v1/accounts/{charlie.pk}/forward/", {"targets": ["x@elsewhere.test"]}), 404)
    assert_problem(owner_api.get(f"/api/v1/accounts/{charlie.pk}/app-passwords/"), 404)
