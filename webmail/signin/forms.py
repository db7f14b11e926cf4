"""allauth's password forms, with what a new password must end besides the old one
(ACCOUNT_FORMS; docs/security.md, "Mail clients and the second factor").

- A reset ("Forgot password?") revokes the app passwords and ends every browser
  session (mailcore.auth.reset): whoever had the old password loses what it made.
- A change by the signed-in user ends the user's other browser sessions and keeps this
  one (allauth keeps it: ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False). App passwords stay:
  the user knew the old password and can delete them on the App passwords page.

An account from the company directory (LDAP; docs/ldap.md, "Authentication") has its
password there: the current password is checked by a bind, and the new one is written
to LDAP when HOPTHU_LDAP_WRITABLE allows it; otherwise the page says the directory
manages it and takes no new password (managed_by_directory hides the form).
"""
from allauth.account import forms
from allauth.account.adapter import get_adapter
from allauth.core import context
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.auth.directory_password import (
    change_directory_password,
    check_directory_password,
    directory_account,
)
from mailcore.auth.errors import DirectoryUnavailable
from mailcore.auth.reset import after_password_reset
from mailcore.auth.sessions import end_browser_sessions
from mailcore.ldap.write import DirectoryWriteError, writable

MANAGED_BY_DIRECTORY = _("Your password is managed by the company directory. To change it, use your "
                         "company's usual way (or ask your IT staff).")


class DirectoryPasswordMixin:
    """For a form with self.user and a new password in password1."""

    def _set_up_directory(self) -> None:
        self.directory_account = directory_account(self.user) if self.user is not None else None
        self.managed_by_directory = self.directory_account is not None and not writable()

    def _write_to_directory(self) -> None:
        """Write the new password to LDAP; errors become the form's (called from clean)."""
        if self.managed_by_directory:
            raise ValidationError(MANAGED_BY_DIRECTORY, code="managed_by_directory")
        if self.directory_account is None or self.errors:
            return
        try:
            change_directory_password(self.directory_account, self.cleaned_data["password1"])
        except ValidationError as exc:  # the password rules; password1 was checked by them already
            self.add_error("password1", exc.message_dict.get("password", exc.messages))
        except (DirectoryWriteError, DirectoryUnavailable) as error:
            raise ValidationError(error.message, code="directory") from None


class ResetPasswordKeyForm(DirectoryPasswordMixin, forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_directory()

    def clean(self):
        cleaned_data = super().clean()
        # The write happens here, not in save(), so that a refusal shows on the form.
        self._write_to_directory()
        return cleaned_data

    def save(self) -> None:
        if self.directory_account is None:
            super().save()  # a local account: the password is the local hash
        after_password_reset(self.user)


class ChangePasswordForm(DirectoryPasswordMixin, forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._set_up_directory()

    def clean_oldpassword(self) -> str:
        if self.directory_account is None:
            return super().clean_oldpassword()
        password = self.cleaned_data.get("oldpassword", "")
        try:
            accepted = check_directory_password(self.directory_account, password)
        except DirectoryUnavailable as error:
            raise ValidationError(error.message, code="directory_unavailable") from None
        if not accepted:
            raise get_adapter().validation_error("enter_current_password")
        return password

    def clean(self):
        cleaned_data = super().clean()
        self._write_to_directory()  # here, not in save(), so that a refusal shows on the form
        return cleaned_data

    def save(self) -> None:
        if self.directory_account is None:
            super().save()
        request = context.request  # allauth's middleware sets it for the request being served
        end_browser_sessions(self.user, keep_session_key=request.session.session_key)
