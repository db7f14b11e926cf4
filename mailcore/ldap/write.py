"""Writing to the company directory, when HOPTHU_LDAP_WRITABLE says the bind DN may.

Two writes only, both as the service bind DN (docs/ldap.md, "Authentication"):
- change_password(): the Password Modify extended operation (RFC 3062), what
  `ldappasswd` sends; the server hashes the new password with its own scheme
  (slapd's password-hash, Active Directory's unicodePwd rules), HopThu never does.
- create_person(): an inetOrgPerson under the user base, then its password the same way.

Blocking: call from a web request or a task, never on an event loop. Errors come out
as DirectoryWriteError (refused: permission, an entry that exists, a policy on the
password) or DirectoryUnavailable (no answer), with a message for people.
"""
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

from mailcore.auth.errors import DirectoryUnavailable
from mailcore.auth.ldapbind import describe, find_user_dn, service_connection

log = logging.getLogger(__name__)


class DirectoryWriteError(Exception):
    """The directory answered and refused the write."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DirectoryNotWritable(DirectoryWriteError):
    def __init__(self):
        super().__init__(gettext("Passwords are managed by the company directory."))


def writable() -> bool:
    """True if LDAP is configured and HOPTHU_LDAP_WRITABLE says its bind DN may write."""
    return settings.HOPTHU_LDAP is not None and settings.HOPTHU_LDAP_WRITABLE


def change_password(address: str, new_password: str) -> None:
    """Set the directory password of the entry whose mail attribute is address (RFC 3062)."""
    import ldap

    if not writable():
        raise DirectoryNotWritable()
    with service_connection() as connection:
        dn = find_user_dn(connection, address)
        if dn is None:
            raise DirectoryWriteError(gettext("The company directory has no entry for this address."))
        try:
            # RFC 3062 §2: userIdentity is the DN; no oldPasswd, since the service DN
            # writes (the caller verified the old password with a bind as the user).
            connection.passwd_s(dn, None, new_password)
        except ldap.INSUFFICIENT_ACCESS:
            log.error("The LDAP bind DN may not change the password of %s", dn)
            raise DirectoryWriteError(gettext("The company directory refused the change.")) from None
        except (ldap.CONSTRAINT_VIOLATION, ldap.UNWILLING_TO_PERFORM) as error:
            log.info("LDAP refused a new password for %s: %s", dn, describe(error))
            raise DirectoryWriteError(
                gettext("The company directory refused this password (its password policy).")) from None
        except ldap.LDAPError as error:
            log.warning("LDAP password change for %s failed: %s", dn, describe(error))
            raise DirectoryUnavailable() from None
    log.info("Changed the LDAP password of %s", dn)


@dataclass(frozen=True)
class NewPerson:
    uid: str  # the RDN value: <login attribute>=<uid>,<user base>
    address: str
    display_name: str
    password: str


def create_person(person: NewPerson) -> str:
    """Add an inetOrgPerson for person under the user base; return its DN."""
    import ldap
    from ldap.dn import escape_dn_chars

    if not writable():
        raise DirectoryNotWritable()
    config = settings.HOPTHU_LDAP
    dn = f"{config.login_attr}={escape_dn_chars(person.uid)},{config.user_base}"
    name = person.display_name.strip() or person.uid
    values = {
        "objectClass": "inetOrgPerson",
        "cn": name,
        "sn": name.split()[0],  # Vietnamese names put the family name first
        config.display_name_attr: name,
        config.login_attr: person.uid,  # after cn: a directory named by cn gets the uid as its cn
        config.mail_attr: person.address,
    }
    attributes = [(attribute, [value.encode()]) for attribute, value in values.items()]
    with service_connection() as connection:
        try:
            if find_user_dn(connection, person.address) is not None:
                raise DirectoryWriteError(gettext("The company directory already has this address."))
            connection.add_s(dn, attributes)
        except ldap.ALREADY_EXISTS:
            raise DirectoryWriteError(gettext("The company directory already has this user name.")) from None
        except ldap.INSUFFICIENT_ACCESS:
            log.error("The LDAP bind DN may not add entries under %s", config.user_base)
            raise DirectoryWriteError(gettext("The company directory refused the new user.")) from None
        except (ldap.OBJECT_CLASS_VIOLATION, ldap.INVALID_SYNTAX, ldap.UNDEFINED_TYPE) as error:
            log.error("LDAP refused the new entry %s: %s", dn, describe(error))
            raise DirectoryWriteError(gettext("The company directory refused the new user.")) from None
        except ldap.LDAPError as error:
            log.warning("Adding %s to LDAP failed: %s", dn, describe(error))
            raise DirectoryUnavailable() from None
        try:
            connection.passwd_s(dn, None, person.password)  # RFC 3062, hashed by the server
        except ldap.LDAPError as error:
            log.error("The new LDAP entry %s got no password: %s", dn, describe(error))
            raise DirectoryWriteError(gettext("The user was created in the company directory, "
                                              "but its password could not be set.")) from None
    log.info("Added %s to LDAP", dn)
    return dn
