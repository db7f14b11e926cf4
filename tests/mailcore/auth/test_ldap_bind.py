"""verify_password binds as the user found by the service bind (RFC 4513 §5.1.3), against
the real slapd of scripts/test-services; an unreachable directory is no answer at all."""
import dataclasses
import time

import pytest

from mailcore.auth.errors import DirectoryUnavailable
from mailcore.auth.ldapbind import find_user_dn, open_connection, verify_password
from tests.support.ldap_login import PASSWORDS, closed_port_url, settings_for


def test_the_right_password_binds(ldap_on):
    assert verify_password("an.tran@example.test", PASSWORDS["an.tran"]) is True


def test_a_vietnamese_password_binds_as_utf8(ldap_on):
    assert verify_password("huong@example.test", PASSWORDS["huong"]) is True


def test_a_wrong_password_is_false(ldap_on):
    assert verify_password("an.tran@example.test", "not-the-password") is False


def test_another_persons_password_is_false(ldap_on):
    assert verify_password("an.tran@example.test", PASSWORDS["huong"]) is False


def test_rfc4513_5_1_2_an_empty_password_never_makes_an_unauthenticated_bind(ldap_on):
    assert verify_password("an.tran@example.test", "") is False


def test_an_address_not_in_the_directory_is_false(ldap_on):
    assert verify_password("nobody@example.test", PASSWORDS["an.tran"]) is False


def test_an_alias_is_not_a_login_name(ldap_on):
    # an@example.test is an.tran's mailAlternateAddress: the sync makes it an alias.
    assert verify_password("an@example.test", PASSWORDS["an.tran"]) is False


@pytest.mark.parametrize("hostile", ["*", "an.tran@example.test)(uid=*", "*)(|(mail=*", "\\2a", "an*@example.test"])
def test_rfc4515_filter_characters_in_the_address_match_nothing(ldap_on, hostile):
    assert verify_password(hostile, PASSWORDS["an.tran"]) is False


def test_the_search_finds_the_users_dn(ldap_on):
    connection = open_connection()
    try:
        assert find_user_dn(connection, "an.tran@example.test") == f"uid=an.tran,{ldap_on.user_base}"
    finally:
        connection.unbind_s()


def test_a_closed_port_is_directory_unavailable(settings, ldap_on):
    settings.HOPTHU_LDAP = dataclasses.replace(ldap_on, url=closed_port_url())
    with pytest.raises(DirectoryUnavailable):
        verify_password("an.tran@example.test", PASSWORDS["an.tran"])


def test_a_refused_service_bind_is_directory_unavailable_not_a_wrong_password(settings, ldap_on):
    settings.HOPTHU_LDAP = dataclasses.replace(ldap_on, bind_password="wrong")
    with pytest.raises(DirectoryUnavailable):
        verify_password("an.tran@example.test", PASSWORDS["an.tran"])


def test_a_hung_directory_is_given_up_after_the_timeout(settings, private_slapd):
    settings.HOPTHU_LDAP = settings_for(private_slapd, timeout=1)
    assert verify_password("an.tran@example.test", PASSWORDS["an.tran"])
    private_slapd.pause()  # SIGSTOP: the port accepts, nothing answers
    started = time.monotonic()
    with pytest.raises(DirectoryUnavailable):
        verify_password("an.tran@example.test", PASSWORDS["an.tran"])
    assert time.monotonic() - started < 4  # a timeout per step, not a hung thread
    private_slapd.resume()
    assert verify_password("an.tran@example.test", PASSWORDS["an.tran"])  # and back when it is


def test_a_stopped_directory_is_unavailable(settings, private_slapd):
    settings.HOPTHU_LDAP = settings_for(private_slapd)
    private_slapd.stop()
    with pytest.raises(DirectoryUnavailable):
        verify_password("an.tran@example.test", PASSWORDS["an.tran"])
