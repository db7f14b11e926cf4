"""The mail user's API tokens page: a token shown once that reaches only their own account
through the API, revoked from the same page; both audited."""
import pytest

from mailcore.audit.models import AuditEntry
from mailcore.auth.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_shown_once_and_reaches_only_the_users_own_account(alice_rechecked, alice, bob):
    response = alice_rechecked.post("/mail/settings/api-tokens/", {"name": "backup script", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    text = response.context["new_token_text"]
    assert text in response.content.decode()
    assert text not in alice_rechecked.get("/mail/settings/api-tokens/").content.decode()
    headers = {"Authorization": f"Bearer {text}"}
    assert alice_rechecked.get(f"/api/v1/accounts/{alice.pk}/", headers=headers).status_code == 200
    assert alice_rechecked.get(f"/api/v1/accounts/{bob.pk}/", headers=headers).status_code == 404
    assert alice_rechecked.get("/api/v1/domains/", headers=headers).status_code == 403
    entry = AuditEntry.objects.get(action="api_token.create")
    assert entry.actor == alice.user and entry.domain == "example.test"


def test_a_token_is_revoked_and_another_users_is_not_reachable(alice_rechecked, alice, bob):
    from mailcore.auth.api_tokens import create_token

    mine, _text = create_token(alice.user, "mine", days=7)
    theirs, _text = create_token(bob.user, "theirs", days=7)
    alice_rechecked.post(f"/mail/settings/api-tokens/{theirs.pk}/revoke/")
    alice_rechecked.post(f"/mail/settings/api-tokens/{mine.pk}/revoke/")
    assert ApiToken.objects.get(pk=mine.pk).revoked is not None
    assert ApiToken.objects.get(pk=theirs.pk).revoked is None
    assert AuditEntry.objects.get(action="api_token.revoke").object_repr == "mine"
