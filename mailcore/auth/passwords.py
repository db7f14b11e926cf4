"""Checking an account's password for the protocols (IMAP, POP3, SMTP submission).

The account is found by any spelling of its address (case, IDN U-label, domain alias);
disabled accounts and accounts of disabled domains are refused. Run off the event loop:
password hashing is slow on purpose.
"""
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import find_account
from mailcore.directory.models import Account


def verify_password(username: str, password: str) -> Account | None:
    """The active account whose address and password these are, or None."""
    try:
        account = find_account(parse_address(username))
    except ValidationError:
        return None
    if account is None or not account.active or not account.domain.active:
        return None
    user = authenticate(username=account.user.username, password=password)
    return account if user is not None and user.pk == account.user_id else None
