"""What needs an administrator, worst first: a silent mail-core node, virus scanning off,
a certificate near its end, DNS records missing or wrong. Each notice says what to do."""
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mailcore.filters import clamav

from ..idn import unicode_names

CERTIFICATE_WARN_DAYS = 21  # ACME clients renew 30 days ahead: three weeks left means renewal failed


@dataclass(frozen=True)
class Notice:
    level: str  # "bad" (mail is at risk now) or "warn"
    title: str
    text: str = ""
    link: str = ""
    link_text: str = ""


def node_notices(nodes: list[dict], superadmin: bool) -> list[Notice]:
    if not nodes:
        text = _("Nothing receives or delivers mail. Start the mail core (docs/running.md).") if superadmin \
            else _("Nothing receives or delivers mail. Tell the server's administrator.")
        return [Notice("bad", _("No mail-core node is running."), text)]
    silent = [node for node in nodes if not node["alive"]]
    if not superadmin:
        if all(not node["alive"] for node in nodes):
            return [Notice("bad", _("The mail service is not running."),
                           _("Mail is neither received nor delivered. Tell the server's administrator."))]
        return []
    return [Notice("bad", _("The mail-core node %(node)s is silent.") % {"node": node["node"]},
                   _("Its last heartbeat was %(ago)s ago: it is stopped, hung or cut off from the database.")
                   % {"ago": timesince(node["last_seen"])}, reverse("panel:listeners"), _("Listeners"))
            for node in silent]


def virus_notice(superadmin: bool) -> list[Notice]:
    """Virus scanning as the filters see it (mailcore.filters.clamav.enabled)."""
    if clamav.enabled():
        return []
    if superadmin and settings.HOPTHU_CLAMD.strip().lower() == clamav.AUTO:
        text = _("Incoming mail is not scanned for viruses: no ClamAV daemon was found on this machine. "
                 "Install it (Debian: apt install clamav-daemon) and HopThu uses it by itself, with no "
                 "setting; for a clamd on another machine, set HOPTHU_CLAMD to its address, such as "
                 "127.0.0.1:3310, and restart the mail core. docs/filters.md explains the choices.")
    elif superadmin:
        text = _("Incoming mail is not scanned for viruses: HOPTHU_CLAMD turns it off. Set HOPTHU_CLAMD to "
                 "auto (a clamd on this machine is then found by itself) or to a clamd's address, such as "
                 "127.0.0.1:3310, and restart the mail core. docs/filters.md explains the choices.")
    else:
        text = _("Incoming mail is not scanned for viruses. The server's administrator can turn scanning on.")
    return [Notice("warn", _("Virus scanning is off."), text)]


def certificate_notice(status, now: datetime.datetime | None = None) -> list[Notice]:
    if status.problem:
        return [Notice("bad", _("The TLS certificate cannot be read."),
                       _("%(path)s is missing or not a PEM certificate: mail programs cannot connect securely.")
                       % {"path": status.path})]
    days = status.days_left(now)
    if days < 0:
        return [Notice("bad", _("The TLS certificate has expired."),
                       _("It expired on %(date)s: mail programs refuse to connect, and other servers may not "
                         "deliver. Renew it.") % {"date": date_format(status.not_after)})]
    if days < CERTIFICATE_WARN_DAYS:
        return [Notice("warn", ngettext("The TLS certificate expires in %(days)d day.",
                                        "The TLS certificate expires in %(days)d days.", days) % {"days": days},
                       _("Renew it before %(date)s; if renewal runs automatically, it has been failing.")
                       % {"date": date_format(status.not_after)})]
    if status.self_signed:
        return [Notice("warn", _("The TLS certificate is self-signed."),
                       _("Mail programs warn about it. Set HOPTHU_TLS_CERT and HOPTHU_TLS_KEY to a certificate "
                         "from a certificate authority such as Let's Encrypt for %(host)s.")
                       % {"host": settings.HOPTHU_HOSTNAME})]
    return []


def dns_notices(state) -> list[Notice]:
    notices = []
    for name, records in state.failing:
        listed = ", ".join(f"{record['rtype']} {unicode_names(record['name'])}" for record in records)
        notices.append(Notice(
            "warn", ngettext("%(domain)s: %(count)d DNS record is missing or wrong.",
                             "%(domain)s: %(count)d DNS records are missing or wrong.", len(records))
            % {"domain": name, "count": len(records)},
            _("Mail to or from it may fail or be taken for spam: %(records)s.") % {"records": listed},
            reverse("panel:dns_records", args=[name]), _("DNS records")))
    if state.failing_count > len(state.failing):
        more = state.failing_count - len(state.failing)
        notices.append(Notice("warn", ngettext("%(count)d more domain has DNS records missing or wrong.",
                                               "%(count)d more domains have DNS records missing or wrong.", more)
                              % {"count": more}))
    if state.unchecked_count:
        notices.append(Notice(
            "warn", ngettext("The DNS records of %(count)d domain have not been checked yet.",
                             "The DNS records of %(count)d domains have not been checked yet.",
                             state.unchecked_count) % {"count": state.unchecked_count},
            _("Open the DNS page of %(domains)s to check them now; they are also checked once a day.")
            % {"domains": ", ".join(state.unchecked)},
            reverse("panel:dns_records", args=[state.unchecked[0]]), _("DNS records")))
    return notices

