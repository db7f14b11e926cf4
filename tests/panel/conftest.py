"""Fixtures for panel tests: a superadmin, a domain admin of example.test only, and clients."""
import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def superadmin(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", email="", password=PASSWORD)


@pytest.fixture
def domain_admin(domain, other_domain):
    """Administers example.test; example.org exists but is not theirs."""
    from django.contrib.auth import get_user_model

    from mailcore.directory.models import DomainAdmin

    user = get_user_model().objects.create_user("owner", email="", password=PASSWORD)
    DomainAdmin.objects.create(user=user, domain=domain)
    return user


@pytest.fixture
def super_client(superadmin):
    client = Client()
    client.force_login(superadmin)
    return client


@pytest.fixture
def owner_client(domain_admin):
    client = Client()
    client.force_login(domain_admin)
    return client
