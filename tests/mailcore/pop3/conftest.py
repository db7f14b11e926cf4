"""A running mail core with the POP3 listeners on free loopback ports."""
import contextlib
import poplib

import pytest

from mailcore.pop3.listeners import FACTORIES
from tests.support.hosts import running_host, tls_context  # noqa: F401  (tls_context: for the tests)


@pytest.fixture
def pop_host(settings, tmp_path, transactional_db):
    with running_host(settings, tmp_path, FACTORIES, ("pop3", "pop3s")) as host:
        yield host


@pytest.fixture
def pop(pop_host):
    client = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    yield client
    with contextlib.suppress(OSError):
        client.close()
