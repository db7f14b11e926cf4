"""`manage.py mail ldap sync [--dry-run]` and `manage.py mail ldap test` (docs/ldap.md, docs/cli.md).

Registered by mailcore/directory/management/commands/mail.py like its other objects.
An LDAP that can't be read is exit status 3 (the directory is unavailable: try later),
distinct from 1 (input refused) and 2 (usage).
"""
from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .connection import LdapNotConfigured
from .directory import DirectoryUnavailable, read_group_members, read_groups, read_people
from .sync import sync

UNAVAILABLE = 3  # LDAP could not be read (or isn't configured); nothing was changed
SAMPLE = 10  # people the test prints


def add_ldap_arguments(command, objects) -> None:
    verbs = command._verbs(objects, "ldap", _("Accounts from the company directory (LDAP)."))
    run = command._verb(verbs, "sync", lambda options: sync_command(command, options),
                        _("Create, update and disable accounts, aliases and roles from LDAP."))
    run.add_argument("--dry-run", action="store_true",
                     help=_("Print what would change and change nothing."))
    command._verb(verbs, "test", lambda options: test_command(command),
                  _("Check the connection, the bind and the filters, and print what LDAP holds."))


def _ldap_settings():
    if settings.HOPTHU_LDAP is None:
        raise CommandError(_("LDAP is not configured: set HOPTHU_LDAP_URL (docs/ldap.md)."),
                           returncode=UNAVAILABLE)
    return settings.HOPTHU_LDAP


def sync_command(command, options) -> None:
    try:
        report = sync(_ldap_settings(), dry_run=options["dry_run"])
    except (DirectoryUnavailable, LdapNotConfigured) as error:
        raise CommandError(_("LDAP sync stopped, nothing changed: %(reason)s") % {"reason": error},
                           returncode=UNAVAILABLE) from None
    for line in report.lines():
        command.stdout.write(line)


def test_command(command) -> None:
    ldap_settings = _ldap_settings()
    say = command.stdout.write
    say(_("Server: %(url)s%(tls)s") % {"url": ldap_settings.url,
                                      "tls": " (StartTLS)" if ldap_settings.starttls else ""})
    say(_("Bind: %(dn)s") % {"dn": ldap_settings.bind_dn or _("anonymous")})
    try:
        people = read_people(ldap_settings)
        say(_("Connected and bound."))
        say(_("People under %(base)s matching %(filter)s: %(count)d") % {
            "base": ldap_settings.user_base, "filter": ldap_settings.user_filter, "count": len(people)})
        for person in people[:SAMPLE]:
            state = _("enabled") if person.enabled else _("disabled")
            aliases = ", ".join(person.aliases)
            say(f"  {person.address or _('(no mail address)')}\t{person.display_name}\t{state}"
                + (f"\t{_('aliases')}: {aliases}" if aliases else ""))
        if len(people) > SAMPLE:
            say("  " + _("… and %(count)d more") % {"count": len(people) - SAMPLE})
        if ldap_settings.group_base:
            groups = read_groups(ldap_settings)
            say(_("Groups under %(base)s: %(count)d") % {"base": ldap_settings.group_base, "count": len(groups)})
        for role, dn in _role_groups(ldap_settings):
            members = read_group_members(ldap_settings, dn)
            if members is None:
                say(_("%(role)s: %(dn)s: no such group") % {"role": role, "dn": dn})
            else:
                say(_("%(role)s: %(dn)s: %(count)d members") % {"role": role, "dn": dn, "count": len(members)})
    except DirectoryUnavailable as error:
        raise CommandError(_("LDAP test failed: %(reason)s") % {"reason": error}, returncode=UNAVAILABLE) from None
    say(_("LDAP test passed."))


def _role_groups(ldap_settings):
    if ldap_settings.superadmin_group:
        yield _("Superadmins"), ldap_settings.superadmin_group
    for domain, dn in ldap_settings.domain_admin_groups:
        yield _("Admins of %(domain)s") % {"domain": domain}, dn
