"""A running mail core with the IMAP listeners on free loopback ports."""
import contextlib
import imaplib

import pytest

from mailcore.imap.listeners import FACTORIES
from tests.support.hosts import running_host, tls_context  # noqa: F401  (tls_context: for the tests)


@pytest.fixture
def imap_host(settings, tmp_path, transactional_db):
    with running_host(settings, tmp_path, FACTORIES, ("imap", "imaps")) as host:
        yield host


@pytest.fixture
def imap(imap_host):
    client = imaplib.IMAP4("127.0.0.1", imap_host.ports["imap"], timeout=10)
    yield client
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        client.logout()
