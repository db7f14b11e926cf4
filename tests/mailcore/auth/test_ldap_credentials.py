"""check_credentials for an account from LDAP (docs/ldap.md, "Authentication"): the
password is the directory's, checked by a bind; lockouts, delays and the credential cache
apply as to any account; app passwords stay local; an outage is DirectoryUnavailable,
never a wrong password and never a counted failure. Against the real slapd."""
import pytest

from mailcore.auth import cache
from mailcore.auth.credentials import check_credentials
from mailcore.auth.errors import AuthFailed, DirectoryUnavailable, LockedOut
from mailcore.auth.models import LoginFailure
from mailcore.directory.services import create_app_password
from tests.conftest import PASSWORD
from tests.support.ldap_login import PASSWORDS, make_ldap_account

AN = "an.tran@example.test"


def login(username=AN, password=PASSWORDS["an.tran"], ip="192.0.2.10", **options):
    return check_credentials(username, password, ip, "imap", **options)


def test_the_ldap_password_opens_the_account(an):
    assert login() == an
    assert login(app_passwords=False) == an  # the webmail's sign-in too


def test_any_spelling_of_the_address_opens_it(an):
    assert login("AN.TRAN@Example.Test") == an


def test_the_local_placeholder_password_opens_nothing(an):
    with pytest.raises(AuthFailed):
        login(password="placeholder that is replaced at once")


def test_a_wrong_ldap_password_is_a_counted_failure(an):
    with pytest.raises(AuthFailed) as refused:
        login(password="wrong")
    assert refused.value.delay > 0
    assert LoginFailure.objects.filter(username=AN).count() == 1


def test_wrong_ldap_passwords_lock_the_name_like_local_ones(settings, an):
    settings.HOPTHU_AUTH_MAX_FAILURES = 3
    for _i in range(3):
        with pytest.raises(AuthFailed):
            login(password="wrong")
    with pytest.raises(LockedOut):
        login()  # even the right password: a lock is checked before the directory


def test_a_local_account_keeps_its_local_password_with_ldap_configured(ldap_on, alice):
    assert check_credentials("alice@example.test", PASSWORD, "192.0.2.10", "imap") == alice


def test_a_person_in_ldap_without_an_account_is_unknown(ldap_on, domain):
    with pytest.raises(AuthFailed):
        login("huong@example.test", PASSWORDS["huong"])


def test_an_outage_is_directory_unavailable_and_not_counted(an, ldap_down):
    ldap_down()
    with pytest.raises(DirectoryUnavailable):
        login()
    with pytest.raises(DirectoryUnavailable):
        login(password="wrong")  # nothing is known about any password
    assert LoginFailure.objects.count() == 0


def test_an_account_verified_a_moment_ago_keeps_working_during_an_outage(an, ldap_down):
    login()
    ldap_down()
    assert login() == an
    with pytest.raises(DirectoryUnavailable):
        login(password="another password")  # not remembered: the directory must say


def test_the_cache_time_bounds_the_outage_grace(settings, an, ldap_down):
    login()
    ldap_down()
    cache.clear()  # as when HOPTHU_AUTH_CACHE_SECONDS has passed
    with pytest.raises(DirectoryUnavailable):
        login()


def test_a_repeated_login_binds_once(an, ldap_down):
    login()
    ldap_down()  # a second bind would now fail: the cache answered
    for _i in range(3):
        assert login() == an


def test_app_passwords_stay_local_and_work_during_an_outage(an, ldap_down):
    _row, secret = create_app_password(AN, "phone")
    assert login(password=secret) == an
    cache.clear()
    ldap_down()
    assert login(password=secret) == an


def test_an_app_password_does_not_open_the_webmail(an):
    _row, secret = create_app_password(AN, "phone")
    with pytest.raises(AuthFailed):
        login(password=secret, app_passwords=False)


def test_mail_programs_only_with_app_passwords_applies_to_the_ldap_password(an):
    from mailcore.directory.login_policy import set_app_passwords_only

    set_app_passwords_only(AN, "on")
    with pytest.raises(AuthFailed):
        login()
    assert login(app_passwords=False) == an  # the browser still takes it


def test_a_disabled_account_is_refused_after_the_right_ldap_password(an):
    from mailcore.auth.errors import AccountDisabled
    from mailcore.directory.services import set_account_active

    set_account_active(AN, False)
    with pytest.raises(AccountDisabled):
        login()


def test_with_ldap_turned_off_a_marked_account_uses_its_local_password(settings, domain):
    settings.HOPTHU_LDAP = None
    account = make_ldap_account(AN)
    account.user.set_password(PASSWORD)
    account.user.save()
    assert login(password=PASSWORD) == account


def test_the_first_login_gives_the_sync_s_unusable_hash_a_usable_placeholder(an):
    assert not an.user.has_usable_password()  # as the sync makes the account
    login()
    an.user.refresh_from_db()
    assert an.user.has_usable_password()  # allauth then offers the password page
    with pytest.raises(AuthFailed):
        login(password="placeholder that is replaced at once")
