"""A new person in the company directory together with their mail account (the panel's
"New directory user"; docs/ldap.md, "Authentication"). Blocking."""
import secrets

from django.db import transaction

from mailcore.directory import services
from mailcore.directory.models import Account

from .write import NewPerson, create_person


def create_directory_account(person: NewPerson) -> tuple[str, Account]:
    """Add person to LDAP and make their account, marked as from LDAP; return (DN, account).

    The account is made first inside a transaction and the LDAP entry last: a refusal by
    the directory (ValidationError from the directory's rules, DirectoryWriteError,
    DirectoryUnavailable) leaves neither behind. The local password is a random
    placeholder: the directory's password is the one that opens the account.
    """
    with transaction.atomic():
        account = services.create_account(person.address, secrets.token_urlsafe(32),
                                           display_name=person.display_name)
        dn = create_person(person)
        account.ldap_dn = dn.lower()  # as the sync records it
        account.save(update_fields=["ldap_dn"])
    return dn, account
