"""A mail core with every protocol listener on free loopback ports (SMTP, IMAP, POP3), for
the tests that try an attack over each of them."""
import smtplib

import pytest

from mailcore.imap.listeners import FACTORIES as IMAP
from mailcore.pop3.listeners import FACTORIES as POP3
from mailcore.smtp.listeners import FACTORIES as SMTP
from tests.support.hosts import running_host, tls_context

PORTS = ("smtp", "submission", "submissions", "relay", "imap", "imaps", "pop3", "pop3s")


@pytest.fixture
def mail_core(settings, tmp_path, transactional_db):
    settings.HOPTHU_HOSTNAME = "mx.example.test"
    with running_host(settings, tmp_path, [*SMTP, *IMAP, *POP3], PORTS) as host:
        yield host


@pytest.fixture
def submission(mail_core):
    """An smtplib client on the submission port, after STARTTLS."""
    client = smtplib.SMTP("127.0.0.1", mail_core.ports["submission"], timeout=10)
    client.starttls(context=tls_context())
    yield client
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
