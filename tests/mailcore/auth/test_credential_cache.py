"""The verified-credential cache: repeated logins skip the hash, and nothing stale gets in."""
import time

import pytest

from mailcore.auth import cache
from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AccountDisabled, AuthFailed, LockedOut
from mailcore.directory.services import create_app_password, set_account_active, set_password
from tests.conftest import PASSWORD

NEW_PASSWORD = "a brand new passphrase"


def login(username="alice@example.test", password=PASSWORD, ip="192.0.2.10"):
    return check_credentials(username, password, ip, "imap")


def test_a_repeated_login_does_not_hash_again(alice, hash_checks):
    login()
    assert hash_checks() == 1
    for _i in range(5):
        assert login() == alice
    assert hash_checks() == 1


def test_a_repeated_app_password_login_does_not_hash_again(alice, hash_checks):
    _app_password, plaintext = create_app_password("alice@example.test", "phone")
    login(password=plaintext)
    checks = hash_checks()
    assert login(password=plaintext) == alice
    assert hash_checks() == checks


def test_every_spelling_of_the_address_shares_one_entry(alice, hash_checks):
    login("alice@example.test")
    login("ALICE@Example.Test")
    assert hash_checks() == 1


def test_a_wrong_password_is_never_remembered(alice, hash_checks):
    for _i in range(2):
        with pytest.raises(AuthFailed):
            login(password="wrong password")
    assert hash_checks() == 2
    assert cache._entries == {}


def test_a_remembered_password_is_refused_after_a_password_change(alice):
    login()
    set_password("alice@example.test", NEW_PASSWORD)
    with pytest.raises(AuthFailed):
        login()
    assert login(password=NEW_PASSWORD) == alice


def test_a_password_changed_by_another_process_ends_the_entry_too(alice):
    login()
    # Another process writes the new hash straight to the database; no signal reaches us.
    type(alice.user).objects.filter(pk=alice.user.pk).update(password="md5$salt$0123456789abcdef")
    with pytest.raises(AuthFailed):
        login()


def test_a_remembered_app_password_is_refused_once_revoked(alice):
    app_password, plaintext = create_app_password("alice@example.test", "phone")
    login(password=plaintext)
    app_password.delete()
    with pytest.raises(AuthFailed):
        login(password=plaintext)


def test_a_remembered_login_still_obeys_a_disabled_account(alice):
    login()
    set_account_active("alice@example.test", False)
    with pytest.raises(AccountDisabled):
        login()


def test_a_remembered_login_still_obeys_a_lockout(alice, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 2
    login()
    for _i in range(2):
        with pytest.raises(AuthFailed):
            login(password="wrong password")
    with pytest.raises(LockedOut):
        login()


def test_entries_expire(alice, hash_checks, settings):
    settings.HOPTHU_AUTH_CACHE_SECONDS = 0.05
    login()
    time.sleep(0.1)
    login()
    assert hash_checks() == 2


def test_zero_seconds_turns_the_cache_off(alice, hash_checks, settings):
    settings.HOPTHU_AUTH_CACHE_SECONDS = 0
    login()
    login()
    assert hash_checks() == 2
    assert cache._entries == {}


def test_the_cache_holds_no_password(alice):
    login()
    ((username, digest), entry), = cache._entries.items()
    assert username == "alice@example.test"
    assert PASSWORD.encode() not in digest and len(digest) == 32
    assert PASSWORD not in repr(entry)
    assert entry.password_hash == alice.user.password


def test_a_full_cache_forgets_its_oldest_entries(monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for number in range(5):
        cache.remember(f"user{number}@example.test", "pw", account_id=number, app_password_id=None,
                       password_hash="h")
    assert len(cache._entries) == 3
    assert cache.recall("user0@example.test", "pw") is None
    assert cache.recall("user4@example.test", "pw").account_id == 4
