"""Where mail for a domain goes: its MX hosts, in order, and their addresses (RFC 5321 §5.1).

Every host is reached on HOPTHU_OUTBOUND_PORT (25; the tests point it at a second
listener on loopback). Addresses come from mailcore.dns, so the same resolver and the
same stub server in tests answer MX, A and AAAA.
"""
import ipaddress
import random
from dataclasses import dataclass

import idna
from django.conf import settings
from django.utils.translation import gettext as _

from mailcore import dns as mail_dns

from .result import DeliveryError, permanent, temporary


@dataclass(frozen=True)
class Host:
    name: str  # the MX exchange (A-label, no final dot), or the domain itself (implicit MX)
    address: str  # an IPv4 or IPv6 address
    port: int
    preference: int

    def __str__(self):
        return f"{self.name}[{self.address}]:{self.port}"


def destinations(domain: str) -> list[Host]:
    """Return the hosts to try for mail to `domain`, most preferred first.

    Raises DeliveryError (permanent) for a null MX, a domain with neither MX nor address,
    or an MX list that leads back to this server; raises mailcore.dns.TemporaryDNSError
    when DNS gives no answer now (RFC 5321 §5.1: retry later, never bounce for that).
    """
    port = int(getattr(settings, "HOPTHU_OUTBOUND_PORT", 25))
    literal = _address_literal(domain)
    if literal is not None:  # RFC 5321 §4.1.3: "[192.0.2.1]" names the host itself
        return [Host(literal, literal, port, 0)]  # the address doubles as the name (no SNI for it)
    name = a_label(domain)
    records = mail_dns.query(name, "MX")
    if _is_null_mx(records):
        # RFC 7505 §3: the domain publishes that it accepts no mail; 556 5.1.10 per §4.
        raise DeliveryError(permanent("5.1.10", _("The domain %(domain)s does not accept mail (null MX).")
                                      % {"domain": domain}, code=556))
    # RFC 5321 §5.1: no MX records at all means the domain itself is the only host.
    exchanges = _ordered(records) or [(0, name)]
    exchanges = _below_ourselves(exchanges, domain)
    hosts, dns_error = [], None
    for preference, exchange in exchanges:
        try:
            hosts.extend(Host(exchange, address, port, preference) for address in _addresses(exchange))
        except mail_dns.TemporaryDNSError as error:
            dns_error = error  # another MX may still resolve; retry later only if none does
    if hosts:
        return hosts
    if dns_error is not None:
        raise dns_error
    if not records:
        raise DeliveryError(permanent("5.1.2", _("The domain %(domain)s has no mail server (no MX and no address).")
                                      % {"domain": domain}))
    # MX records that point nowhere are usually a DNS change in progress: retry (4.4.4).
    raise DeliveryError(temporary("4.4.4", _("No mail server of %(domain)s has an address.") % {"domain": domain}))


def a_label(domain: str) -> str:
    # RFC 5321 §2.3.5 and RFC 6531 §3.2: DNS lookups always use the A-label form.
    try:
        return idna.encode(domain.rstrip("."), uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        raise DeliveryError(permanent("5.1.2", _("%(domain)s is not a valid domain name.")
                                      % {"domain": domain})) from None


def _address_literal(domain: str) -> str | None:
    if not (domain.startswith("[") and domain.endswith("]")):
        return None
    text = domain[1:-1]
    if text.lower().startswith("ipv6:"):
        text = text[5:]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise DeliveryError(permanent("5.1.2", _("%(domain)s is not a valid address literal.")
                                      % {"domain": domain})) from None


def _is_null_mx(records) -> bool:
    return len(records) == 1 and records[0].exchange.to_text() == "."


def _ordered(records) -> list[tuple[int, str]]:
    """MX (preference, exchange) pairs sorted by preference, equal ones in random order.

    RFC 5321 §5.1: hosts of equal preference are tried in random order to spread the load.
    A "." exchange among other records is unusable and skipped (RFC 7505 §3 forbids it).
    """
    exchanges = [(r.preference, r.exchange.to_text(omit_final_dot=True).lower()) for r in records
                 if r.exchange.to_text() != "."]
    random.shuffle(exchanges)
    exchanges.sort(key=lambda pair: pair[0])  # a stable sort keeps the shuffle within a preference
    seen, unique = set(), []
    for preference, exchange in exchanges:
        if exchange not in seen:
            seen.add(exchange)
            unique.append((preference, exchange))
    return unique


def _below_ourselves(exchanges: list[tuple[int, str]], domain: str) -> list[tuple[int, str]]:
    """Drop this server and every less preferred host (RFC 5321 §5.1), or raise if nothing is left."""
    ourselves = str(getattr(settings, "HOPTHU_HOSTNAME", "")).lower().rstrip(".")
    mine = [preference for preference, exchange in exchanges if exchange == ourselves]
    if not mine:
        return exchanges
    kept = [(preference, exchange) for preference, exchange in exchanges if preference < min(mine)]
    if not kept:
        # Postfix says "mail for X loops back to myself": the domain's MX is us, yet not hosted.
        raise DeliveryError(permanent("5.4.6", _("Mail for %(domain)s loops back to this server.")
                                      % {"domain": domain}))
    return kept


def _addresses(exchange: str) -> list[str]:
    """IPv4 first: it is the family every mail host can reach; IPv6 unless switched off."""
    addresses = [record.address for record in mail_dns.query(exchange, "A")]
    if getattr(settings, "HOPTHU_OUTBOUND_IPV6", True):
        addresses += [record.address for record in mail_dns.query(exchange, "AAAA")]
    return addresses
