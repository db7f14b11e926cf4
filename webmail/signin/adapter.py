"""allauth adapters: no self sign-up (accounts come from the panel or the CLI), and MFA
secrets sealed at rest (mailcore.auth.sealing)."""
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from mailcore.auth.sealing import seal, unseal

MFA_PURPOSE = "mfa"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return seal(text, MFA_PURPOSE)

    def decrypt(self, encrypted_text: str) -> str:
        return unseal(encrypted_text, MFA_PURPOSE)
