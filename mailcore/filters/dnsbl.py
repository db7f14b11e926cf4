"""DNS block lists: is the connecting client's address listed? (RFC 5782)

HOPTHU_DNSBL_ZONES names the lists, each with the points a listing adds:
"zen.spamhaus.org:6, bl.spamcop.net:3" (a zone without ":points" adds DEFAULT_WEIGHT).
Empty (the default) asks nothing. The query for 192.0.2.99 in zone Z is
99.2.0.192.Z; for IPv6, the 32 nibbles of the address reversed (RFC 5782 §2.4).
An A answer in 127.0.0.0/8 means listed (RFC 5782 §2.1), except 127.255.255.0/24,
which Spamhaus uses to say "you may not query us" (a public resolver, over quota):
that is logged, not counted against the sender. Lookups go through mailcore.dns, so
the tests answer them with the stub DNS server; a lookup that fails adds nothing.
"""
import ipaddress
import logging

from django.conf import settings

from mailcore import dns

from .types import Finding

log = logging.getLogger(__name__)
DEFAULT_WEIGHT = 3.0
_LISTED = ipaddress.ip_network("127.0.0.0/8")
_REFUSED = ipaddress.ip_network("127.255.255.0/24")


def zones() -> list[tuple[str, float]]:
    """[(zone, points)] from HOPTHU_DNSBL_ZONES; a malformed weight is logged and defaulted."""
    configured = getattr(settings, "HOPTHU_DNSBL_ZONES", "")
    if not isinstance(configured, str):
        configured = ",".join(configured)
    result = []
    for item in filter(None, (part.strip() for part in configured.split(","))):
        zone, _sep, weight = item.partition(":")
        try:
            points = float(weight) if weight else DEFAULT_WEIGHT
        except ValueError:
            log.warning("HOPTHU_DNSBL_ZONES: %r is not a number of points; using %s", weight, DEFAULT_WEIGHT)
            points = DEFAULT_WEIGHT
        result.append((zone.strip().strip(".").lower(), points))
    return result


def query_name(client_ip: str, zone: str) -> str | None:
    """The name to look up for client_ip in zone, or None when it is no IP address."""
    try:
        address = ipaddress.ip_address((client_ip or "").split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # an IPv4 client on a dual-stack socket
    if isinstance(address, ipaddress.IPv4Address):
        reversed_part = ".".join(reversed(str(address).split(".")))
    else:
        reversed_part = ".".join(reversed(address.exploded.replace(":", "")))
    return f"{reversed_part}.{zone}"


def findings(client_ip: str | None) -> list[Finding]:
    """One Finding per zone that lists client_ip (rule "DNSBL:<zone>")."""
    found = []
    for zone, points in zones():
        name = query_name(client_ip or "", zone)
        if name is None:
            return []
        answer = listed(name)
        if answer:
            found.append(Finding(f"DNSBL:{zone}", points, f"{client_ip} listed ({answer})"))
    return found


def listed(name: str) -> str:
    """The listing's answer ("127.0.0.2") or "" when not listed or not known now."""
    try:
        records = dns.query(name, "A")
    except dns.TemporaryDNSError as error:
        log.info("DNSBL lookup failed, counted as not listed: %s", error)
        return ""
    for record in records:
        address = ipaddress.ip_address(record.address)
        if address in _REFUSED:
            log.warning("DNSBL refused the query %s (answer %s): use a local resolver", name, address)
            continue
        if address in _LISTED:
            return str(address)
    return ""
