"""A running mail core with the SMTP listeners on free loopback ports, and its clients."""
import smtplib
import time

import pytest

from mailcore.delivery.runner import start_local_delivery
from mailcore.smtp.listeners import FACTORIES
from tests.support.hosts import running_host, tls_context

PASSWORD = "correct horse battery staple"


@pytest.fixture
def mail_host(settings, tmp_path, transactional_db):
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    with running_host(settings, tmp_path, [*FACTORIES, start_local_delivery],
                      ("smtp", "submission", "submissions", "relay")) as host:
        yield host


@pytest.fixture
def mx(mail_host):
    """An smtplib client connected to the MX port."""
    client = smtplib.SMTP("127.0.0.1", mail_host.ports["smtp"], timeout=10)
    yield client
    try:
        client.quit()
    except smtplib.SMTPException:
        client.close()


def client_tls_context():
    return tls_context()


def wait_for(predicate, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
