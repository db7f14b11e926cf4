"""Fixtures for webmail view tests: a browser-side client signed in as alice."""
import pytest


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice.user)
    return client


@pytest.fixture
def bob_client(bob):
    from django.test import Client

    client = Client()
    client.force_login(bob.user)
    return client


def enter_password_again(client, password=None):
    """allauth's reauthentication, as a user does before a security change (docs/security.md)."""
    from django.core.cache import cache

    from tests.conftest import PASSWORD

    cache.clear()  # allauth's rate limit on reauthentication counts in the cache, across tests
    response = client.post("/accounts/reauthenticate/", {"password": password or PASSWORD})
    assert response.status_code == 302, "the password was not accepted again"
    return client


@pytest.fixture
def alice_rechecked(alice_client):
    """alice_client, having just entered the password again."""
    return enter_password_again(alice_client)


@pytest.fixture
def bob_rechecked(bob_client):
    return enter_password_again(bob_client)
