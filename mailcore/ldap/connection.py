"""The `ldap` database alias for settings.HOPTHU_LDAP (django-ldapdb's connection).

config/settings.py adds DATABASES["ldap"] when HOPTHU_LDAP_URL is set. ldap_alias()
also registers it when settings.HOPTHU_LDAP is set at run time (tests point it at their
own slapd) and, when the settings changed, updates the alias in place and closes this
thread's connection, so the next query binds with the settings the caller sees.
"""
import contextlib

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from .settings import DATABASE_ALIAS, LdapSettings


class LdapNotConfigured(Exception):
    """HOPTHU_LDAP_URL is empty: there is no directory to read."""


def ldap_alias(ldap_settings: LdapSettings | None = None) -> str:
    """Return the database alias of the directory, matching ldap_settings (default: settings)."""
    ldap_settings = ldap_settings or settings.HOPTHU_LDAP
    if ldap_settings is None:
        raise LdapNotConfigured("HOPTHU_LDAP_URL is not set")
    wanted = ldap_settings.database()
    current = connections.settings.get(DATABASE_ALIAS)
    if current is None:
        # configure_settings() fills Django's defaults (AUTOCOMMIT, TIME_ZONE, TEST ...) and
        # wants the default alias beside it; that one is only read.
        configured = connections.configure_settings(
            {DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], DATABASE_ALIAS: dict(wanted)})
        connections.settings[DATABASE_ALIAS] = configured[DATABASE_ALIAS]
    elif any(current.get(key) != value for key, value in wanted.items()):
        # In place: the connection objects share this dict, and a test case's open
        # (no-op) atomic block on the alias stays the same object.
        current.update(wanted)
        close_connection()
    return DATABASE_ALIAS


def close_connection() -> None:
    """Unbind this thread's directory connection, if any; the next query binds again."""
    if DATABASE_ALIAS in connections.settings:
        with contextlib.suppress(Exception):  # a dead server's connection is gone anyway
            connections[DATABASE_ALIAS].close()
