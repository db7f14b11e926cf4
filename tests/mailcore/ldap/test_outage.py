"""An LDAP that can't be read stops the sync with a clear reason and disables nobody.

Stopped, hung (SIGSTOP: the port accepts, nothing answers), at a port nobody listens
on, refusing the bind, with a base that doesn't exist, or answering with nobody: each
is a DirectoryUnavailable naming what to look at, and the accounts stay as they were.
When the server is back, the next sync works.
"""
import time

import pytest

from mailcore.directory.models import Account
from mailcore.directory.services import create_domain
from mailcore.ldap.directory import DirectoryUnavailable
from mailcore.ldap.sync import CREATED, sync
from tests.support.ldap import (  # noqa: F401
    LDAP_DB,
    ldap_database,
    ldap_settings,
    private_ldap_settings,
    private_slapd,
    slapd_service,
    with_changes,
)
from tests.support.services_filters import free_port

pytestmark = [LDAP_DB, pytest.mark.slow]


@pytest.fixture
def synced(private_ldap_settings):  # noqa: F811
    create_domain("example.test")
    sync(private_ldap_settings)
    return private_ldap_settings


def active_ldap_accounts() -> int:
    return Account.objects.exclude(ldap_dn="").filter(active=True).count()


def test_a_stopped_server_stops_the_sync_and_disables_nobody(synced, private_slapd):  # noqa: F811
    assert active_ldap_accounts() == 3
    private_slapd.stop()
    with pytest.raises(DirectoryUnavailable, match=r"cannot reach the LDAP server at ldap://127\.0\.0\.1"):
        sync(synced)
    assert active_ldap_accounts() == 3


def test_a_hung_server_times_out_and_disables_nobody(synced, private_slapd):  # noqa: F811
    private_slapd.pause()
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable, match=r"did not answer within 2 s \(HOPTHU_LDAP_TIMEOUT\)"):
        sync(synced)
    assert time.monotonic() - started < 4 * synced.timeout
    assert active_ldap_accounts() == 3
    private_slapd.resume()
    assert sync(synced).of_kind(CREATED) == []  # back: the next run works, nothing to do


def test_a_port_nobody_listens_on_is_unreachable(ldap_settings, db):  # noqa: F811
    create_domain("example.test")
    with pytest.raises(DirectoryUnavailable, match="cannot reach"):
        sync(with_changes(ldap_settings, url=f"ldap://127.0.0.1:{free_port()}"))


def test_a_refused_bind_names_the_bind_settings(ldap_settings, db):  # noqa: F811
    with pytest.raises(DirectoryUnavailable, match=r"refused the bind.*HOPTHU_LDAP_BIND_PASSWORD"):
        sync(with_changes(ldap_settings, bind_password="wrong"))


def test_a_missing_base_is_an_error_not_an_empty_directory(synced):
    with pytest.raises(DirectoryUnavailable, match="ou=nobody,dc=example,dc=test does not exist"):
        sync(with_changes(synced, user_base="ou=nobody,dc=example,dc=test"))
    assert active_ldap_accounts() == 3


def test_an_answer_with_nobody_disables_nobody(synced):
    with pytest.raises(DirectoryUnavailable, match="refusing to disable every LDAP account"):
        sync(with_changes(synced, user_filter="(uid=nobody-at-all)"))
    assert active_ldap_accounts() == 3


def test_a_bad_filter_is_reported(synced):
    with pytest.raises(DirectoryUnavailable, match="HOPTHU_LDAP_USER_FILTER"):
        sync(with_changes(synced, user_filter="(&(objectClass=inetOrgPerson)(broken"))
    assert active_ldap_accounts() == 3
