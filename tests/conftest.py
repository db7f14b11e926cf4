"""Fixtures shared by the whole suite.

The cast (after healthchecks): alice and bob share the domain example.test, charlie is
on example.org. Blobs go to a fresh directory per test.
"""
import os

import pytest

# clamd, rspamd and slapd fixtures (started only when a test asks for them); test modules also
# import the ones they use, which reads better than a fixture from nowhere.
pytest_plugins = ["tests.support.services_filters", "tests.support.ldap", "tests.support.ldap_login",
                  "tests.support.redis_service"]

# The suite's clients log in over plain loopback, as under `make run`; the product's own
# default is off (docs/security.md). The environment is for the processes the service
# tests start; the fixture below for this one (Django has read its settings already).
os.environ.setdefault("HOPTHU_LOOPBACK_IS_SECURE", "1")
# A clamd the developer runs on this machine must not scan the suite's mail: HOPTHU_CLAMD's
# default "auto" finds nothing unless a test points the search at its own clamd.
os.environ.setdefault("HOPTHU_CLAMD_SEARCH", "")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's, and before the test database is dropped: the store notices'
    listening connection (PostgreSQL) closed, or the drop finds it in use."""
    yield
    from mailcore.store import notices

    notices.stop()


@pytest.fixture(autouse=True)
def loopback_is_secure(settings):
    settings.HOPTHU_LOOPBACK_IS_SECURE = True


@pytest.fixture(autouse=True)
def no_clamd_found_by_default(settings):
    settings.HOPTHU_CLAMD_SEARCH = []

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness would dominate the suite; hashing itself is Django's.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # Pages render without `collectstatic`: the manifest storage is for deployments.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture(autouse=True)
def default_language():
    # A request in Vietnamese (LocaleMiddleware) leaves its language active in the thread
    # after the test client returns: the next test must start in the default language.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_directory_cache():
    # Test databases are flushed or rolled back without model signals: start clean.
    from mailcore.directory.disabled import forget as forget_disabled_accounts
    from mailcore.directory.lookup import clear_cache
    from mailcore.filters.bayes import clear_cache as clear_trained_classifiers
    from mailcore.filters.greylist import clear_cache as clear_greylist_domains
    from mailcore.filters.policy import clear_cache as clear_filter_policies
    from mailcore.relay.access import clear_cache as clear_relay_networks
    from mailcore.smtp.policy import clear_recipient_cache

    caches = (clear_cache, clear_relay_networks, clear_recipient_cache, clear_greylist_domains,
              clear_trained_classifiers, clear_filter_policies, forget_disabled_accounts)
    for clear in caches:
        clear()
    yield
    from mailcore.stats import pending

    # SMTP refusals counted in memory by one test must not be written during the next.
    for clear in (*caches, pending.discard):
        clear()


@pytest.fixture(autouse=True)
def blob_dir(settings, tmp_path):
    settings.HOPTHU_BLOB_DIR = tmp_path / "blobs"
    settings.HOPTHU_DKIM_DIR = tmp_path / "dkim"  # keys made for test domains stay out of var/
    return settings.HOPTHU_BLOB_DIR


@pytest.fixture
def domain(db):
    from mailcore.directory.services import create_domain

    return create_domain("example.test")


@pytest.fixture
def other_domain(db):
    from mailcore.directory.services import create_domain

    return create_domain("example.org")


@pytest.fixture
def alice(domain):
    from mailcore.directory.services import create_account

    return create_account("alice@example.test", PASSWORD)


@pytest.fixture
def bob(domain):
    from mailcore.directory.services import create_account

    return create_account("bob@example.test", PASSWORD)


@pytest.fixture
def charlie(other_domain):
    from mailcore.directory.services import create_account

    return create_account("charlie@example.org", PASSWORD)


@pytest.fixture(scope="session")
def quiet_dns():
    """A stub DNS server that knows no names: lookups end at once in NXDOMAIN."""
    from tests.support.dns_server import StubDNSServer

    server = StubDNSServer().start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def no_outside_dns(settings, quiet_dns):
    # Tests run on loopback only: the system resolver would make every SPF/DKIM/DMARC
    # check of the MX wait for a timeout.
    settings.HOPTHU_DNS_SERVERS = quiet_dns.address
    settings.HOPTHU_DNS_TIMEOUT = 2
    from mailcore.dns import flush_cache

    flush_cache()  # answers cached by an earlier test's records must not leak into this one


@pytest.fixture
def dns_server(settings):
    """A stub DNS server on loopback that the mail core's resolver asks (mailcore/dns.py)."""
    from tests.support.dns_server import StubDNSServer

    server = StubDNSServer().start()
    settings.HOPTHU_DNS_SERVERS = server.address
    settings.HOPTHU_DNS_TIMEOUT = 2
    yield server
    server.stop()
