"""allauth adapter: no self sign-up (accounts come from the panel or the CLI)."""
from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False
