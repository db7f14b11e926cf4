"""What a mail client needs to connect: the host name, and each protocol's port and TLS mode.

One source of truth for the setup page, Thunderbird's autoconfig, Outlook's autodiscover and
the Apple profile (docs/clients.md). Ports come from HOPTHU_PORTS, so development ports are
advertised in development. Implicit TLS is listed before STARTTLS for each protocol, as RFC
8314 §3 and §4.1 recommend (clients that take the first entry take the safer one).

Everything here is about the domain, never the account: autoconfig and autodiscover answer
for any address at a hosted domain, so they cannot be used to learn which accounts exist.
"""
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

from mailcore.directory.addresses import Address, normalize_domain, parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.models import Domain, DomainAlias

IMPLICIT_TLS = "SSL"  # Thunderbird's socketType names; RFC 8314 calls it "Implicit TLS"
STARTTLS = "STARTTLS"

# (protocol, HOPTHU_PORTS key, TLS mode), preferred first within each protocol.
LISTENERS = (
    ("imap", "imaps", IMPLICIT_TLS),  # RFC 8314 §3.3: 993
    ("imap", "imap", STARTTLS),  # RFC 3501 §6.2.1: 143
    ("pop3", "pop3s", IMPLICIT_TLS),  # 995
    ("pop3", "pop3", STARTTLS),  # RFC 2595 §4 (STLS): 110
    ("smtp", "submissions", IMPLICIT_TLS),  # RFC 8314 §3.3: 465
    ("smtp", "submission", STARTTLS),  # RFC 6409 §3.1, RFC 3207: 587
)
# Autoconfig names a domain by its host: autoconfig.<domain> (and autodiscover.<domain>).
HOST_PREFIXES = ("autoconfig.", "autodiscover.")


@dataclass(frozen=True)
class Server:
    protocol: str  # imap | pop3 | smtp
    host: str
    port: int
    security: str  # IMPLICIT_TLS | STARTTLS

    @property
    def implicit_tls(self) -> bool:
        return self.security == IMPLICIT_TLS


def mail_host() -> str:
    """The host name clients connect to (it must match the TLS certificate)."""
    return getattr(settings, "HOPTHU_CLIENT_HOSTNAME", "") or settings.HOPTHU_HOSTNAME


def servers(protocol: str | None = None) -> list[Server]:
    host = mail_host()
    return [
        Server(name, host, settings.HOPTHU_PORTS[key], security)
        for name, key, security in LISTENERS
        if protocol in (None, name)
    ]


def preferred(protocol: str) -> Server:
    return servers(protocol)[0]


def domain_for_address(text: str) -> tuple[Address, Domain] | None:
    """The canonical address and the active hosted domain serving it; None if not hosted.

    Raises ValidationError for anything that is not a mail address. An address at an active
    domain alias is served by its target domain (it can sign in as such: mailcore.auth).
    """
    address = parse_address(text, field="emailaddress")
    domain = hosted_domain(address.domain, active_only=True)
    return (address, domain) if domain is not None else None


def domain_for_host(host: str) -> Domain | None:
    """The active hosted domain an HTTP host names: example.com or autoconfig.example.com."""
    host = host.lower()
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    try:
        alabel = normalize_domain(host)
    except ValidationError:
        return None
    return hosted_domain(alabel, active_only=True)


def domain_names(domain: Domain) -> list[str]:
    """The domain and its active domain aliases (A-labels): every domain one config serves."""
    aliases = DomainAlias.objects.filter(target=domain, active=True).order_by("name")
    return [domain.name, *aliases.values_list("name", flat=True)]
