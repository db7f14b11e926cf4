"""Make HopThu's accounts, aliases and panel roles follow the company directory.

The rules (docs/ldap.md, "What the sync does"):
- A person with a primary address in a hosted domain gets an account (not when the
  directory says they are disabled). A local account with the same address is adopted.
  Domains are never created: an address elsewhere is reported and passed over.
- The directory owns an LDAP account's display name, quota (when HOPTHU_LDAP_QUOTA_ATTR
  is set and the entry has one), enabled flag and LDAP aliases; nothing else of it.
- Nothing is deleted (mail is kept): a person who leaves the directory, loses their
  address, falls out of the filter or is disabled there gets a disabled account; their
  LDAP aliases are disabled when the directory stops listing them.
- Superadmin and domain-admin roles of LDAP accounts follow the mapped groups; a group
  that can't be found changes nobody's role. Local accounts' roles are never touched.
- The directory is read in full before anything changes, and nobody is disabled when it
  answers with nobody at all: an outage or a wrong base disables no one.
- One transaction; a dry run makes every change, reports it and rolls it back.
"""
from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mailcore.directory import services
from mailcore.directory.addresses import Address, parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Account, Alias, DomainAdmin

from .connection import LdapNotConfigured
from .directory import DirectoryPerson, DirectoryUnavailable, read_group_members, read_people
from .settings import LdapSettings

logger = logging.getLogger(__name__)

CREATED, ADOPTED, UPDATED, DISABLED, ENABLED = "created", "adopted", "updated", "disabled", "enabled"
ALIAS_ADDED, ALIAS_DISABLED, ALIAS_ENABLED = "alias-added", "alias-disabled", "alias-enabled"
ROLE_GRANTED, ROLE_REVOKED = "role-granted", "role-revoked"
SKIPPED = "skipped"


def kind_label(kind: str) -> str:
    return {
        CREATED: _("created"), ADOPTED: _("adopted"), UPDATED: _("updated"), DISABLED: _("disabled"),
        ENABLED: _("enabled"), ALIAS_ADDED: _("alias added"), ALIAS_DISABLED: _("alias disabled"),
        ALIAS_ENABLED: _("alias enabled"), ROLE_GRANTED: _("role granted"), ROLE_REVOKED: _("role revoked"),
        SKIPPED: _("skipped"),
    }[kind]


@dataclass(frozen=True)
class Change:
    kind: str
    subject: str  # an address, a DN or a login
    detail: str = ""


@dataclass
class SyncReport:
    dry_run: bool
    people: int = 0
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Change]:
        return [change for change in self.changes if change.kind == kind]

    def lines(self) -> list[str]:
        lines = [f"{kind_label(c.kind)}\t{c.subject}" + (f"\t{c.detail}" if c.detail else "") for c in self.changes]
        made = len([c for c in self.changes if c.kind != SKIPPED])
        summary = _("%(people)d people in LDAP, %(changes)d changes, %(skipped)d skipped.") % {
            "people": self.people, "changes": made, "skipped": len(self.of_kind(SKIPPED))}
        if self.dry_run:
            summary += " " + _("Dry run: nothing was changed.")
        return [*lines, summary]


def sync(ldap_settings: LdapSettings | None = None, *, dry_run: bool = False) -> SyncReport:
    """Read the directory, then apply it to the accounts, aliases and roles; return the report.

    Raises DirectoryUnavailable (nothing changed) when LDAP can't be read in full.
    """
    ldap_settings = ldap_settings or settings.HOPTHU_LDAP
    if ldap_settings is None:
        raise LdapNotConfigured(_("LDAP is not configured (HOPTHU_LDAP_URL is empty)."))
    people = read_people(ldap_settings)
    roles = _read_roles(ldap_settings)
    report = SyncReport(dry_run=dry_run, people=len(people))
    with transaction.atomic():
        if not people and Account.objects.exclude(ldap_dn="").filter(active=True).exists():
            raise DirectoryUnavailable(_("the directory listed nobody under %(base)s matching %(filter)s; "
                                         "refusing to disable every LDAP account") % {
                                             "base": ldap_settings.user_base, "filter": ldap_settings.user_filter})
        run = _Run(report)
        for person in people:
            run.person(person)
        run.gone()
        run.roles(ldap_settings, roles)
        if dry_run:
            transaction.set_rollback(True)
    return report


@dataclass(frozen=True)
class _Roles:
    superadmins: frozenset[str] | None  # None: not configured, or the group is missing
    superadmin_problem: str
    domain_admins: dict[str, frozenset[str] | None]


def _read_roles(ldap_settings: LdapSettings) -> _Roles:
    superadmins, problem = None, ""
    if ldap_settings.superadmin_group:
        superadmins = read_group_members(ldap_settings, ldap_settings.superadmin_group)
        if superadmins is None:
            problem = ldap_settings.superadmin_group
    domain_admins = {domain: read_group_members(ldap_settings, dn) for domain, dn in ldap_settings.domain_admin_groups}
    return _Roles(superadmins, problem, domain_admins)


def _describe(error: ValidationError) -> str:
    return " ".join(" ".join(error.messages).split())


class _Run:
    """One sync's changes, recorded in the report as they are made."""

    def __init__(self, report: SyncReport):
        self.report = report
        self.seen: set[str] = set()  # DNs whose account this run found or made

    def note(self, kind: str, subject: str, detail: str = "") -> None:
        self.report.changes.append(Change(kind, subject, detail))
        if kind != SKIPPED:
            logger.info("ldap sync: %s %s %s", kind, subject, detail)

    # --- People -------------------------------------------------------------------------

    def person(self, person: DirectoryPerson) -> None:
        if not person.address:
            self.note(SKIPPED, person.login or person.dn, _("no mail address in LDAP"))
            return
        try:
            address = parse_address(person.address)
        except ValidationError as error:
            self.note(SKIPPED, person.address, _describe(error))
            return
        if hosted_domain(address.domain) is None:
            self.note(SKIPPED, address.display, _("the domain is not hosted here"))
            return
        try:
            with transaction.atomic():  # one person's trouble undoes only their changes
                account = self._account_for(person, address)
                if account is not None:
                    self.seen.add(person.dn)
                    self._aliases(account, person)
        except ValidationError as error:
            self.note(SKIPPED, address.display, _describe(error))

    def _account_for(self, person: DirectoryPerson, address: Address) -> Account | None:
        account = Account.objects.select_related("user", "domain").filter(ldap_dn=person.dn).first()
        if account is None:
            account = Account.objects.select_related("user", "domain").filter(
                domain__name=address.domain, localpart=address.localpart).first()
            if account is not None and account.ldap_dn:
                self.note(SKIPPED, address.display, _("the account belongs to another LDAP entry (%(dn)s)")
                          % {"dn": account.ldap_dn})
                return None
            if account is not None:
                account.ldap_dn = person.dn
                account.save(update_fields=["ldap_dn"])
                self.note(ADOPTED, address.display, person.dn)
        elif (account.localpart, account.domain.name) != (address.localpart, address.domain):
            self.note(SKIPPED, account.display_address, _("LDAP now gives the address %(address)s; accounts are "
                                                          "not renamed") % {"address": address.display})
        if account is None:
            return self._create(person, address)
        self._update(account, person)
        return account

    def _create(self, person: DirectoryPerson, address: Address) -> Account | None:
        if not person.enabled:
            self.note(SKIPPED, address.display, _("disabled in LDAP; no account made"))
            return None
        # The password is LDAP's (a bind as the user); the local one can't be used.
        account = services.create_account(str(address), secrets.token_urlsafe(32), quota=person.quota,
                                          display_name=person.display_name)
        account.user.set_unusable_password()
        account.user.save(update_fields=["password"])
        account.ldap_dn = person.dn
        account.save(update_fields=["ldap_dn"])
        self.note(CREATED, address.display, person.display_name)
        return account

    def _update(self, account: Account, person: DirectoryPerson) -> None:
        address = account.address
        if person.display_name != account.display_name:
            services.set_display_name(address, person.display_name)
            self.note(UPDATED, account.display_address, _("display name: %(name)s") % {"name": person.display_name})
        if person.quota is not None and person.quota != account.quota:
            try:
                with transaction.atomic():
                    services.set_quota(address, person.quota)
                self.note(UPDATED, account.display_address, _("quota: %(bytes)d bytes") % {"bytes": person.quota})
            except ValidationError as error:
                self.note(SKIPPED, account.display_address, _describe(error))
        if person.enabled != account.active:
            services.set_account_active(address, person.enabled)
            self.note(ENABLED if person.enabled else DISABLED, account.display_address,
                      "" if person.enabled else _("disabled in LDAP"))

    # --- Aliases ------------------------------------------------------------------------

    def _aliases(self, account: Account, person: DirectoryPerson) -> None:
        wanted: dict[str, Address] = {}
        for text in person.aliases:
            try:
                alias = parse_address(text)
            except ValidationError as error:
                self.note(SKIPPED, text, _describe(error))
                continue
            if (alias.localpart, alias.domain) == (account.localpart, account.domain.name):
                continue
            if hosted_domain(alias.domain) is None:
                self.note(SKIPPED, alias.display, _("the domain is not hosted here"))
                continue
            wanted[str(alias)] = alias
        owned = {f"{a.localpart}@{a.domain.name}": a for a in Alias.objects.filter(ldap_dn=person.dn)
                 .select_related("domain").prefetch_related("targets")}
        for key, address in wanted.items():
            alias = owned.get(key)
            if alias is None:
                self._add_alias(account, person, address)
                continue
            if [t.address for t in alias.targets.all()] != [account.address]:
                services.set_alias_targets(key, [account.address])
            if not alias.active:
                alias.active = True
                alias.save(update_fields=["active"])
                self.note(ALIAS_ENABLED, address.display, account.display_address)
        for key, alias in owned.items():
            if key not in wanted and alias.active:
                self._disable_alias(alias)

    def _add_alias(self, account: Account, person: DirectoryPerson, address: Address) -> None:
        taken = Alias.objects.filter(domain__name=address.domain, localpart=address.localpart).first()
        if taken is not None:
            self.note(SKIPPED, address.display, _("already an alias not from this LDAP entry"))
            return
        try:
            with transaction.atomic():
                alias = services.create_alias(str(address), [account.address])
        except ValidationError as error:
            self.note(SKIPPED, address.display, _describe(error))
            return
        alias.ldap_dn = person.dn
        alias.save(update_fields=["ldap_dn"])
        self.note(ALIAS_ADDED, address.display, account.display_address)

    def _disable_alias(self, alias: Alias) -> None:
        alias.active = False
        alias.save(update_fields=["active"])
        self.note(ALIAS_DISABLED, f"{alias.localpart}@{alias.domain.unicode_name}", _("no longer in LDAP"))

    # --- People who left ----------------------------------------------------------------

    def gone(self) -> None:
        for account in Account.objects.exclude(ldap_dn="").exclude(ldap_dn__in=self.seen).filter(active=True):
            services.set_account_active(account.address, False)
            self.note(DISABLED, account.display_address, _("no longer in LDAP"))
        for alias in (Alias.objects.exclude(ldap_dn="").exclude(ldap_dn__in=self.seen).filter(active=True)
                      .select_related("domain")):
            self._disable_alias(alias)

    # --- Roles --------------------------------------------------------------------------

    def roles(self, ldap_settings: LdapSettings, roles: _Roles) -> None:
        accounts = list(Account.objects.exclude(ldap_dn="").select_related("user", "domain"))
        if roles.superadmin_problem:
            self.note(SKIPPED, roles.superadmin_problem, _("no such group in LDAP; superadmins left as they are"))
        elif roles.superadmins is not None:
            for account in accounts:
                self._superadmin(account, account.active and account.ldap_dn in roles.superadmins)
        for domain_name, members in roles.domain_admins.items():
            group_dn = dict(ldap_settings.domain_admin_groups)[domain_name]
            domain = hosted_domain(domain_name)
            if members is None or domain is None:
                reason = (_("no such group in LDAP; admins of %(domain)s left as they are") if members is None
                          else _("%(domain)s is not hosted here"))
                self.note(SKIPPED, group_dn, reason % {"domain": domain_name})
                continue
            for account in accounts:
                wanted = account.active and account.ldap_dn in members and not account.user.is_superuser
                self._domain_admin(account, domain, wanted)

    def _superadmin(self, account: Account, wanted: bool) -> None:
        user = account.user
        if user.is_superuser == wanted:
            return
        user.is_superuser = user.is_staff = wanted
        user.save(update_fields=["is_superuser", "is_staff"])
        if wanted:
            DomainAdmin.objects.filter(user=user).delete()  # a superadmin manages every domain already
        self.note(ROLE_GRANTED if wanted else ROLE_REVOKED, account.display_address, _("superadmin"))

    def _domain_admin(self, account: Account, domain, wanted: bool) -> None:
        grant = DomainAdmin.objects.filter(user=account.user, domain=domain)
        detail = _("admin of %(domain)s") % {"domain": domain.unicode_name}
        if wanted and not grant.exists():
            DomainAdmin.objects.create(user=account.user, domain=domain)
            self.note(ROLE_GRANTED, account.display_address, detail)
        elif not wanted and grant.exists():
            grant.delete()
            self.note(ROLE_REVOKED, account.display_address, detail)
