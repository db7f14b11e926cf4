"""A running mail core with the POP3 listeners on free loopback ports."""
import contextlib
import poplib
import ssl

import pytest

from mailcore.pop3.listeners import FACTORIES
from mailcore.service.host import MailcoreHost


@pytest.fixture
def pop_host(settings, tmp_path, transactional_db):
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "pop3": 0, "pop3s": 0}
    settings.HOPTHU_TLS_CERT = tmp_path / "tls" / "cert.pem"
    settings.HOPTHU_TLS_KEY = tmp_path / "tls" / "key.pem"
    host = MailcoreHost(factories=FACTORIES, heartbeat_seconds=60, io_threads=4)
    host.start()
    host.ports = {listener.info["name"]: listener.info["port"] for listener in host.listeners}
    yield host
    host.stop()


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test certificate is self-signed
    return context


@pytest.fixture
def pop(pop_host):
    client = poplib.POP3("127.0.0.1", pop_host.ports["pop3"], timeout=10)
    yield client
    with contextlib.suppress(OSError):
        client.close()
