"""Issue 16 (low): disabling an account or its domain ends the sessions it has open, at
their next command, over every protocol: IMAP answers `* BYE` and closes (RFC 9051
§7.1.5), POP3 `-ERR` and closes without the UPDATE state (RFC 1939 §6), SMTP submission
`421 4.7.0` and closes (RFC 5321 §3.8). Other accounts' sessions go on."""
import imaplib
import os
import poplib
import smtplib
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from mailcore.directory.services import retire_domain, set_account_active, update_domain
from mailcore.store.append import append
from mailcore.store.models import Message
from tests.conftest import PASSWORD
from tests.support.hosts import tls_context

PROJECT_DIR = Path(__file__).resolve().parents[2]


def imap_session(host, address):
    client = imaplib.IMAP4("127.0.0.1", host.ports["imap"], timeout=10)
    client.login(address, PASSWORD)
    client.select("INBOX")
    return client


def pop_session(host, address):
    client = poplib.POP3("127.0.0.1", host.ports["pop3"], timeout=10)
    client.user(address)
    client.pass_(PASSWORD)
    return client


def submission_session(host, address):
    client = smtplib.SMTP("127.0.0.1", host.ports["submission"], timeout=10)
    client.starttls(context=tls_context())
    client.login(address, PASSWORD)
    return client


def assert_imap_ended(client):
    with pytest.raises(imaplib.IMAP4.abort, match="This account is disabled"):
        client.noop()
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        client.noop()  # closed by the server


def test_rfc9051_an_imap_session_gets_bye_at_its_next_command(mail_core, alice, bob):
    alices, bobs = imap_session(mail_core, "alice@example.test"), imap_session(mail_core, "bob@example.test")
    set_account_active("alice@example.test", False)
    assert_imap_ended(alices)
    assert bobs.noop()[0] == "OK"  # another account of the same domain goes on
    bobs.logout()


def test_rfc1939_a_pop3_session_gets_err_and_its_deletions_are_not_applied(mail_core, alice):
    append(alice.pk, "INBOX", b"From: a@example.org\r\nSubject: keep me\r\n\r\nbody\r\n")
    client = pop_session(mail_core, "alice@example.test")
    client.dele(1)
    set_account_active("alice@example.test", False)
    with pytest.raises(poplib.error_proto, match=r"-ERR \[SYS/PERM\] This account is disabled"):
        client.quit()  # even QUIT: the session ends without UPDATE
    with pytest.raises((poplib.error_proto, OSError, EOFError)):
        client.noop()
    assert Message.objects.filter(account=alice).count() == 1


def test_rfc5321_a_submission_session_gets_421_and_is_closed(mail_core, alice, bob):
    alices, bobs = (submission_session(mail_core, "alice@example.test"),
                    submission_session(mail_core, "bob@example.test"))
    set_account_active("alice@example.test", False)
    code, text = alices.docmd("MAIL", "FROM:<alice@example.test>")
    assert code == 421 and text.startswith(b"4.7.0 ") and b"This account is disabled" in text
    with pytest.raises(smtplib.SMTPServerDisconnected):
        alices.noop()
    assert bobs.noop()[0] == 250
    bobs.quit()


def test_disabling_the_domain_ends_every_session_of_its_accounts(mail_core, alice, bob, charlie):
    alices, bobs = imap_session(mail_core, "alice@example.test"), pop_session(mail_core, "bob@example.test")
    charlies = imap_session(mail_core, "charlie@example.org")
    update_domain("example.test", active=False)
    assert_imap_ended(alices)
    with pytest.raises(poplib.error_proto, match="This account is disabled"):
        bobs.stat()
    assert charlies.noop()[0] == "OK"  # another domain goes on
    charlies.logout()


def test_retiring_the_domain_ends_its_submission_sessions(mail_core, alice):
    client = submission_session(mail_core, "alice@example.test")
    retire_domain("example.test")
    assert client.noop()[0] == 421


def test_an_account_enabled_again_logs_in_and_works(mail_core, alice):
    set_account_active("alice@example.test", False)
    set_account_active("alice@example.test", True)
    client = imap_session(mail_core, "alice@example.test")
    assert client.noop()[0] == "OK"
    client.logout()


@pytest.mark.slow
def test_a_change_made_by_the_cli_in_another_process_ends_the_session(mail_core, alice, settings):
    """The panel and the CLI run in other processes than the mail core: their change is
    seen within HOPTHU_DIRECTORY_CACHE_SECONDS, with no query per command."""
    settings.HOPTHU_DIRECTORY_CACHE_SECONDS = 1
    client = imap_session(mail_core, "alice@example.test")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LANGUAGE_CODE": "en",
           "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"}
    done = subprocess.run([sys.executable, "manage.py", "mail", "account", "disable", "alice@example.test"],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 5
    with pytest.raises(imaplib.IMAP4.abort, match="This account is disabled"):
        while time.monotonic() < deadline:
            client.noop()
            time.sleep(0.2)
