"""Checking a password against the company directory (LDAP) by binding as the user.

For an account that comes from LDAP, the account's own password is the directory's:
HopThu keeps no copy. verify_password() does what every LDAP-backed mail server does
(Dovecot's auth_bind, SSSD): bind with the service DN, search the user base for the one
entry whose mail attribute is the account's address, then bind as that entry's DN with the
password given (RFC 4513 §5.1.3, simple bind). App passwords stay local (credentials.py).

Blocking, on a connection of its own: call it off the event loop (credentials.py runs
on the protocols' worker threads). Every network step is bounded by the directory
timeout, so a dead server costs a login at most a few seconds, never a hung thread.

Three outcomes, kept apart on purpose:
- True: the directory accepted the password.
- False: the directory answered and refused it (wrong password, no such entry, more
  than one entry for the address). A failure like any other.
- DirectoryUnavailable: the directory did not answer (down, too slow, TLS or the
  service bind failing). Nothing was learnt about the password: not a failure.
"""
import logging
from contextlib import contextmanager, suppress

from django.conf import settings

from .errors import DirectoryUnavailable

log = logging.getLogger(__name__)


def directory_configured() -> bool:
    """True if LDAP is configured (HOPTHU_LDAP_URL; settings.HOPTHU_LDAP is then set)."""
    return settings.HOPTHU_LDAP is not None


def open_connection():
    """A new connection to the directory, bound as the service DN (HOPTHU_LDAP_BIND_DN).

    Every operation on it is bounded by the directory timeout: connecting
    (OPT_NETWORK_TIMEOUT), StartTLS, the bind and each search (OPT_TIMEOUT). Raises
    ldap.LDAPError.
    """
    import ldap

    config = settings.HOPTHU_LDAP
    connection = ldap.initialize(config.url)
    connection.protocol_version = ldap.VERSION3
    connection.set_option(ldap.OPT_NETWORK_TIMEOUT, config.timeout)
    connection.set_option(ldap.OPT_TIMEOUT, config.timeout)
    connection.set_option(ldap.OPT_REFERRALS, 0)  # a referral would need another bind
    if config.ca_file:
        connection.set_option(ldap.OPT_X_TLS_CACERTFILE, config.ca_file)
    if config.ca_file or config.url.lower().startswith("ldaps:") or config.starttls:
        connection.set_option(ldap.OPT_X_TLS_REQUIRE_CERT, ldap.OPT_X_TLS_DEMAND)
        connection.set_option(ldap.OPT_X_TLS_NEWCTX, 0)  # last: applies the TLS options above
    try:
        if config.starttls:
            connection.start_tls_s()  # RFC 4513 §3: before any password crosses the wire
        connection.simple_bind_s(config.bind_dn, config.bind_password)
    except ldap.LDAPError:
        with suppress(ldap.LDAPError):
            connection.unbind_s()
        raise
    return connection


def verify_password(address: str, password: str) -> bool:
    """True if the directory entry for address accepts password in a simple bind."""
    import ldap

    if not password:
        # RFC 4513 §5.1.2: a simple bind with a DN and an empty password is an
        # "unauthenticated bind", which servers accept without checking anything.
        return False
    with service_connection() as connection:
        dn = find_user_dn(connection, address)
        if dn is None:
            return False
        try:
            connection.simple_bind_s(dn, password)
        except (ldap.INVALID_CREDENTIALS, ldap.INAPPROPRIATE_AUTH, ldap.UNWILLING_TO_PERFORM):
            return False  # RFC 4511 §4.2.2: the server judged the credentials
        except ldap.LDAPError as error:
            raise _unavailable("bind as the user", error) from None
    return True


def find_user_dn(connection, address: str) -> str | None:
    """The DN of the one user entry under the user base whose mail attribute is address.

    None when there is none or more than one (an ambiguous address opens nothing).
    """
    import ldap
    from ldap.filter import escape_filter_chars

    config = settings.HOPTHU_LDAP
    query = f"(&{config.user_filter}({config.mail_attr}={escape_filter_chars(address)}))"
    try:
        found = connection.search_ext_s(config.user_base, ldap.SCOPE_SUBTREE, query, ["1.1"],
                                        timeout=config.timeout, sizelimit=2)
    except ldap.SIZELIMIT_EXCEEDED:
        found = [None, None]
    except ldap.NO_SUCH_OBJECT:
        log.error("The LDAP user base %s does not exist", config.user_base)
        raise DirectoryUnavailable() from None
    except ldap.LDAPError as error:
        raise _unavailable("search", error) from None
    entries = [dn for dn, _attributes in (entry or (None, None) for entry in found) if dn]
    if len(entries) == 1 and len(found) == 1:
        return entries[0]
    if len(found) > 1:
        log.warning("More than one LDAP entry has the address %s; none may log in", address)
    return None


@contextmanager
def service_connection():
    """A connection bound as the service DN, unbound afterwards; DirectoryUnavailable if none."""
    import ldap

    try:
        connection = open_connection()
    except ldap.INVALID_CREDENTIALS:
        log.error("The LDAP service bind DN or password is refused by the directory")
        raise DirectoryUnavailable() from None
    except ldap.LDAPError as error:
        raise _unavailable("connect", error) from None
    try:
        yield connection
    finally:
        with suppress(ldap.LDAPError):
            connection.unbind_s()


def _unavailable(step: str, error) -> DirectoryUnavailable:
    log.warning("LDAP unavailable (%s): %s", step, describe(error))
    return DirectoryUnavailable()


def describe(error) -> str:
    details = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
    return details.get("desc", type(error).__name__) + (f" ({details['info']})" if details.get("info") else "")
