"""Reading tests: the signed-in clients come from tests/webmail/conftest.py."""
import pytest


@pytest.fixture(autouse=True)
def fresh_cache():
    # Sanitised bodies are cached by message id, and ids repeat across test databases.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
