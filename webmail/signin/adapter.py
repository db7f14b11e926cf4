"""allauth adapters: no self sign-up (accounts come from the panel or the CLI), MFA
secrets sealed at rest (mailcore.auth.sealing), and an unreachable company directory
told apart from a wrong password."""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import ValidationError

from mailcore.auth.errors import DirectoryUnavailable
from mailcore.auth.sealing import seal, unseal

MFA_PURPOSE = "mfa"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False

    def authenticate(self, request, **credentials):
        """allauth's check, except that an LDAP outage is a form error of its own: not
        "wrong password", and not counted against allauth's failed-login limit."""
        try:
            return super().authenticate(request, **credentials)
        except DirectoryUnavailable as error:
            self._rollback_login_failed_rl_usage()
            raise ValidationError(error.message, code="directory_unavailable") from None


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(text, MFA_PURPOSE)

    def decrypt(self, encrypted_text: str) -> str:
        return unseal(encrypted_text, MFA_PURPOSE)
