"""The password of an account that comes from the company directory (LDAP).

Such an account's own password lives in LDAP only (credentials.from_directory). Locally
its user keeps a random placeholder hash that opens nothing (the sync makes the account
with an unusable one; the first login by a bind replaces it). It is usable in Django's
sense, so allauth offers the password-change page and password re-authentication (both
end in a bind), and replacing it whenever HopThu changes the directory password ends the
credential cache's entries for the old password at once (cache.py compares hashes).
"""
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from mailcore.directory.models import Account, User

from . import ldapbind
from .credentials import from_directory, renew_placeholder


def directory_account(user: User) -> Account | None:
    """The user's account if its password is the directory's, else None."""
    account = Account.objects.select_related("domain").filter(user=user).first()
    if account is None or not from_directory(account):
        return None
    account.user = user  # the caller's instance: a renewed placeholder shows there (session hash)
    return account


def check_directory_password(account: Account, password: str) -> bool:
    """True if the directory accepts password for account (DirectoryUnavailable if it cannot say)."""
    return ldapbind.verify_password(account.address, password)


def change_directory_password(account: Account, new_password: str) -> None:
    """Write new_password to the directory (RFC 3062) and renew the local placeholder.

    The project's password rules apply first (ValidationError on "password"), then the
    directory's own policy (DirectoryWriteError); DirectoryNotWritable without
    HOPTHU_LDAP_WRITABLE, DirectoryUnavailable when LDAP does not answer.
    """
    from mailcore.ldap.write import change_password

    try:
        validate_password(new_password, account.user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    change_password(account.address, new_password)
    renew_placeholder(account.user)


