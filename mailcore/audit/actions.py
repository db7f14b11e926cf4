"""The audit log's actions, named for the people who read the log (translated).

An entry stores its action as a code ("alias.create": stable, searchable, the same in
every language); lists and menus show `action_label(code)`. A code missing here is shown
as it is, so a new action is never hidden, only untranslated.
"""
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "account.create": _("Account created"),
    "account.update": _("Account changed"),
    "account.delete": _("Account deleted"),
    "account.password": _("Password reset"),
    "account.forward": _("Forwarding changed"),
    "account.app_password_create": _("App password created"),
    "account.app_password_revoke": _("App password revoked"),
    "alias.create": _("Alias created"),
    "alias.update": _("Alias changed"),
    "alias.delete": _("Alias deleted"),
    "domain.create": _("Domain added"),
    "domain.update": _("Domain changed"),
    "domain.delete": _("Domain deleted with its mail"),
    "domain.retire": _("Domain disabled, mail kept"),
    "domain_alias.create": _("Domain alias added"),
    "domain_alias.delete": _("Domain alias removed"),
    "domain_admin.create": _("Domain admin created"),
    "domain_admin.grant": _("Domain given to an admin"),
    "domain_admin.revoke": _("Domain taken from an admin"),
    "dkim.prepare": _("New DKIM key prepared"),
    "dkim.activate": _("New DKIM key put in use"),
    "dkim.discard": _("New DKIM key thrown away"),
    "filterpolicy.update": _("Filter policy changed"),
    "quarantine.release": _("Held message released"),
    "quarantine.delete": _("Held message deleted"),
    "queue.retry": _("Queued mail retried now"),
    "queue.delete": _("Queued mail removed"),
    "rule.create": _("Mail rule added"),
    "rule.update": _("Mail rule changed"),
    "rule.delete": _("Mail rule deleted"),
    "rule.move": _("Mail rule moved"),
}


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))
