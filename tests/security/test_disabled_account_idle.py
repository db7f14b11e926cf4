"""Issue 16 (low): an IMAP session sitting in IDLE sends no command, so it does not wait
for one to learn that its account or domain was disabled: the IDLE ends with `* BYE` and
the server closes the connection (RFC 9051 §7.1.5, RFC 2177), within a couple of
seconds. Other accounts' IDLE goes on. The change is made through the same service
functions the panel and the CLI call."""
import imaplib

import pytest
from imapclient import IMAPClient

from mailcore.directory.services import set_account_active, update_domain
from mailcore.store.append import append
from tests.conftest import PASSWORD

WAIT_SECONDS = 3  # the BYE comes within about a second; IMAPClient gives up after this


def idling(host, address, select=True) -> IMAPClient:
    client = IMAPClient("127.0.0.1", port=host.ports["imap"], ssl=False, timeout=10)
    client.login(address, PASSWORD)
    if select:
        client.select_folder("INBOX")
    client.idle()
    return client


def assert_ended_with_bye(client: IMAPClient):
    responses = client.idle_check(timeout=WAIT_SECONDS)
    assert (b"BYE", b"This", b"account", b"is", b"disabled") in responses  # IMAPClient splits the text
    # The server closed the connection: the next read meets its end.
    with pytest.raises((imaplib.IMAP4.abort, OSError, EOFError)):
        client.idle_done()
        client.noop()


def assert_still_idling(client: IMAPClient, account_id: int):
    append(account_id, "INBOX", b"Subject: still here\r\n\r\nx\r\n")
    assert (1, b"EXISTS") in client.idle_check(timeout=WAIT_SECONDS)
    client.idle_done()
    client.logout()


def test_rfc2177_an_idle_session_gets_bye_when_its_account_is_disabled(mail_core, alice, bob):
    alices, bobs = idling(mail_core, "alice@example.test"), idling(mail_core, "bob@example.test")
    set_account_active("alice@example.test", False)
    assert_ended_with_bye(alices)
    assert_still_idling(bobs, bob.pk)  # another account of the same domain goes on


def test_rfc2177_an_idle_session_gets_bye_when_its_domain_is_disabled(mail_core, alice, charlie):
    alices, charlies = idling(mail_core, "alice@example.test"), idling(mail_core, "charlie@example.org")
    update_domain("example.test", active=False)
    assert_ended_with_bye(alices)
    assert_still_idling(charlies, charlie.pk)  # another domain goes on


def test_rfc2177_idle_without_a_selected_folder_ends_too(mail_core, alice):
    client = idling(mail_core, "alice@example.test", select=False)
    set_account_active("alice@example.test", False)
    assert_ended_with_bye(client)


def test_an_idle_session_of_an_enabled_account_ends_with_done_as_before(mail_core, alice):
    client = idling(mail_core, "alice@example.test")
    assert client.idle_check(timeout=1.5) == []  # the checks say nothing to the client
    done_text, _responses = client.idle_done()
    assert done_text == b"IDLE terminated"
    client.logout()
