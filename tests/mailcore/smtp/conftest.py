"""A running mail core with the SMTP listeners on free loopback ports, and its clients."""
import smtplib
import ssl
import time

import pytest

from mailcore.delivery.runner import start_local_delivery
from mailcore.service.host import MailcoreHost
from mailcore.smtp.listeners import FACTORIES

PASSWORD = "correct horse battery staple"


@pytest.fixture
def mail_host(settings, tmp_path, transactional_db):
    settings.HOPTHU_LISTEN_ADDRESS = "127.0.0.1"
    settings.HOPTHU_PORTS = {**settings.HOPTHU_PORTS, "smtp": 0, "submission": 0, "submissions": 0}
    settings.HOPTHU_TLS_CERT = tmp_path / "tls" / "cert.pem"
    settings.HOPTHU_TLS_KEY = tmp_path / "tls" / "key.pem"
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    settings.HOPTHU_DELIVERY_SWEEP_SECONDS = 0.2
    host = MailcoreHost(factories=[*FACTORIES, start_local_delivery], heartbeat_seconds=60, io_threads=4)
    host.start()
    host.ports = {listener.info["name"]: listener.info["port"] for listener in host.listeners
                  if "port" in listener.info}
    yield host
    host.stop()


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
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the test certificate is self-signed
    return context


def wait_for(predicate, timeout=5.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
