"""Fixtures for the auth tests: a clean credential cache, a counting hasher, a login helper."""
import pytest

from mailcore.auth import cache


@pytest.fixture(autouse=True)
def fresh_credential_cache():
    # The cache is per process; a test must not see the logins of the one before.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hash_checks(settings):
    """How many password hashes were verified since the test started (call it)."""
    from tests.mailcore.auth.hashers import CountingHasher

    settings.PASSWORD_HASHERS = ["tests.mailcore.auth.hashers.CountingHasher"]
    start = CountingHasher.verified
    return lambda: CountingHasher.verified - start
