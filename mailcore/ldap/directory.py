"""Read the company directory into plain data: people (DirectoryPerson) and group members.

Everything is read before the sync changes anything, so an outage half-way changes
nothing. Whatever goes wrong talking to LDAP (server down or hung past
HOPTHU_LDAP_TIMEOUT, bind refused, a bad filter, a base that doesn't exist) becomes one
DirectoryUnavailable with a message that says which, in the reader's language.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import ldap
from django.db import Error as DatabaseError
from django.utils.translation import gettext as _

from .models import filtered, group_model, person_model
from .settings import LdapSettings

# Active Directory's proxyAddresses hold "SMTP:primary@x", "smtp:alias@x", "X500:...",
# "sip:...": the smtp ones are mail addresses, the upper-case one the primary.
SMTP_PREFIX = "smtp:"


class DirectoryUnavailable(Exception):
    """LDAP could not be read; nothing was changed because of it."""


@dataclass(frozen=True)
class DirectoryPerson:
    dn: str  # normalized (normalize_dn)
    login: str
    address: str  # the primary mail address as the directory writes it ("" if none)
    aliases: tuple[str, ...]
    display_name: str
    quota: int | None  # bytes; None: the directory says nothing
    enabled: bool


def normalize_dn(dn: str) -> str:
    """A DN in one spelling (RFC 4514 §2, values compared case-insensitively), for comparing."""
    try:
        return ldap.dn.dn2str(ldap.dn.str2dn(dn.strip())).lower()
    except ldap.DECODING_ERROR:
        return dn.strip().lower()


def _explain(error: Exception, ldap_settings: LdapSettings) -> str:
    """A one-line reason for an LDAP failure, naming the setting to look at."""
    cause = error.__cause__ if isinstance(error, DatabaseError) and error.__cause__ else error
    if isinstance(cause, ldap.SERVER_DOWN | ldap.CONNECT_ERROR):
        return _("cannot reach the LDAP server at %(url)s (HOPTHU_LDAP_URL)") % {"url": ldap_settings.url}
    if isinstance(cause, ldap.TIMEOUT):
        return _("the LDAP server at %(url)s did not answer within %(seconds)d s (HOPTHU_LDAP_TIMEOUT)") % {
            "url": ldap_settings.url, "seconds": ldap_settings.timeout}
    if isinstance(cause, ldap.INVALID_CREDENTIALS):
        return _("the LDAP server refused the bind as %(dn)s (HOPTHU_LDAP_BIND_DN, HOPTHU_LDAP_BIND_PASSWORD)") % {
            "dn": ldap_settings.bind_dn or _("anonymous")}
    if isinstance(cause, ldap.FILTER_ERROR):
        return _("the LDAP server refused a search filter (HOPTHU_LDAP_USER_FILTER, HOPTHU_LDAP_GROUP_FILTER)")
    if isinstance(cause, ldap.LDAPError) and cause.args and isinstance(cause.args[0], dict):
        details = cause.args[0]
        text = details.get("desc", "") + (f": {details['info']}" if details.get("info") else "")
        return _("LDAP error: %(error)s") % {"error": text}
    return _("LDAP error: %(error)s") % {"error": cause}


def reading(function: Callable) -> Callable:
    """Turn any LDAP failure of function(ldap_settings, ...) into DirectoryUnavailable."""

    @functools.wraps(function)
    def wrapper(ldap_settings: LdapSettings, *args, **kwargs):
        try:
            return function(ldap_settings, *args, **kwargs)
        except (ldap.LDAPError, DatabaseError) as error:
            raise DirectoryUnavailable(_explain(error, ldap_settings)) from error

    return wrapper


def _addresses(values: list[str]) -> tuple[list[str], str]:
    """Mail addresses among values, and the primary one AD marks `SMTP:` ("" if none)."""
    addresses, primary = [], ""
    for value in values:
        value = value.strip()
        if value[:5].lower() == SMTP_PREFIX:
            address = value[5:].strip()
            if value.startswith("SMTP:") and not primary:
                primary = address
        elif ":" in value.split("@")[0]:
            continue  # X500:, sip:, ... : not mail
        else:
            address = value
        if "@" in address:
            addresses.append(address)
    return addresses, primary


def _quota(text: str | None) -> int | None:
    try:
        value = int((text or "").strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def person_from_entry(entry, ldap_settings: LdapSettings) -> DirectoryPerson:
    """One ldapdb person entry as plain data (mail attribute first, then AD's SMTP:)."""
    mail, mail_primary = _addresses(entry.mail)
    extra, alias_primary = _addresses(getattr(entry, "aliases", []))
    primary = (mail[0] if mail else "") or mail_primary or alias_primary
    seen = {primary.lower()}
    aliases = []
    for address in [*mail[1:], *extra]:  # a multi-valued mail attribute: the rest are aliases
        if address.lower() not in seen:
            seen.add(address.lower())
            aliases.append(address)
    flag = getattr(entry, "enabled_flag", "")
    return DirectoryPerson(
        dn=normalize_dn(entry.dn),
        login=entry.login or "",
        address=primary,
        aliases=tuple(aliases),
        display_name=(entry.display_name or entry.common_name or "").strip(),
        quota=_quota(getattr(entry, "quota", None)),
        enabled=ldap_settings.is_enabled([flag] if flag else []),
    )


@reading
def read_people(ldap_settings: LdapSettings) -> list[DirectoryPerson]:
    """Every entry under HOPTHU_LDAP_USER_BASE matching HOPTHU_LDAP_USER_FILTER."""
    model = person_model(ldap_settings)
    check_base(ldap_settings, ldap_settings.user_base, "HOPTHU_LDAP_USER_BASE")
    entries = filtered(model.objects.all(), ldap_settings.user_filter)
    return sorted((person_from_entry(entry, ldap_settings) for entry in entries), key=lambda p: p.dn)


@reading
def read_group_members(ldap_settings: LdapSettings, group_dn: str) -> frozenset[str] | None:
    """The member DNs (normalized) of the group at group_dn, or None if there is no such group."""
    model = group_model(ldap_settings)
    try:
        group = model.objects.get(dn=group_dn)
    except model.DoesNotExist:
        return None
    return frozenset(normalize_dn(member) for member in group.members)


@reading
def read_groups(ldap_settings: LdapSettings) -> list[tuple[str, int]]:
    """(DN, member count) of the groups under HOPTHU_LDAP_GROUP_BASE matching its filter."""
    model = group_model(ldap_settings)
    check_base(ldap_settings, model.base_dn, "HOPTHU_LDAP_GROUP_BASE")
    groups = filtered(model.objects.all(), ldap_settings.group_filter)
    return sorted((group.dn, len(group.members)) for group in groups)


def check_base(ldap_settings: LdapSettings, base: str, setting: str) -> None:
    """Refuse a search base that doesn't exist: ldapdb would answer "nobody" (and the sync
    would then disable everyone)."""
    from django.db import connections

    from .connection import ldap_alias

    connection = connections[ldap_alias(ldap_settings)]
    try:
        list(connection.search_s(base, ldap.SCOPE_BASE, "(objectClass=*)", ["1.1"]))
    except ldap.NO_SUCH_OBJECT:
        raise DirectoryUnavailable(_("%(base)s does not exist in the directory (%(setting)s)") % {
            "base": base, "setting": setting}) from None
