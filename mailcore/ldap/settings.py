"""Read the LDAP settings from the environment (docs/ldap.md, "Settings").

All empty by default: without HOPTHU_LDAP_URL there is no LDAP and read_ldap_settings()
returns None. config/settings.py calls it once and keeps the result as
settings.HOPTHU_LDAP; everything else reads that object, never the environment.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DATABASE_ALIAS = "ldap"  # the second database alias, present only when LDAP is configured

# Values of HOPTHU_LDAP_ENABLED_ATTR that mean "enabled" (compared case-insensitively).
DEFAULT_ENABLED_VALUES = ("true", "1", "yes", "active", "enabled")
# Active Directory's userAccountControl: bit 0x2 is ACCOUNTDISABLE (MS-ADTS §2.2.16).
AD_ACCOUNT_CONTROL = "useraccountcontrol"
AD_ACCOUNTDISABLE = 0x2

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class LdapSettings:
    """Where the directory is, how to read it, and which groups give which roles."""

    url: str
    user_base: str
    starttls: bool = False
    bind_dn: str = ""
    bind_password: str = field(default="", repr=False)
    user_filter: str = "(objectClass=inetOrgPerson)"
    group_base: str = ""
    group_filter: str = "(|(objectClass=groupOfNames)(objectClass=group))"
    login_attr: str = "uid"
    mail_attr: str = "mail"
    alias_attr: str = "mailAlternateAddress"
    display_name_attr: str = "displayName"
    quota_attr: str = ""
    enabled_attr: str = ""
    enabled_values: tuple[str, ...] = DEFAULT_ENABLED_VALUES
    group_member_attr: str = "member"
    superadmin_group: str = ""
    # (domain, group DN) pairs: members of the group administer the domain in the panel.
    domain_admin_groups: tuple[tuple[str, str], ...] = ()
    timeout: int = 5  # seconds, for connecting and for each search
    ca_file: str = ""  # a CA bundle for ldaps:// or StartTLS; empty: the system's
    sync_seconds: int = 900  # the beat task's period; 0: no periodic sync

    @property
    def uses_ad_account_control(self) -> bool:
        return self.enabled_attr.lower() == AD_ACCOUNT_CONTROL

    def is_enabled(self, values: list[str]) -> bool:
        """Return whether an entry's enabled-flag values mean the account is enabled.

        No flag attribute configured, or the entry lacks it: enabled (the user filter
        decides who has mail). userAccountControl: enabled unless ACCOUNTDISABLE is set.
        """
        if not self.enabled_attr or not values:
            return True
        if self.uses_ad_account_control:
            try:
                return not int(values[0]) & AD_ACCOUNTDISABLE
            except ValueError:
                return False
        return values[0].strip().lower() in self.enabled_values

    def database(self) -> dict:
        """The DATABASES entry for django-ldapdb (the `ldap` alias)."""
        import ldap

        options = {
            ldap.OPT_NETWORK_TIMEOUT: self.timeout,
            ldap.OPT_TIMEOUT: self.timeout,
            ldap.OPT_REFERRALS: 0,  # Active Directory's referrals would need another bind
            "query_timeout": self.timeout,
        }
        if self.ca_file:
            options[ldap.OPT_X_TLS_CACERTFILE] = self.ca_file
        if self.ca_file or self.url.startswith("ldaps:") or self.starttls:
            options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
            options[ldap.OPT_X_TLS_NEWCTX] = 0  # last: applies the TLS options above
        return {
            "ENGINE": "ldapdb.backends.ldap",
            "NAME": self.url,
            "USER": self.bind_dn,
            "PASSWORD": self.bind_password,
            "TLS": self.starttls,
            # One try, no 60 s sleep between reconnects: an outage is reported at once.
            "RETRY_MAX": 1,
            "RETRY_DELAY": 0.0,
            "CONNECTION_OPTIONS": options,
        }


def _value(environ: Mapping[str, str], name: str, default: str = "") -> str:
    return environ.get(name, default).strip() or default


def _bool(environ, name) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def _int(environ, name, default: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, got {raw!r}")
    return value


def _password(environ) -> str:
    """HOPTHU_LDAP_BIND_PASSWORD, or the first line of the file HOPTHU_LDAP_BIND_PASSWORD_FILE."""
    inline = environ.get("HOPTHU_LDAP_BIND_PASSWORD", "")
    path = environ.get("HOPTHU_LDAP_BIND_PASSWORD_FILE", "").strip()
    if inline and path:
        raise ImproperlyConfigured(
            "Set HOPTHU_LDAP_BIND_PASSWORD or HOPTHU_LDAP_BIND_PASSWORD_FILE, not both")
    if not path:
        return inline
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ImproperlyConfigured(f"HOPTHU_LDAP_BIND_PASSWORD_FILE: cannot read {path}: {exc.strerror}") from None
    return text.splitlines()[0] if text else ""


def parse_domain_admin_groups(text: str) -> tuple[tuple[str, str], ...]:
    """Parse `domain=group DN` pairs separated by `;` or new lines.

    A DN holds `=` and `,`, a domain name neither: the first `=` ends the domain.
    Example: `example.vn=cn=mail-admins,ou=groups,dc=example,dc=vn; shop.vn=cn=shop-admins,...`.
    """
    pairs = []
    for item in text.replace("\n", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        domain, sep, dn = item.partition("=")
        # A domain has a dot; an item that starts with a DN's "cn=" has none before its "=".
        if not sep or "." not in domain or "," in domain or "=" not in dn:
            raise ImproperlyConfigured(
                f"HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS: {item!r} is not domain=group DN")
        try:  # read before the apps load: IDNA here, the directory's checks at sync time
            name = domain.strip().lower().encode("idna").decode("ascii")
        except UnicodeError:
            raise ImproperlyConfigured(
                f"HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS: {domain.strip()!r} is not a domain name") from None
        pairs.append((name, dn.strip()))
    return tuple(pairs)


def read_ldap_settings(environ: Mapping[str, str] = os.environ) -> LdapSettings | None:
    """Return the LDAP settings, or None when HOPTHU_LDAP_URL is empty (no LDAP)."""
    url = _value(environ, "HOPTHU_LDAP_URL")
    if not url:
        return None
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("ldap", "ldaps"):
        raise ImproperlyConfigured(f"HOPTHU_LDAP_URL must start with ldap:// or ldaps://, got {url!r}")
    starttls = _bool(environ, "HOPTHU_LDAP_STARTTLS")
    if starttls and scheme == "ldaps":
        raise ImproperlyConfigured("HOPTHU_LDAP_STARTTLS=1 is for ldap:// URLs; ldaps:// is TLS already")
    user_base = _value(environ, "HOPTHU_LDAP_USER_BASE")
    if not user_base:
        raise ImproperlyConfigured("HOPTHU_LDAP_USER_BASE is required when HOPTHU_LDAP_URL is set")
    defaults = LdapSettings(url=url, user_base=user_base)
    enabled_values = tuple(v.strip().lower() for v in environ.get("HOPTHU_LDAP_ENABLED_VALUES", "").split(",")
                           if v.strip()) or DEFAULT_ENABLED_VALUES
    ca_file = _value(environ, "HOPTHU_LDAP_CA_FILE")
    if ca_file and not Path(ca_file).is_file():
        raise ImproperlyConfigured(f"HOPTHU_LDAP_CA_FILE: no such file {ca_file}")
    return LdapSettings(
        url=url,
        user_base=user_base,
        starttls=starttls,
        bind_dn=_value(environ, "HOPTHU_LDAP_BIND_DN"),
        bind_password=_password(environ),
        user_filter=_value(environ, "HOPTHU_LDAP_USER_FILTER", defaults.user_filter),
        group_base=_value(environ, "HOPTHU_LDAP_GROUP_BASE"),
        group_filter=_value(environ, "HOPTHU_LDAP_GROUP_FILTER", defaults.group_filter),
        login_attr=_value(environ, "HOPTHU_LDAP_LOGIN_ATTR", defaults.login_attr),
        mail_attr=_value(environ, "HOPTHU_LDAP_MAIL_ATTR", defaults.mail_attr),
        # Set, even to nothing, it wins: HOPTHU_LDAP_ALIAS_ATTR= turns aliases off.
        alias_attr=environ.get("HOPTHU_LDAP_ALIAS_ATTR", defaults.alias_attr).strip(),
        display_name_attr=_value(environ, "HOPTHU_LDAP_DISPLAY_NAME_ATTR", defaults.display_name_attr),
        quota_attr=_value(environ, "HOPTHU_LDAP_QUOTA_ATTR"),
        enabled_attr=_value(environ, "HOPTHU_LDAP_ENABLED_ATTR"),
        enabled_values=enabled_values,
        group_member_attr=_value(environ, "HOPTHU_LDAP_GROUP_MEMBER_ATTR", defaults.group_member_attr),
        superadmin_group=_value(environ, "HOPTHU_LDAP_SUPERADMIN_GROUP"),
        domain_admin_groups=parse_domain_admin_groups(environ.get("HOPTHU_LDAP_DOMAIN_ADMIN_GROUPS", "")),
        timeout=_int(environ, "HOPTHU_LDAP_TIMEOUT", defaults.timeout) or defaults.timeout,
        ca_file=ca_file,
        sync_seconds=_int(environ, "HOPTHU_LDAP_SYNC_SECONDS", defaults.sync_seconds),
    )
