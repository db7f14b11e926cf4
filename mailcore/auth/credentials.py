"""Checking a user name and password for SMTP submission, IMAP, POP3 and the webmail.

The user name is a full address in any spelling the directory accepts (case, Unicode
forms, IDN U-label or A-label, an active domain alias). The password may be the account's
own or one of its app passwords; for an account from LDAP the own password is checked by
a bind as the user (ldapbind.py), and the app passwords stay local. Blocking (database, password hashing): call
check_credentials through host.run_blocking, never on the event loop.
"""
import logging
import secrets
from datetime import timedelta
from typing import NoReturn

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Account, AppPassword, User
from mailcore.sending_alerts.watch import note_sign_in

from . import cache, ldapbind, lockout, policy
from .errors import AccountDisabled, AuthFailed

log = logging.getLogger(__name__)

# Last login and an app password's last use are kept to the minute: IMAP clients log in
# many times a minute, and a write per login would queue behind SQLite's one writer.
TOUCH_RESOLUTION = timedelta(minutes=1)


def check_credentials(username: str, password: str, remote_ip: str | None, protocol: str,
                      *, app_passwords: bool = True) -> Account:
    """Return the account these credentials open, or raise an AuthError (errors.py).

    1. A locked login name or remote address is refused first (LockedOut), without
       looking at the password, and the same way whether the account exists or not.
    2. The password is checked against the account's own, then its app passwords; a
       recent success is remembered (cache.py). A failure is counted (lockout.py) and
       refused as AuthFailed, in the same words for an unknown account.
    3. Only the right password learns that the account or its domain is disabled
       (AccountDisabled).
    4. A success clears the name's failures and records the login time.

    app_passwords=False (the webmail's sign-in) accepts only the account's own password:
    an app password given to a phone must not open the browser session, where a second
    factor guards the account. Mail programs (app_passwords=True) get the account's own
    password refused when policy.app_passwords_only(account) says so: that refusal is an
    AuthFailed like any other, counted, after the same work as a wrong password, so it
    does not tell whether the password was right.

    The account comes back with its user and domain loaded.
    """
    login = login_name(username)
    lockout.ensure_allowed(remote_ip, login)
    account = _find_account(login)
    if account is None:
        if login and password:
            make_password(password)  # as long as a wrong password: timing shows no unknown names
        _refuse(remote_ip, login, protocol, app_passwords)
    own_password = not app_passwords or not policy.app_passwords_only(account)
    if not password or not _password_matches(account, login, password, own_password, app_passwords):
        _refuse(remote_ip, login, protocol, app_passwords)
    if not (account.active and account.domain.active):
        log.info("Refused %s login for disabled %s", protocol, login)
        raise AccountDisabled()
    lockout.record_success(login)
    _touch_last_login(account.user)
    note_sign_in(account, remote_ip)  # a new network may hold its outbound mail (docs/sending-alerts.md)
    return account


def login_name(username: str) -> str | None:
    """Return the canonical address a user name stands for, or None if it is no address.

    Folded as the directory folds addresses; an address at an active domain alias (of an
    active domain) becomes the same address at its target. Names at domains not hosted
    here are returned too: they are counted for lockouts like any other.
    """
    try:
        address = parse_address(username)
    except ValidationError:
        return None
    domain = hosted_domain(address.domain)
    if domain is None or domain.name == address.domain:
        return str(address)
    if hosted_domain(address.domain, active_only=True) is None:
        return str(address)  # a disabled domain alias is no way in: nothing will match
    return f"{address.localpart}@{domain.name}"


def from_directory(account: Account) -> bool:
    """True if the account's own password is the company directory's (docs/ldap.md).

    Only accounts the LDAP sync made or took over are checked against LDAP; a local
    account keeps its local password even with LDAP configured, and an LDAP user without
    an account is unknown here until the sync creates it. With LDAP no longer configured,
    a marked account falls back to its local password (an admin can set one).
    """
    return bool(account.ldap_dn) and ldapbind.directory_configured()


def _find_account(login: str | None) -> Account | None:
    if login is None:
        return None
    localpart, _at, domain = login.rpartition("@")
    accounts = Account.objects.select_related("user", "domain").filter(localpart=localpart, domain__name=domain)
    return next(iter(accounts.order_by()[:1]), None)


def _refuse(remote_ip: str | None, login: str | None, protocol: str, hint: bool) -> NoReturn:
    failures = lockout.record_failure(remote_ip, login, protocol)
    raise AuthFailed(delay=lockout.delay_for(failures), app_password_hint=hint)


def _password_matches(account: Account, login: str, password: str, own_password: bool = True,
                      app_passwords: bool = True) -> bool:
    """True if password is the account's own (when own_password) or one of its app
    passwords (when app_passwords)."""
    remembered = cache.recall(login, password)
    if remembered is not None and remembered.account_id == account.pk:
        allowed = own_password if remembered.app_password_id is None else app_passwords
        # A credential not allowed here is checked the slow way below, like a wrong
        # password, and the entry is kept: the browser may still use it.
        if allowed:
            if _still_current(account, remembered):
                return True
            cache.forget(login, password)
    return _verify(account, login, password, own_password, app_passwords)


def _still_current(account: Account, remembered: cache.Verified) -> bool:
    """True if the hash the password matched is still that credential's hash."""
    if remembered.app_password_id is None:
        return constant_time_compare(account.user.password, remembered.password_hash)
    app_password = AppPassword.objects.filter(pk=remembered.app_password_id, account=account).first()
    if app_password is None or not constant_time_compare(app_password.password, remembered.password_hash):
        return False
    _touch_app_password(app_password)
    return True


def _verify(account: Account, login: str, password: str, own_password: bool = True,
            app_passwords: bool = True) -> bool:
    """Check the password against the stored hashes (slow); remember a match."""
    if own_password and from_directory(account):
        return _verify_with_directory(account, login, password, app_passwords)
    user = account.user
    if not own_password:
        make_password(password)  # as long as checking it: the time shows nothing of the account's password
    elif user.check_password(password):  # upgrades an outdated hash, saving it
        cache.remember(login, password, account_id=account.pk, app_password_id=None, password_hash=user.password)
        return True
    return app_passwords and _verify_app_password(account, login, password)


def _verify_with_directory(account: Account, login: str, password: str, app_passwords: bool) -> bool:
    """An LDAP account: its app passwords (local, no network), then a bind as the user.

    The cache entry for a bind holds the user's local placeholder hash, which HopThu
    renews whenever it changes the password: the entry ends like any other. An
    unreachable directory raises DirectoryUnavailable (not a failure: nothing is counted)
    unless an app password matched first; a password remembered by the cache never gets
    here, which is what keeps such an account working through an outage.
    """
    if app_passwords and _verify_app_password(account, login, password):
        return True
    if not ldapbind.verify_password(account.address, password):
        return False
    user = account.user
    if not user.has_usable_password():
        # Once, at the first login: allauth offers the password page and a password
        # re-authentication only to a usable hash (directory_password.py says why).
        renew_placeholder(user)
    cache.remember(login, password, account_id=account.pk, app_password_id=None, password_hash=user.password)
    return True


def renew_placeholder(user: User) -> None:
    """Give user a fresh random password hash that no one knows (directory_password.py)."""
    user.set_password(secrets.token_urlsafe(32))
    user.save(update_fields=["password"])


def _verify_app_password(account: Account, login: str, password: str) -> bool:
    for app_password in account.app_passwords.all():
        if check_password(password, app_password.password, setter=_upgrader(app_password)):
            _touch_app_password(app_password)
            cache.remember(login, password, account_id=account.pk, app_password_id=app_password.pk,
                           password_hash=app_password.password)
            return True
    return False


def _upgrader(app_password: AppPassword):
    """Return a setter that rehashes an app password with the preferred hasher."""

    def upgrade(raw_password):
        app_password.password = make_password(raw_password)
        app_password.save(update_fields=["password"])

    return upgrade


def _is_stale(moment) -> bool:
    return moment is None or timezone.now() - moment >= TOUCH_RESOLUTION


def _touch_last_login(user: User) -> None:
    if _is_stale(user.last_login):
        user.last_login = timezone.now()
        User.objects.filter(pk=user.pk).update(last_login=user.last_login)


def _touch_app_password(app_password: AppPassword) -> None:
    if _is_stale(app_password.last_used):
        app_password.last_used = timezone.now()
        AppPassword.objects.filter(pk=app_password.pk).update(last_used=app_password.last_used)
