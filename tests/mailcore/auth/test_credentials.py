"""check_credentials: who may log in, with which password, under which name."""
import contextlib
import logging

import hypothesis
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import strategies as st

from mailcore.auth.credentials import check_credentials, login_name
from mailcore.auth.errors import AccountDisabled, AuthError, AuthFailed
from mailcore.directory.models import AppPassword
from mailcore.directory.services import (
    create_account,
    create_app_password,
    create_domain,
    create_domain_alias,
    set_account_active,
    update_domain,
)
from tests.conftest import PASSWORD

IP = "192.0.2.10"
# The first is preferred, so every md5 hash the fixtures made is outdated.
UPGRADING_HASHERS = ["tests.mailcore.auth.hashers.QuickPBKDF2Hasher", "django.contrib.auth.hashers.MD5PasswordHasher"]


def login(username, password=PASSWORD, ip=IP, protocol="imap"):
    return check_credentials(username, password, ip, protocol)


def queries_of(call, *args):
    """The SQL of the queries call(*args) ran, whether it returned or raised an AuthError."""
    with CaptureQueriesContext(connection) as captured, contextlib.suppress(AuthError):
        call(*args)
    return [q["sql"] for q in captured.captured_queries]


def test_it_returns_the_account_for_the_right_password(alice):
    account = login("alice@example.test")
    assert account == alice


def test_the_account_comes_with_its_user_and_domain_loaded(alice, django_assert_num_queries):
    account = login("alice@example.test")
    with django_assert_num_queries(0):
        assert account.address == "alice@example.test"
        assert account.user.username == "alice@example.test"


def test_it_refuses_a_wrong_password(alice):
    with pytest.raises(AuthFailed):
        login("alice@example.test", "wrong password")


def test_unknown_accounts_and_wrong_passwords_are_refused_in_the_same_words(alice):
    with pytest.raises(AuthFailed) as wrong:
        login("alice@example.test", "wrong password")
    with pytest.raises(AuthFailed) as unknown:
        login("nobody@example.test")
    with pytest.raises(AuthFailed) as elsewhere:
        login("alice@not-hosted.test")
    assert wrong.value.message == unknown.value.message == elsewhere.value.message
    assert "alice" not in wrong.value.message


@pytest.mark.parametrize("username", ["", "alice", "@example.test", "alice@", "a b@example.test", "x" * 5000,
                                      "alice@example.test\x00", "alice@[127.0.0.1]"])
def test_it_refuses_user_names_that_are_no_address(alice, username):
    with pytest.raises(AuthFailed):
        login(username)


@pytest.mark.parametrize("password", ["", None])
def test_it_refuses_an_empty_password(alice, password):
    with pytest.raises(AuthFailed):
        login("alice@example.test", password)


@pytest.mark.parametrize("username", ["ALICE@EXAMPLE.TEST", "Alice@Example.Test", " alice@example.test "])
def test_user_names_are_case_insensitive(alice, username):
    assert login(username) == alice


def test_it_accepts_the_idn_domain_as_u_label_or_a_label(db):
    create_domain("ví-dụ.vn")
    account = create_account("hoa@ví-dụ.vn", PASSWORD)
    alabel = account.domain.name
    assert alabel.startswith("xn--")
    assert login("hoa@ví-dụ.vn") == account
    assert login(f"hoa@{alabel}") == account
    assert login("HOA@VÍ-DỤ.VN") == account


def test_it_accepts_an_address_at_a_domain_alias(alice):
    create_domain_alias("alias.test", "example.test")
    assert login("alice@alias.test") == alice
    assert login_name("Alice@Alias.Test") == "alice@example.test"


def test_a_disabled_domain_alias_is_no_way_in(alice):
    alias = create_domain_alias("alias.test", "example.test")
    alias.active = False
    alias.save()
    with pytest.raises(AuthFailed):
        login("alice@alias.test")


def test_it_accepts_an_app_password_and_records_its_use(alice):
    app_password, plaintext = create_app_password("alice@example.test", "phone")
    assert app_password.last_used is None
    assert login("alice@example.test", plaintext) == alice
    app_password.refresh_from_db()
    assert app_password.last_used is not None


def test_the_account_password_still_works_beside_app_passwords(alice):
    create_app_password("alice@example.test", "phone")
    assert login("alice@example.test") == alice


def test_an_app_password_opens_only_its_own_account(alice, bob):
    _app_password, plaintext = create_app_password("alice@example.test", "phone")
    with pytest.raises(AuthFailed):
        login("bob@example.test", plaintext)


def test_a_revoked_app_password_is_refused(alice):
    app_password, plaintext = create_app_password("alice@example.test", "phone")
    app_password.delete()
    with pytest.raises(AuthFailed):
        login("alice@example.test", plaintext)


def test_app_passwords_are_checked_in_one_query(alice):
    create_app_password("alice@example.test", "phone")
    login("alice@example.test")  # warm the directory's domain cache
    one = queries_of(login, "alice@example.test", "wrong password")
    for name in ("laptop", "tablet", "watch"):
        create_app_password("alice@example.test", name)
    four = queries_of(login, "alice@example.test", "wrong password")
    assert len(four) == len(one)
    assert sum("directory_apppassword" in q for q in four) == 1


def test_a_disabled_account_is_refused_when_the_password_is_right(alice):
    set_account_active("alice@example.test", False)
    with pytest.raises(AccountDisabled):
        login("alice@example.test")


def test_a_disabled_account_says_nothing_to_a_wrong_password(alice):
    set_account_active("alice@example.test", False)
    with pytest.raises(AuthFailed):
        login("alice@example.test", "wrong password")


def test_accounts_of_a_disabled_domain_are_refused(alice):
    update_domain("example.test", active=False)
    with pytest.raises(AccountDisabled):
        login("alice@example.test")


def test_a_success_is_recorded_as_the_last_login(alice):
    assert alice.last_login is None
    before = timezone.now()
    login("alice@example.test")
    alice.user.refresh_from_db()
    assert alice.last_login >= before


def test_the_last_login_is_written_at_most_once_a_minute(alice):
    login("alice@example.test")
    alice.user.refresh_from_db()
    first = alice.last_login
    queries = queries_of(login, "alice@example.test")
    assert not [q for q in queries if q.startswith("UPDATE")]
    alice.user.refresh_from_db()
    assert alice.last_login == first


def test_an_outdated_password_hash_is_upgraded_on_login(alice, settings):
    settings.PASSWORD_HASHERS = UPGRADING_HASHERS
    login("alice@example.test")
    alice.user.refresh_from_db()
    assert alice.user.password.startswith("pbkdf2_sha256$")
    assert login("alice@example.test") == alice


def test_an_outdated_app_password_hash_is_upgraded_on_login(alice, settings):
    app_password, plaintext = create_app_password("alice@example.test", "phone")
    settings.PASSWORD_HASHERS = UPGRADING_HASHERS
    login("alice@example.test", plaintext)
    assert AppPassword.objects.get(pk=app_password.pk).password.startswith("pbkdf2_sha256$")
    assert login("alice@example.test", plaintext) == alice


def test_passwords_never_reach_the_log(alice, caplog):
    caplog.set_level(logging.DEBUG)
    for password in ("first-wrong-pw", PASSWORD):
        with contextlib.suppress(AuthFailed):
            login("alice@example.test", password)
    assert "Failed imap login for alice@example.test" in caplog.text
    assert "first-wrong-pw" not in caplog.text
    assert PASSWORD not in caplog.text


def test_a_password_typed_as_the_user_name_is_not_logged(alice, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(AuthFailed):
        login("hunter2 secret", PASSWORD)
    assert "hunter2" not in caplog.text


@hypothesis.settings(suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture], max_examples=200)
@hypothesis.given(st.one_of(
    st.text(max_size=300),
    st.builds("{}@{}".format, st.text(max_size=70), st.text(max_size=70)),
    st.builds("{}@{}.test".format, st.text(max_size=20), st.text(max_size=300)),
))
def test_any_user_name_folds_to_an_address_or_none(alice, username):
    name = login_name(username)
    assert name is None or "@" in name
