"""Lockouts by login name and by remote address, their expiry, the failure delay, the purge."""
from datetime import timedelta

import pytest
from django.utils import timezone

from mailcore.auth import lockout
from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AuthFailed, LockedOut
from mailcore.auth.models import Lockout, LoginFailure
from mailcore.directory.services import create_domain_alias
from tests.conftest import PASSWORD

IP = "192.0.2.10"
OTHER_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def policy(settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 3
    settings.HOPTHU_AUTH_MAX_FAILURES_PER_IP = 5
    settings.HOPTHU_AUTH_FAILURE_WINDOW_SECONDS = 900
    settings.HOPTHU_AUTH_LOCKOUT_SECONDS = 900
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 5


def login(username="alice@example.test", password=PASSWORD, ip=IP, protocol="imap"):
    return check_credentials(username, password, ip, protocol)


def fail(times, username="alice@example.test", ip=IP, protocol="imap"):
    for _i in range(times):
        with pytest.raises(AuthFailed):
            login(username, "wrong password", ip, protocol)


def test_an_account_is_locked_after_too_many_failures(alice):
    fail(3)
    with pytest.raises(LockedOut) as info:
        login()  # the right password, refused all the same
    assert 0 < info.value.retry_after <= 900
    assert info.value.message == "Too many failed logins; try again later."


def test_the_account_lock_holds_from_every_address(alice):
    fail(3)
    with pytest.raises(LockedOut):
        login(ip=OTHER_IP)


def test_one_failure_short_of_the_limit_still_logs_in(alice):
    fail(2)
    assert login() == alice


def test_a_locked_account_is_refused_without_checking_the_password(alice, hash_checks):
    fail(3)
    before = hash_checks()
    with pytest.raises(LockedOut):
        login()
    assert hash_checks() == before


def test_unknown_accounts_lock_the_same_way(alice):
    fail(3, "nobody@example.test")
    with pytest.raises(LockedOut):
        login("nobody@example.test", "anything")
    fail(3, "nobody@not-hosted.test", ip=OTHER_IP)
    with pytest.raises(LockedOut):
        login("nobody@not-hosted.test", "anything", ip=OTHER_IP)


def test_failures_from_every_protocol_add_up(alice):
    fail(1, protocol="smtp")
    fail(1, protocol="imap")
    fail(1, protocol="pop3")
    with pytest.raises(LockedOut):
        login(protocol="smtp")


def test_every_spelling_of_an_address_counts_for_the_same_account(alice):
    create_domain_alias("alias.test", "example.test")
    fail(1, "ALICE@example.test")
    fail(1, "alice@alias.test")
    fail(1, "Alice@Example.Test")
    with pytest.raises(LockedOut):
        login()


def test_locking_one_account_leaves_the_others_alone(alice, bob):
    fail(3)
    assert login("bob@example.test") == bob


def test_an_address_is_locked_after_too_many_failures_whatever_the_names(alice, bob):
    for number in range(5):
        fail(1, f"user{number}@example.test")
    with pytest.raises(LockedOut):
        login("bob@example.test")
    assert login("bob@example.test", ip=OTHER_IP) == bob


def test_loopback_is_not_exempt(alice):
    for number in range(5):
        fail(1, f"user{number}@example.test", ip="127.0.0.1")
    with pytest.raises(LockedOut):
        login(ip="127.0.0.1")


def test_ipv6_addresses_count_by_their_64_bit_prefix(alice):
    for number in range(5):
        fail(1, f"user{number}@example.test", ip=f"2001:db8:1:2::{number + 1}")
    with pytest.raises(LockedOut):
        login(ip="2001:db8:1:2:ffff::9")
    assert login(ip="2001:db8:1:3::1") == alice


@pytest.mark.parametrize(("remote_ip", "key"), [
    ("192.0.2.1", "192.0.2.1"),
    ("::ffff:192.0.2.1", "192.0.2.1"),
    ("2001:DB8::1", "2001:db8::/64"),
    ("fe80::1%eth0", "fe80::/64"),
    ("not an address", "not an address"),
    (None, "unknown"),
])
def test_ip_key(remote_ip, key):
    assert lockout.ip_key(remote_ip) == key


def test_a_success_clears_the_accounts_failures(alice):
    fail(2)
    login()
    fail(2)
    assert login() == alice


def test_a_success_does_not_clear_the_addresss_failures(alice, bob):
    fail(2)
    login()
    fail(2, "bob@example.test")
    fail(1, "charlie@example.org")
    with pytest.raises(LockedOut):
        login()


def test_a_lock_ends_after_the_lockout_time(alice):
    fail(3)
    Lockout.objects.update(until=timezone.now() - timedelta(seconds=1))
    LoginFailure.objects.update(created=timezone.now() - timedelta(seconds=901))
    assert login() == alice


def test_after_a_lock_ends_one_more_failure_in_the_window_locks_again(alice, settings):
    settings.HOPTHU_AUTH_LOCKOUT_SECONDS = 60
    fail(3)
    Lockout.objects.update(until=timezone.now() - timedelta(seconds=1))
    fail(1)
    with pytest.raises(LockedOut):
        login()


def test_failures_older_than_the_window_do_not_count(alice):
    fail(2)
    LoginFailure.objects.update(created=timezone.now() - timedelta(seconds=901))
    fail(2)
    assert login() == alice


def test_zero_turns_a_limit_off(alice, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 0
    settings.HOPTHU_AUTH_MAX_FAILURES_PER_IP = 0
    fail(8)
    assert login() == alice


def test_a_refused_login_carries_a_growing_capped_delay(alice):
    delays = []
    for number in range(5):
        with pytest.raises(AuthFailed) as info:
            login(f"user{number}@example.test", "wrong password", ip=OTHER_IP)
        delays.append(info.value.delay)
    assert delays == [0.5, 1.0, 2.0, 4.0, 5.0]


def test_failure_delay_is_zero_for_a_clean_address_and_grows(alice):
    assert lockout.failure_delay(IP) == 0.0
    fail(1)
    assert lockout.failure_delay(IP) == 0.5
    fail(1)
    assert lockout.failure_delay(IP) == 1.0
    assert lockout.failure_delay(OTHER_IP) == 0.0


def test_delay_for_is_capped_even_for_huge_counts(settings):
    settings.HOPTHU_AUTH_MAX_DELAY_SECONDS = 3
    assert lockout.delay_for(10**9) == 3.0
    assert lockout.delay_for(0) == 0.0


def test_a_locked_out_login_asks_for_the_longest_delay(alice):
    fail(3)
    with pytest.raises(LockedOut) as info:
        login()
    assert info.value.delay == 5


def test_unlock_lifts_the_lock_and_forgets_the_failures(alice):
    fail(3)
    lockout.unlock(username="alice@example.test")
    assert login() == alice
    for number in range(5):
        fail(1, f"user{number}@example.test", ip=OTHER_IP)
    lockout.unlock(remote_ip=OTHER_IP)
    assert login(ip=OTHER_IP) == alice


def test_purge_removes_old_failures_and_ended_locks(alice):
    fail(3)
    fail(1, "bob@example.test", ip=OTHER_IP)
    LoginFailure.objects.filter(remote_ip=IP).update(created=timezone.now() - timedelta(seconds=901))
    assert lockout.purge_expired() == 3
    assert list(LoginFailure.objects.values_list("remote_ip", flat=True)) == [OTHER_IP]
    assert Lockout.objects.count() == 1  # alice's lock still runs
    Lockout.objects.update(until=timezone.now())
    assert lockout.purge_expired() == 1
    assert not Lockout.objects.exists()
