"""Write side of the "mail programs only with app passwords" switch of an account.

The domain's switch is changed through services.update_domain(name, app_passwords_only=…);
mailcore.auth.policy reads both at every login. Raises ValidationError keyed by field,
like services.py.
"""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Account, AppPasswordsOnly
from .services import get_account


@transaction.atomic
def set_app_passwords_only(address, mode: str) -> Account:
    """Set an account's own word: "default" (on with TOTP), "on" or "off" (AppPasswordsOnly)."""
    if mode not in AppPasswordsOnly.values:
        raise ValidationError({"app_passwords_only": _("Choose one of the offered values.")})
    account = get_account(address)
    account.app_passwords_only = mode
    account.save(update_fields=["app_passwords_only"])
    return account
