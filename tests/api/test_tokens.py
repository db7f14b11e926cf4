"""Bearer tokens (RFC 6750): a missing, unknown, expired or revoked token gets 401 with
WWW-Authenticate; a token works with its owner's role as it is at each request."""
from datetime import timedelta

from django.utils import timezone

from mailcore.auth import api_tokens
from mailcore.auth.models import ApiToken
from mailcore.directory.models import DomainAdmin
from tests.api.conftest import ApiClient, assert_problem, make_token


def test_no_token_is_refused_with_a_bearer_challenge(db):
    body = assert_problem(ApiClient(None).get("/api/v1/domains/"), 401)
    assert body["detail"]
    response = ApiClient(None).get("/api/v1/domains/")
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_an_unknown_or_malformed_token_is_refused(db):
    for text in ("hopthu_0000000000_nothing", "nonsense", "hopthu_", "hopthu_\u00e9_x"):
        assert_problem(ApiClient(text).get("/api/v1/domains/"), 401)
    response = ApiClient(None).client.get("/api/v1/domains/", headers={"Authorization": "Bearer a b"})
    assert_problem(response, 401)


def test_a_token_is_stored_only_as_its_hash(superadmin):
    row, text = api_tokens.create_token(superadmin, "ci", days=30)
    assert text.startswith(f"hopthu_{row.prefix}_") and len(text) > 50
    stored = ApiToken.objects.get(pk=row.pk)
    assert text not in (stored.secret_hash, stored.prefix) and stored.secret_hash == api_tokens.hash_token(text)


def test_an_expired_token_is_refused(superadmin):
    text = make_token(superadmin)
    api = ApiClient(text)
    assert api.get("/api/v1/domains/").status_code == 200
    ApiToken.objects.update(expires=timezone.now() - timedelta(seconds=1))
    assert_problem(api.get("/api/v1/domains/"), 401)


def test_a_revoked_token_is_refused_at_once(superadmin):
    text = make_token(superadmin)
    api = ApiClient(text)
    assert api.get("/api/v1/domains/").status_code == 200
    api_tokens.revoke_token(superadmin, ApiToken.objects.get().pk)
    assert_problem(api.get("/api/v1/domains/"), 401)


def test_a_token_stops_with_its_disabled_owner(superadmin):
    api = ApiClient(make_token(superadmin))
    superadmin.is_active = False
    superadmin.save()
    assert_problem(api.get("/api/v1/domains/"), 401)


def test_a_mail_users_token_stops_with_the_disabled_account(alice):
    from mailcore.directory.services import set_account_active

    api = ApiClient(make_token(alice.user))
    assert api.get("/api/v1/accounts/").status_code == 200
    set_account_active(alice.address, False)
    assert_problem(api.get("/api/v1/accounts/"), 401)


def test_a_domain_admin_who_loses_the_grant_loses_it_through_the_token(owner_api, domain_admin, domain):
    assert owner_api.get("/api/v1/domains/example.test/").status_code == 200
    DomainAdmin.objects.filter(user=domain_admin).delete()
    assert_problem(owner_api.get("/api/v1/domains/example.test/"), 403)


def test_last_used_is_recorded(superadmin):
    ApiClient(make_token(superadmin)).get("/api/v1/domains/")
    assert ApiToken.objects.get().last_used is not None


def test_an_unknown_api_path_is_a_problem_document(root_api):
    assert_problem(root_api.get("/api/v1/nothing-here/"), 404)
    assert_problem(root_api.client.put("/api/v1/domains/", data="{}", content_type="application/json",
                                       headers=root_api.headers), 405)
    response = root_api.client.post("/api/v1/domains/", data="name=x", content_type="application/x-www-form-urlencoded",
                                    headers=root_api.headers)
    assert_problem(response, 415)
    response = root_api.client.post("/api/v1/domains/", data="{not json", content_type="application/json",
                                    headers=root_api.headers)
    assert_problem(response, 400)


def test_a_signed_in_panel_session_is_not_a_token(superadmin):
    # Only bearer tokens authenticate: a browser's session cookie cannot be ridden (no CSRF).
    from django.test import Client

    super_client = Client()
    super_client.force_login(superadmin)
    assert_problem(super_client.get("/api/v1/domains/"), 401)
    assert_problem(super_client.post("/api/v1/domains/", data={"name": "x.test"}, content_type="application/json"),
                   401)


def test_lists_are_paged_at_most_100(root_api, db):
    from mailcore.directory.models import Domain

    Domain.objects.bulk_create(Domain(name=f"d{n:03d}.test") for n in range(105))
    body = root_api.get("/api/v1/domains/", limit=1000).json()
    assert body["count"] == 105 and len(body["results"]) == 100 and body["next"]
    assert len(root_api.get("/api/v1/domains/", offset=100).json()["results"]) == 5
