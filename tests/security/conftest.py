"""A mail core with every protocol listener on free loopback ports (SMTP, IMAP, POP3), for
the tests that try an attack over each of them."""
import contextlib
import smtplib

import pytest

from mailcore.imap.listeners import FACTORIES as IMAP
from mailcore.pop3.listeners import FACTORIES as POP3
from mailcore.smtp.listeners import FACTORIES as SMTP
from tests.support.hosts import running_host, tls_context

PORTS = ("smtp", "submission", "submissions", "relay", "imap", "imaps", "pop3", "pop3s")


@pytest.fixture
def mail_core_factory(settings, tmp_path, transactional_db):
    """Start the mail core (once) when called: a test sets what the listeners read first."""
    with contextlib.ExitStack() as stack:
        def start():
            settings.HOPTHU_HOSTNAME = "mx.example.test"
            return stack.enter_context(running_host(settings, tmp_path, [*SMTP, *IMAP, *POP3], PORTS))

        yield start


@pytest.fixture
def mail_core(mail_core_factory):
    return mail_core_factory()


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
