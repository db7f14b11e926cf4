"""Helpers for the panel's permission tests, one per rule of docs/panel.md:

    signed out          -> the sign-in page (with ?next= back here)
    mail user           -> 403
    domain admin, another domain's object (guessed id or name) -> 404, nothing changed
    domain admin, a superadmin-only view                        -> 403

Each takes a django test Client and a (method, url) pair, so an area lists its views
once and runs every rule over them (tests/panel/test_roles_domains.py shows the pattern).
"""
from django.test import Client


def call(client, method: str, url: str, data: dict | None = None):
    return getattr(client, method.lower())(url, data or {})


def assert_sends_to_sign_in(method: str, url: str, data: dict | None = None):
    response = call(Client(), method, url, data)
    assert response.status_code == 302, (method, url, response.status_code)
    assert response["Location"].startswith("/accounts/login/?next="), (method, url, response["Location"])


def assert_refuses_mail_user(mail_account, method: str, url: str, data: dict | None = None):
    """mail_account: a directory Account (alice); signed in, the panel answers 403."""
    client = Client()
    client.force_login(mail_account.user)
    response = call(client, method, url, data)
    assert response.status_code == 403, (method, url, response.status_code)


def assert_not_found(client, method: str, url: str, data: dict | None = None):
    """The object is someone else's: the view must act as if it did not exist."""
    response = call(client, method, url, data)
    assert response.status_code == 404, (method, url, response.status_code)


def assert_forbidden(client, method: str, url: str, data: dict | None = None):
    response = call(client, method, url, data)
    assert response.status_code == 403, (method, url, response.status_code)
