"""allauth's password forms, with what a new password must end besides the old one
(ACCOUNT_FORMS; docs/security.md, "Mail clients and the second factor").

- A reset ("Forgot password?") revokes the app passwords and ends every browser
  session (mailcore.auth.reset): whoever had the old password loses what it made.
- A change by the signed-in user ends the user's other browser sessions and keeps this
  one (allauth keeps it: ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False). App passwords stay:
  the user knew the old password and can delete them on the App passwords page.
"""
from allauth.account import forms
from allauth.core import context

from mailcore.auth.reset import after_password_reset
from mailcore.auth.sessions import end_browser_sessions


class ResetPasswordKeyForm(forms.ResetPasswordKeyForm):
    def save(self) -> None:
        super().save()
        after_password_reset(self.user)


class ChangePasswordForm(forms.ChangePasswordForm):
    def save(self) -> None:
        super().save()
        request = context.request  # allauth's middleware sets it for the request being served
        end_browser_sessions(self.user, keep_session_key=request.session.session_key)
