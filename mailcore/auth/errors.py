"""What a login, a SASL exchange or a rate limit can end in; each protocol maps these to its reply.

The messages are for people (translated with the default language, as no request is
active in the mail core) and never say whether an account exists. `delay` is how long
the protocol should wait before answering a refused login; the protocol sleeps, not us.
"""
from django.utils.translation import gettext, ngettext


class AuthError(Exception):
    """A refused login."""

    def __init__(self, message: str, *, delay: float = 0.0):
        super().__init__(message)
        self.message = message
        self.delay = delay


class AuthFailed(AuthError):
    """Wrong password, unknown user name, or no address at all: all in the same words.

    app_password_hint (mail programs' logins) adds that an app password may be needed,
    to every such refusal alike: it must not tell whether the account's own password
    was right and refused only by policy.app_passwords_only.
    """

    def __init__(self, *, delay: float = 0.0, app_password_hint: bool = False):
        message = gettext("Invalid user name or password.")
        if app_password_hint:
            message = gettext("Invalid user name or password. Mail programs may need an app password instead "
                              "of the account's password.")
        super().__init__(message, delay=delay)


class AccountDisabled(AuthError):
    """The password was right, but the account or its domain is disabled."""

    def __init__(self, *, delay: float = 0.0):
        super().__init__(gettext("This account is disabled."), delay=delay)


class LockedOut(AuthError):
    """Too many recent failures for this account or from this address; the password was not checked."""

    def __init__(self, *, retry_after: float, delay: float = 0.0):
        super().__init__(gettext("Too many failed logins; try again later."), delay=delay)
        self.retry_after = retry_after


class DirectoryUnavailable(AuthError):
    """The company directory (LDAP) could not answer: down, too slow, or refusing the
    service bind. Nothing was learnt about the password, so it is neither a wrong-password
    answer nor a counted failure; the client should try again later (IMAP
    NO [UNAVAILABLE], SMTP 454 4.7.0, POP3 -ERR [SYS/TEMP]; docs/ldap.md, "Authentication")."""

    def __init__(self):
        super().__init__(gettext("The company directory is unavailable; try again in a few minutes."))


class RateLimited(Exception):
    """More events (messages sent, relay requests) than a rate limit allows; retry_after in seconds."""

    def __init__(self, *, retry_after: float):
        minutes = max(1, -(-int(retry_after) // 60))  # rounded up: never "try again in 0 minutes"
        message = ngettext(
            "Too many messages in too short a time; try again in %(minutes)d minute.",
            "Too many messages in too short a time; try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class SaslError(Exception):
    """A SASL exchange that cannot go on. Subclasses say why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MalformedSasl(SaslError):
    """Not a valid response for the mechanism (IMAP BAD, SMTP 501 5.5.2, POP3 -ERR)."""

    def __init__(self):
        super().__init__(gettext("The authentication data is not valid."))


class SaslCancelled(SaslError):
    """The client answered "*" (RFC 4954 §4, RFC 9051 §6.2.2, RFC 5034 §4)."""

    def __init__(self):
        super().__init__(gettext("Authentication cancelled."))


class AuthorizationRefused(SaslError):
    """The client asked to act as another user (a PLAIN authzid that is not its own)."""

    def __init__(self):
        super().__init__(gettext("Logging in as another user is not allowed."))
