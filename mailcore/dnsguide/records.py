"""The DNS records a hosted domain should publish so that mail to and from it works.

Every record names its owner (a fully qualified A-label name without the final dot), its
type, its value in zone-file presentation form (TXT values unquoted and whole: zone.py
splits them) and why it is there. The mail host is HOPTHU_HOSTNAME; its public addresses
are known only when HOPTHU_PUBLIC_IPV4 / HOPTHU_PUBLIC_IPV6 are set, otherwise the A/AAAA
records come with an empty value and an explanation. docs/dns.md explains the choices.
"""
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mailcore.directory.addresses import normalize_domain
from mailcore.directory.models import Domain
from mailcore.dkim.keys import published_keys

from . import mtasts

TTL = 3600
TXT_CHUNK = 255  # RFC 1035 §3.3.14 / RFC 7208 §3.3: one character-string holds at most 255 octets
REPORTS_LOCALPART = "postmaster"  # RFC 5321 §4.5.1: every domain has one

# RFC 6186 §3.4 lets a client that knows several of these pick by priority across them;
# RFC 8314 §5.1 asks that implicit TLS be preferred, and IMAP is preferred over POP3.
SRV_SERVICES = (
    ("submissions", "submissions", 0, _("Mail programs find the server for sending mail with TLS (RFC 8314).")),
    ("submission", "submission", 10, _("Mail programs find the server for sending mail with STARTTLS (RFC 6186).")),
    ("imaps", "imaps", 0, _("Mail programs find the IMAP server with TLS (RFC 6186).")),
    ("imap", "imap", 10, _("Mail programs find the IMAP server with STARTTLS (RFC 6186).")),
    ("pop3s", "pop3s", 20, _("Mail programs find the POP3 server with TLS (RFC 6186).")),
    ("pop3", "pop3", 30, _("Mail programs find the POP3 server with STARTTLS (RFC 6186).")),
)


@dataclass(frozen=True)
class Record:
    key: str  # stable: "mx", "spf", "dkim:<selector>", "srv:imaps", ...
    name: str  # owner, A-label, no final dot
    rtype: str
    value: str  # presentation form; TXT unquoted and unsplit; "" when it cannot be known
    why: str
    in_zone: bool = True  # False: it belongs in another zone (the mail host's), or has no value
    ttl: int = TTL

    def relative_name(self, domain: str) -> str:
        """The owner as DNS hosting forms ask for it: "@" for the domain, else the part before it."""
        if self.name == domain:
            return "@"
        suffix = "." + domain
        return self.name[: -len(suffix)] if self.name.endswith(suffix) else self.name + "."

    @property
    def txt_strings(self) -> list[str]:
        """A TXT value as character-strings of at most 255 octets (all our values are ASCII)."""
        data = self.value.encode("ascii")
        return [data[i:i + TXT_CHUNK].decode("ascii") for i in range(0, len(data), TXT_CHUNK)] or [""]


def mail_host() -> str:
    """The mail host's name as an A-label (HOPTHU_HOSTNAME may be written as an IDN)."""
    raw = str(getattr(settings, "HOPTHU_HOSTNAME", "")).strip().rstrip(".")
    try:
        return normalize_domain(raw)
    except ValidationError:
        return raw.lower()


def public_addresses(version: int) -> list[str]:
    """The configured public addresses of the mail host (comma-separated settings); invalid ones are skipped."""
    name = "HOPTHU_PUBLIC_IPV4" if version == 4 else "HOPTHU_PUBLIC_IPV6"
    found = []
    for item in str(getattr(settings, name, "") or "").split(","):
        try:
            address = ipaddress.ip_address(item.strip())
        except ValueError:
            continue
        if address.version == version:
            found.append(address.compressed)
    return found


def reports_address(domain: str) -> str:
    return f"{REPORTS_LOCALPART}@{domain}"


def spf_value() -> str:
    # "mx": the addresses of the domain's MX hosts may send, i.e. this server; "-all": nothing
    # else may (RFC 7208 §5.1). docs/dns.md says when "~all" is the better choice.
    return "v=spf1 mx -all"


def dmarc_value(domain: str) -> str:
    # p=none to start: reports arrive (rua) while nothing is lost; docs/dns.md says when to tighten.
    return f"v=DMARC1; p=none; rua=mailto:{reports_address(domain)}"


def tlsrpt_value(domain: str) -> str:
    return f"v=TLSRPTv1; rua=mailto:{reports_address(domain)}"  # RFC 8460 §3


def mta_sts_value() -> str:
    return f"v=STSv1; id={mtasts.policy_id(mail_host())}"  # RFC 8461 §3.1


def expected_records(domain: Domain) -> list[Record]:
    """Every record the domain should publish, in the order the panel lists them."""
    name, host = domain.name, mail_host()
    records = [Record("mx", name, "MX", f"10 {host}.",
                      _("Other servers deliver mail for this domain to the HopThu mail host."))]
    records += _host_addresses(name, host)
    records.append(Record("spf", name, "TXT", spf_value(),
                          _("SPF: only the domain's mail servers may send mail from it; receivers refuse forgeries.")))
    for key in published_keys(domain):
        if key.active:
            state = _("the key in use")
        elif key.retired is None:  # prepared by a rotation, not signing yet
            state = _("the next key: publish it before the panel switches to it")
        else:
            state = _("the previous key, kept until mail signed with it is read")
        records.append(Record(f"dkim:{key.selector}", key.dns_name, "TXT", key.dns_value,
                              _("DKIM: receivers check the signature HopThu puts on outgoing mail (%(state)s).")
                              % {"state": state}))
    records += [
        Record("dmarc", f"_dmarc.{name}", "TXT", dmarc_value(name),
               _("DMARC: tells receivers what to do with mail that fails SPF and DKIM, and where to send reports.")),
        Record("mta-sts", f"_mta-sts.{name}", "TXT", mta_sts_value(),
               _("MTA-STS: senders must use TLS to reach this domain; the id changes when the policy changes.")),
        Record("mta-sts-host", f"mta-sts.{name}", "CNAME", f"{host}.",
               _("MTA-STS: senders fetch the policy from https://mta-sts.%(domain)s/.well-known/mta-sts.txt, "
                 "which HopThu serves (it needs a TLS certificate for this name).") % {"domain": name}),
        Record("tlsrpt", f"_smtp._tls.{name}", "TXT", tlsrpt_value(name),
               _("TLS reporting: senders report TLS problems reaching this domain to this address.")),
        Record("autoconfig", f"autoconfig.{name}", "CNAME", f"{host}.",
               _("Thunderbird and other programs find their settings here.")),
        Record("autodiscover", f"autodiscover.{name}", "CNAME", f"{host}.",
               _("Outlook finds its settings here.")),
    ]
    records += _srv_records(name, host)
    return records


def _host_addresses(domain: str, host: str) -> list[Record]:
    # The mail host's own records belong in this zone only when it lies inside the domain.
    inside = host == domain or host.endswith("." + domain)
    records = []
    for version, rtype in ((4, "A"), (6, "AAAA")):
        addresses = public_addresses(version)
        for address in addresses:
            why = _("The mail host's public address.") if inside else _(
                "The mail host's public address; it belongs in the zone of %(host)s, "
                "which the mail server's operator publishes.") % {"host": host}
            records.append(Record(f"host:{rtype}:{address}", host, rtype, address, why, in_zone=inside))
        if addresses:
            continue
        if version == 4:
            why = _("The mail host's public IPv4 address is not configured (setting HOPTHU_PUBLIC_IPV4), so it "
                    "cannot be shown here: %(host)s needs an A record with this server's address.") % {"host": host}
        else:
            why = _("No public IPv6 address is configured (setting HOPTHU_PUBLIC_IPV6): publish an AAAA record "
                    "for %(host)s only if this server receives mail over IPv6.") % {"host": host}
        records.append(Record(f"host:{rtype}", host, rtype, "", why, in_zone=False))
    return records


def _srv_records(domain: str, host: str) -> list[Record]:
    ports = getattr(settings, "HOPTHU_PORTS", {})
    records = []
    for service, port_name, priority, why in SRV_SERVICES:
        port = ports.get(port_name)
        if port:
            records.append(Record(f"srv:{service}", f"_{service}._tcp.{domain}", "SRV",
                                  f"{priority} 1 {port} {host}.", why))
    return records
