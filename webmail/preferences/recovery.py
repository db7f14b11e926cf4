"""The recovery address: where allauth's "Forgot password?" sends the reset link.

It is stored where allauth looks (User.email and one EmailAddress, verified and
primary). It is taken as verified without a confirmation mail: the signed-in user
chose it, and a wrong one only sends their own reset links elsewhere. allauth keeps a
verified address to one user (ACCOUNT_UNIQUE_EMAIL), so a taken one is refused here.
"""
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _


def recovery_address(user) -> str:
    return user.email


@transaction.atomic
def set_recovery_address(account, email: str) -> None:
    """Set (or, with "", remove) the recovery address of account's user."""
    user = account.user
    email = (email or "").strip().lower()
    if email and email in (account.address.lower(), account.display_address.lower()):
        raise ValidationError({"email": _("Choose another address: you cannot read this one when you cannot "
                                          "sign in.")})
    if email and EmailAddress.objects.filter(email__iexact=email, verified=True).exclude(user=user).exists():
        raise ValidationError({"email": _("This address is already the recovery address of another account.")})
    EmailAddress.objects.filter(user=user).delete()
    if email:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    user.email = email
    user.save(update_fields=["email"])
