"""The panel's API tokens page: a token is shown once (not cached), stored hashed, audited,
and each admin revokes only their own."""
from mailcore.audit.models import AuditEntry
from mailcore.auth.api_tokens import hash_token
from mailcore.auth.models import ApiToken


def test_a_new_token_is_shown_once_and_works(super_client, superadmin):
    response = super_client.post("/panel/api-tokens/", {"name": "provisioning", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    text = response.context["new_token_text"]
    assert text in response.content.decode()
    token = ApiToken.objects.get(user=superadmin)
    assert token.secret_hash == hash_token(text)
    assert text not in super_client.get("/panel/api-tokens/").content.decode()
    api = super_client.get("/api/v1/domains/", headers={"Authorization": f"Bearer {text}"})
    assert api.status_code == 200
    assert AuditEntry.objects.get(action="api_token.create").actor == superadmin


def test_a_token_needs_a_name_and_an_offered_expiry(owner_client):
    response = owner_client.post("/panel/api-tokens/", {"name": "", "days": "9999"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_an_admin_revokes_their_token_but_not_anothers(owner_client, domain_admin, superadmin):
    from mailcore.auth.api_tokens import create_token

    mine, _text = create_token(domain_admin, "mine", days=7)
    theirs, _text = create_token(superadmin, "theirs", days=7)
    assert owner_client.post(f"/panel/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert owner_client.post(f"/panel/api-tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked is not None and theirs.revoked is None
    assert AuditEntry.objects.get(action="api_token.revoke").before["name"] == "mine"
    assert list(owner_client.get("/panel/api-tokens/").context["tokens"]) == []
