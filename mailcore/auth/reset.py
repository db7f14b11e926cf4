"""What a password reset takes away besides the old password.

A reset (allauth's "Forgot password?" link, the panel's "Reset password") is what
someone does who lost the password, or fears someone else has it. So everything the
old password could have made is taken back too: the app passwords (made by whoever was
signed in) and every browser session. A password *change* by the signed-in user keeps
the app passwords and the session it was made in, and ends the user's other browser
sessions (webmail.signin.forms). Blocking (database).
"""
from django.db import transaction

from mailcore.directory.models import AppPassword

from .sessions import end_browser_sessions


@transaction.atomic
def after_password_reset(user) -> tuple[int, int]:
    """Revoke user's app passwords and end its browser sessions; return how many of each."""
    revoked, _by_model = AppPassword.objects.filter(account__user_id=user.pk).delete()
    return revoked, end_browser_sessions(user)
