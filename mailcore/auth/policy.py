"""Which passwords mail programs (IMAP, POP3, SMTP submission) may log in with.

A second factor guards only the browser: a mail program cannot ask for a code. So an
account that has one would be only as strong as its password if IMAP took that password.
When the rule below says so, mail programs must use an app password, and the account's
own password opens only the browser (where the second factor is asked).

1. The domain requires it (Domain.app_passwords_only): on, whatever the account says.
2. The account says "on" or "off" (Account.app_passwords_only): that.
3. Otherwise ("default"): on when the account's user has TOTP turned on (an allauth
   Authenticator of type totp), off when not.

Read from the database at every login (check_credentials), so a change applies to the
next login in every process, cached credentials included. Blocking (database).
"""
from mailcore.directory.models import Account, AppPasswordsOnly

TOTP = "totp"  # allauth.mfa.models.Authenticator.Type.TOTP


def has_totp(user_id: int) -> bool:
    """True if this user signs in to the browser with a TOTP code as a second factor."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user_id=user_id, type=TOTP).exists()


def app_passwords_only(account: Account) -> bool:
    """True if mail programs may log in to account with an app password only (rule above).

    account must come with its domain loaded (check_credentials loads it).
    """
    if account.domain.app_passwords_only:
        return True
    if account.app_passwords_only == AppPasswordsOnly.ON:
        return True
    if account.app_passwords_only == AppPasswordsOnly.OFF:
        return False
    return has_totp(account.user_id)
