"""Fixtures for the REST API: tokens for the three roles, and a client that sends one.

The cast is the suite's: alice and bob at example.test, charlie at example.org; "root" is
a superadmin and "owner" administers example.test only (example.org is not theirs).
"""
import pytest
from django.test import Client

from tests.conftest import PASSWORD


class ApiClient:
    """Django's test client speaking JSON with `Authorization: Bearer <token>` over HTTP."""

    def __init__(self, token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method, path, body=None, **params):
        kwargs = {"headers": self.headers}
        if body is not None:
            kwargs.update(data=body, content_type="application/json")
        elif params:
            kwargs["data"] = params
        if method in ("delete", "patch", "put") and params:
            path = f"{path}?" + "&".join(f"{k}={v}" for k, v in params.items())
            kwargs.pop("data", None) if body is None else None
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path, **params):
        return self._call("get", path, **params)

    def post(self, path, body=None):
        return self._call("post", path, body if body is not None else {})

    def patch(self, path, body):
        return self._call("patch", path, body)

    def put(self, path, body):
        return self._call("put", path, body)

    def delete(self, path, **params):
        return self._call("delete", path, **params)


def make_token(user, name="script", days=30) -> str:
    from mailcore.auth.api_tokens import create_token

    return create_token(user, name, days=days)[1]


@pytest.fixture
def superadmin(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", email="", password=PASSWORD)


@pytest.fixture
def domain_admin(domain, other_domain):
    from django.contrib.auth import get_user_model

    from mailcore.directory.models import DomainAdmin

    user = get_user_model().objects.create_user("owner", email="", password=PASSWORD)
    DomainAdmin.objects.create(user=user, domain=domain)
    return user


@pytest.fixture
def root_api(superadmin):
    return ApiClient(make_token(superadmin))


@pytest.fixture
def owner_api(domain_admin):
    return ApiClient(make_token(domain_admin))


@pytest.fixture
def alice_api(alice):
    return ApiClient(make_token(alice.user))


def assert_problem(response, status: int):
    """An RFC 9457 problem document with this status (RFC 9457 §3.1 members)."""
    assert response.status_code == status, (response.status_code, response.content)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank"
    assert body["title"] and body["detail"]
    return body
