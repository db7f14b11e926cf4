"""Django authentication backend for browser sign-in (webmail, and allauth in front of it).

It checks a mail account's address and password through check_credentials, so the
browser shares the IMAP/SMTP lockouts and failure counts (mailcore.auth.lockout), and it
refuses app passwords: those belong to mail clients, and the browser has a second factor.
When the company directory (LDAP) cannot check an LDAP account's password, it lets
DirectoryUnavailable through: Django's authenticate() passes it on to the sign-in form.
"""
import logging

from django.contrib.auth.backends import ModelBackend

from . import lockout
from .credentials import check_credentials
from .errors import AuthError, DirectoryUnavailable, LockedOut

log = logging.getLogger(__name__)


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; a proxy sets it via the server)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


class StaffBackend(ModelBackend):
    """Django's password check for users without a mailbox (admins) only: a mail account's
    user must never get around MailAccountBackend's lockouts and disabled checks here.

    Admin sign-ins obey the same lockouts as every other (mailcore.auth.lockout). A name
    with "@" was already counted by MailAccountBackend, which tries it first."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            return None
        counted_here = "@" not in username
        remote_ip = client_ip(request)
        try:
            lockout.ensure_allowed(remote_ip, username if counted_here else None)
        except LockedOut:
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if counted_here:
            if user is None:
                lockout.record_failure(remote_ip, username, "web")
            else:
                lockout.record_success(username)
        return user

    def user_can_authenticate(self, user):
        from mailcore.directory.models import Account

        return super().user_can_authenticate(user) and not Account.objects.filter(user=user).exists()


class MailAccountBackend(ModelBackend):
    """Signs in users that own a mail account; other users (admins) fall to StaffBackend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or "@" not in username:
            return None
        try:
            account = check_credentials(username, password or "", client_ip(request), "web",
                                        app_passwords=False)
        except DirectoryUnavailable:
            raise  # not a wrong password: the sign-in form says so (webmail/signin/adapter.py)
        except AuthError:
            return None
        user = account.user
        return user if self.user_can_authenticate(user) else None
