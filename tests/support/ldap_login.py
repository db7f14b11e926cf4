"""Fixtures for the LDAP login tests (docs/ldap.md, "Authentication"), on top of
tests/support/ldap.py's slapd: the shared one for reading (never changed), a private one
for a test that writes passwords or people. An outage is a closed loopback port (refused
at once) or a private slapd paused with SIGSTOP (a hung server: the timeout).

Registered for the whole suite (tests/conftest.py, pytest_plugins, with tests/support/ldap.py):
a test names the fixtures it uses (an, ldap_on, ldap_writable, ldap_down, private_slapd)
and imports the plain helpers (PASSWORDS, make_ldap_account, new_person_uid).
"""
import dataclasses
import socket
import uuid

import pytest

from tests.support.ldap import PEOPLE, PEOPLE_BY_UID, settings_for

# The plain passwords of the company tree (scripts/services/slapd/company.ldif), by uid.
PASSWORDS = {uid: person[2] for uid, person in PEOPLE_BY_UID.items()}


def closed_port_url() -> str:
    """An ldap:// URL on a loopback port nothing listens on: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"ldap://127.0.0.1:{port}"


def new_person_uid() -> str:
    return f"t{uuid.uuid4().hex[:12]}"


@pytest.fixture
def ldap_on(settings, slapd_service):
    """LDAP configured (the shared slapd, the reader DN); the directory may not be written."""
    settings.HOPTHU_LDAP = settings_for(slapd_service)
    settings.HOPTHU_LDAP_WRITABLE = False
    return settings.HOPTHU_LDAP


@pytest.fixture
def ldap_writable(settings, private_slapd):
    """LDAP configured on a private slapd with the writer DN, and HOPTHU_LDAP_WRITABLE on."""
    settings.HOPTHU_LDAP = settings_for(private_slapd, bind_dn=private_slapd.writer_dn,
                                        bind_password=private_slapd.writer_password)
    settings.HOPTHU_LDAP_WRITABLE = True
    return settings.HOPTHU_LDAP


@pytest.fixture
def ldap_down(settings):
    """Call it to make the configured directory unreachable (a closed port), as in an outage."""

    def down():
        settings.HOPTHU_LDAP = dataclasses.replace(settings.HOPTHU_LDAP, url=closed_port_url())

    return down


def make_ldap_account(address: str):
    """A mail account marked as from LDAP, as the sync makes it (random local placeholder)."""
    from mailcore.directory.services import create_account

    account = create_account(address, "placeholder that is replaced at once")
    account.ldap_dn = f"uid={address.partition('@')[0]},{PEOPLE}"
    account.save(update_fields=["ldap_dn"])
    account.user.set_unusable_password()  # as the sync leaves it
    account.user.save(update_fields=["password"])
    return account


@pytest.fixture
def an(ldap_on, domain):
    """an.tran@example.test, from LDAP; the password is PASSWORDS["an.tran"]."""
    return make_ldap_account("an.tran@example.test")
