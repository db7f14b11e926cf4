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
