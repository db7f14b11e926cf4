"""`manage.py dkim`: show, rotate and prune the DKIM keys of hosted domains.

    manage.py dkim show DOMAIN     the TXT records to publish (the active key first)
    manage.py dkim rotate DOMAIN   a new key with a new selector (also makes a first key)
    manage.py dkim prune           forget retired keys past HOPTHU_DKIM_GRACE_DAYS

Only public keys are ever printed; private keys stay in their 0600 files.
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mailcore.directory.models import Domain
from mailcore.dkim import keys


class Command(BaseCommand):
    help = "Show, rotate or prune the DKIM keys of hosted domains."

    def add_arguments(self, parser):
        # Translated when the parser is made (help, read at import, cannot be lazy: argparse wants str).
        parser.description = _("Show, rotate or prune the DKIM keys of hosted domains.")
        actions = parser.add_subparsers(dest="action", required=True)
        show = actions.add_parser("show", help=_("Print the DNS TXT records to publish for a domain."))
        show.add_argument("domain")
        rotate = actions.add_parser("rotate", help=_("Make a new key; the old one stays published for a while."))
        rotate.add_argument("domain")
        actions.add_parser("prune", help=_("Delete retired keys past the grace period."))

    def handle(self, *args, action, domain=None, **options):
        if action == "prune":
            self.stdout.write(_("%(count)d retired keys deleted.") % {"count": keys.prune_keys()})
            return
        try:
            if action == "rotate":
                key = keys.rotate_key(domain)
                self.stdout.write(_("New key %(selector)s for %(domain)s. Publish this TXT record now:")
                                  % {"selector": key.selector, "domain": key.domain.unicode_name})
                self._print_record(key)
                return
            published = keys.published_keys(domain)
        except Domain.DoesNotExist:
            raise CommandError(_("The domain %(name)s is not hosted here.") % {"name": domain}) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not published:
            raise CommandError(_("%(name)s has no DKIM key; `manage.py dkim rotate %(name)s` makes one.")
                               % {"name": domain})
        for key in published:
            if not key.active:
                self.stdout.write(_("Retired on %(date)s; keep it published until the grace period ends:")
                                  % {"date": key.retired.date().isoformat()})
            self._print_record(key)

    def _print_record(self, key):
        # Zone-file form: the value split into 255-octet strings, as RFC 1035 §3.3.14 requires.
        value = key.dns_value
        chunks = " ".join(f'"{value[i:i + 255]}"' for i in range(0, len(value), 255))
        self.stdout.write(f"{key.dns_name}. IN TXT ( {chunks} )")
