"""`manage.py mail tlsrpt send [--day YYYY-MM-DD] [--dry-run]` (docs/reports.md, docs/cli.md).

Registered by mailcore/directory/management/commands/mail.py like its other objects.
"""
import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from .tls_sending import send_day

INPUT_ERROR = 1


def add_tlsrpt_arguments(command, objects) -> None:
    verbs = command._verbs(objects, "tlsrpt", _("TLS reports about our outbound mail (RFC 8460)."))
    send = command._verb(verbs, "send", lambda options: send_command(command, options),
                         _("Send the daily TLS reports of a day to the domains that ask for them."))
    send.add_argument("--day", metavar="YYYY-MM-DD",
                      help=_("The UTC day to report on; default: yesterday."))
    send.add_argument("--dry-run", action="store_true",
                      help=_("Print what would be sent and send nothing."))


def send_command(command, options) -> None:
    day = None
    if options.get("day"):
        try:
            day = dt.date.fromisoformat(options["day"])
        except ValueError:
            raise CommandError(_("%(day)s is not a day (YYYY-MM-DD).") % {"day": options["day"]},
                               returncode=INPUT_ERROR) from None
    outcomes = send_day(day, dry_run=options["dry_run"])
    if not outcomes:
        command.stdout.write(_("No outbound TLS sessions were recorded that day."))
    for outcome in outcomes:
        if outcome.skipped:
            command.stdout.write(_("%(domain)s: not sent (%(reason)s)") % {"domain": outcome.domain,
                                                                          "reason": outcome.skipped})
            continue
        for destination in outcome.destinations:
            command.stdout.write(_("%(domain)s: report %(id)s to %(uri)s: %(outcome)s") % {
                "domain": outcome.domain, "id": outcome.report_id, "uri": destination["uri"],
                "outcome": destination["outcome"]})
