"""`manage.py relay`: relay tokens and relay networks for applications and devices.

The same conventions as `manage.py mail` (whose command this extends): changes go through
mailcore.relay.services, errors are one line `error: FIELD: message` with exit status 1
for refused input and 2 for bad usage. A token's secret is printed once, when it is made.
docs/relay.md describes the relay port.
"""
from django.utils.translation import gettext as _

from mailcore.directory.management.commands.mail import Command as MailCommand
from mailcore.directory.management.commands.mail import MailParser, _show_bool, _show_time
from mailcore.relay import services
from mailcore.relay.models import RelayNetwork, RelayToken

KINDS = {"token": RelayToken, "network": RelayNetwork}


def _show_rate(rate: int) -> str:
    return _("%(count)d/hour") % {"count": rate} if rate else _("unlimited")


class Command(MailCommand):
    @property
    def help(self):
        return _("Manage relay tokens and relay networks: how applications and devices send mail.")

    def add_arguments(self, parser):
        objects = parser.add_subparsers(dest="object", metavar="OBJECT", required=True,
                                        title=_("objects"), parser_class=MailParser)
        sender_help = _("An address the grant may send as, or @domain for any address there; "
                        "repeat for several (default: any address of the domain).")
        rate_help = _("Messages per hour; 0 means unlimited (default from settings).")

        verbs = self._verbs(objects, "token", _("User names and secrets for SMTP AUTH on the relay port."))
        add = self._verb(verbs, "add", self.token_add, _("Make a relay token; its secret is shown once."))
        add.add_argument("domain", metavar="DOMAIN")
        add.add_argument("name", metavar="NAME", help=_("What uses it, e.g. “invoices app”."))
        add.add_argument("--sender", action="append", dest="senders", metavar="ADDRESS", help=sender_help)
        add.add_argument("--rate", type=int, dest="rate_per_hour", metavar="N", help=rate_help)
        self._add_common_verbs(verbs, "token")

        verbs = self._verbs(objects, "network", _("Networks whose clients may relay without AUTH."))
        add = self._verb(verbs, "add", self.network_add, _("Allow a network to send through the relay port."))
        add.add_argument("domain", metavar="DOMAIN")
        add.add_argument("name", metavar="NAME", help=_("What it is, e.g. “office printers”."))
        add.add_argument("network", metavar="NETWORK", help=_("An address or CIDR network, e.g. 192.0.2.0/24."))
        add.add_argument("--sender", action="append", dest="senders", metavar="ADDRESS", help=sender_help)
        add.add_argument("--rate", type=int, dest="rate_per_hour", metavar="N", help=rate_help)
        self._add_common_verbs(verbs, "network")

    def _add_common_verbs(self, verbs, kind):
        listing = self._verb(verbs, "list", self.grant_list, _("List them."))
        listing.add_argument("--domain", metavar="DOMAIN", help=_("Only those of this domain."))
        listing.set_defaults(kind=kind)
        self._add_json(listing)
        for verb, handler, help_text in (
            ("disable", self.grant_disable, _("Refuse it until enabled again.")),
            ("enable", self.grant_enable, _("Accept it again.")),
            ("remove", self.grant_remove, _("Delete it.")),
        ):
            parser = self._verb(verbs, verb, handler, help_text)
            parser.add_argument("domain", metavar="DOMAIN")
            parser.add_argument("name", metavar="NAME")
            parser.set_defaults(kind=kind)

    # --- Handlers ---------------------------------------------------------------------------

    def token_add(self, options):
        token, secret = services.create_token(options["domain"], options["name"], senders=options["senders"],
                                              rate_per_hour=options["rate_per_hour"])
        self._say(_("Added relay token %(name)s for %(domain)s.") % {"name": token.name, "domain": token.domain})
        self._say(_("User name: %(username)s") % {"username": token.username})
        self._say(_("Secret: %(secret)s") % {"secret": secret})
        self._say(_("The secret is shown only now; use it as the SMTP password on the relay port."))

    def network_add(self, options):
        grant = services.create_network(options["domain"], options["name"], options["network"],
                                        senders=options["senders"], rate_per_hour=options["rate_per_hour"])
        self._say(_("Added relay network %(name)s (%(network)s) for %(domain)s.")
                  % {"name": grant.name, "network": grant.network, "domain": grant.domain})

    def grant_list(self, options):
        model = KINDS[options["kind"]]
        grants = model.objects.select_related("domain")
        domain = self._domain_filter(options)
        if domain is not None:
            grants = grants.filter(domain=domain)
        records = [
            {"domain": grant.domain.unicode_name, "name": grant.name,
             **({"username": grant.username} if model is RelayToken else {"network": grant.network}),
             "senders": grant.senders, "rate_per_hour": grant.rate_per_hour, "active": grant.active,
             "last_used": grant.last_used}
            for grant in grants
        ]
        middle = ("username", _("USER NAME"), str) if model is RelayToken else ("network", _("NETWORK"), str)
        self._table(options, records, [
            ("domain", _("DOMAIN"), str), ("name", _("NAME"), str), middle,
            ("senders", _("SENDERS"), ", ".join), ("rate_per_hour", _("RATE"), _show_rate),
            ("active", _("ACTIVE"), _show_bool), ("last_used", _("LAST USED"), _show_time),
        ])

    def grant_disable(self, options):
        services.set_grant_active(KINDS[options["kind"]], options["domain"], options["name"], False)
        self._say(_("Disabled %(name)s.") % {"name": options["name"]})

    def grant_enable(self, options):
        services.set_grant_active(KINDS[options["kind"]], options["domain"], options["name"], True)
        self._say(_("Enabled %(name)s.") % {"name": options["name"]})

    def grant_remove(self, options):
        services.remove_grant(KINDS[options["kind"]], options["domain"], options["name"])
        self._say(_("Removed %(name)s.") % {"name": options["name"]})
