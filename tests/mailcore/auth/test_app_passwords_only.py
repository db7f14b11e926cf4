"""Mail programs only with app passwords (mailcore.auth.policy, docs/security.md): who is
held to it, how it is refused, and that a change applies at the next login."""
import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AccountDisabled, AuthFailed, LockedOut
from mailcore.auth.policy import app_passwords_only
from mailcore.directory.login_policy import set_app_passwords_only
from mailcore.directory.services import create_app_password, set_account_active, update_domain
from tests.conftest import PASSWORD

IP = "192.0.2.20"


def login(password=PASSWORD, protocol="imap", username="alice@example.test"):
    return check_credentials(username, password, IP, protocol)


def web_login(password=PASSWORD):
    return check_credentials("alice@example.test", password, IP, "web", app_passwords=False)


def turn_totp_on(account):
    return TOTP.activate(account.user, generate_totp_secret()).instance


@pytest.fixture
def app_secret(alice):
    _row, secret = create_app_password("alice@example.test", "phone")
    return secret


def test_without_totp_the_account_password_opens_mail_programs(alice, app_secret):
    assert not app_passwords_only(alice)
    assert login() == alice and login(app_secret) == alice


@pytest.mark.parametrize("protocol", ["imap", "pop3", "smtp"])
def test_with_totp_on_mail_programs_need_an_app_password(alice, app_secret, protocol):
    turn_totp_on(alice)
    with pytest.raises(AuthFailed):
        login(protocol=protocol)
    assert login(app_secret, protocol=protocol) == alice


def test_with_totp_on_the_browser_still_takes_the_account_password_and_never_an_app_password(alice, app_secret):
    turn_totp_on(alice)
    assert web_login() == alice  # then allauth asks for the code
    with pytest.raises(AuthFailed):
        web_login(app_secret)


def test_the_refusal_is_worded_like_a_wrong_password_and_hints_at_app_passwords(alice):
    with pytest.raises(AuthFailed) as wrong:
        login("wrong password")
    with pytest.raises(AuthFailed) as unknown:
        login(username="nobody@example.test")
    turn_totp_on(alice)
    with pytest.raises(AuthFailed) as refused:
        login()
    assert refused.value.message == wrong.value.message == unknown.value.message
    assert "app password" in refused.value.message


def test_the_refusal_counts_towards_the_lockout(alice, app_secret, settings):
    settings.HOPTHU_AUTH_MAX_FAILURES = 2
    turn_totp_on(alice)
    for _attempt in range(2):
        with pytest.raises(AuthFailed):
            login()
    with pytest.raises(LockedOut):
        login(app_secret)


def test_the_refusal_does_the_same_hashing_as_a_wrong_password(alice, app_secret, hash_checks, settings,
                                                                monkeypatch):
    import mailcore.auth.credentials as credentials

    settings.HOPTHU_AUTH_CACHE_SECONDS = 0
    turn_totp_on(alice)
    stand_ins = []
    real = credentials.make_password
    monkeypatch.setattr(credentials, "make_password", lambda raw: stand_ins.append(1) or real(raw))
    with pytest.raises(AuthFailed):
        login()
    # The account's password is not checked but a hash is made all the same, then the app password is checked.
    assert (len(stand_ins), hash_checks()) == (1, 1)
    with pytest.raises(AuthFailed):
        login("wrong password")
    assert (len(stand_ins), hash_checks()) == (2, 2)


def test_a_disabled_account_is_told_only_to_an_app_password(alice, app_secret):
    turn_totp_on(alice)
    set_account_active("alice@example.test", False)
    with pytest.raises(AuthFailed):
        login()
    with pytest.raises(AccountDisabled):
        login(app_secret)


def test_the_domain_switch_forces_it_for_an_account_without_totp(alice, bob, app_secret):
    update_domain("example.test", app_passwords_only=True)
    with pytest.raises(AuthFailed):
        login()
    with pytest.raises(AuthFailed):
        login(username="bob@example.test")
    assert login(app_secret) == alice


def test_the_domain_switch_overrides_an_account_that_says_off(alice):
    set_app_passwords_only("alice@example.test", "off")
    update_domain("example.test", app_passwords_only=True)
    with pytest.raises(AuthFailed):
        login()


def test_an_account_may_say_on_without_totp_or_off_with_it(alice):
    set_app_passwords_only("alice@example.test", "on")
    with pytest.raises(AuthFailed):
        login()
    turn_totp_on(alice)
    set_app_passwords_only("alice@example.test", "off")
    assert login() == alice


def test_an_unknown_mode_is_refused(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        set_app_passwords_only("alice@example.test", "sometimes")
    assert "app_passwords_only" in refused.value.message_dict


def test_a_remembered_account_password_is_refused_as_soon_as_totp_is_on(alice, hash_checks):
    assert login() == alice  # verified once, now in the credential cache
    authenticator = turn_totp_on(alice)
    with pytest.raises(AuthFailed):
        login()
    authenticator.delete()
    assert login() == alice


def test_a_remembered_account_password_is_refused_as_soon_as_the_domain_switch_is_on(alice):
    assert login() == alice
    update_domain("example.test", app_passwords_only=True)
    with pytest.raises(AuthFailed):
        login()
    update_domain("example.test", app_passwords_only=False)
    assert login() == alice


def test_the_browser_signing_in_does_not_open_mail_programs_through_the_cache(alice):
    turn_totp_on(alice)
    assert web_login() == alice  # remembers the account's password for the browser
    with pytest.raises(AuthFailed):
        login()


def test_a_remembered_app_password_still_works_when_the_switch_turns_on(alice, app_secret, hash_checks):
    assert login(app_secret) == alice
    checks = hash_checks()
    turn_totp_on(alice)
    assert login(app_secret) == alice
    assert hash_checks() == checks  # from the cache: the switch does not concern it
