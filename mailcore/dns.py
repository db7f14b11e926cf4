"""DNS lookups of the mail core (MX for outbound mail, SPF/DKIM/DMARC for inbound checks).

One dnspython resolver configured from settings: HOPTHU_DNS_SERVERS empty means the
system's resolv.conf; "127.0.0.1:5353,10.0.0.2" means those servers (the tests run a
stub server on loopback, as DESIGN.md asks: no mocks of the network). Lookups are
blocking; code on an event loop calls them through host.run_blocking.
"""
import functools

import dns.exception
import dns.nameserver
import dns.resolver
from django.conf import settings

DNS_CACHE_ENTRIES = 50_000


class TemporaryDNSError(Exception):
    """The answer could not be had now (timeout, SERVFAIL): try again later."""


def _servers(spec: str) -> list[tuple[str, int]]:
    servers = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        host, _sep, port = item.rpartition(":") if item.count(":") == 1 else (item, "", "")
        servers.append((host or item, int(port) if port else 53))
    return servers


_made: set[tuple[str, float]] = set()


@functools.cache
def _resolver(spec: str, timeout: float) -> dns.resolver.Resolver:
    _made.add((spec, timeout))
    if spec:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port) for host, port in _servers(spec)]
    else:
        resolver = dns.resolver.Resolver()
    resolver.lifetime = timeout
    resolver.timeout = timeout
    # Answers are kept for their TTL: the same sender domains' SPF, DKIM and DMARC
    # records are asked for again and again by a busy MX (dnspython's thread-safe cache).
    resolver.cache = dns.resolver.LRUCache(DNS_CACHE_ENTRIES)
    return resolver


def resolver() -> dns.resolver.Resolver:
    """The configured resolver (shared: dnspython resolvers are thread-safe for queries)."""
    return _resolver(getattr(settings, "HOPTHU_DNS_SERVERS", ""), float(getattr(settings, "HOPTHU_DNS_TIMEOUT", 5)))


def query(name: str, rdtype: str) -> list:
    """Return the records of name/rdtype; [] when the name or the type does not exist.

    Raises TemporaryDNSError when no answer could be had (RFC 5321 §5.1: the sender must
    then retry later rather than treat the domain as having no mail servers).
    """
    try:
        return list(resolver().resolve(name, rdtype, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.resolver.NoNameservers, dns.exception.Timeout, dns.resolver.LifetimeTimeout) as error:
        raise TemporaryDNSError(f"{name}/{rdtype}: {error}") from error
    except dns.exception.DNSException as error:  # a malformed name or answer
        raise TemporaryDNSError(f"{name}/{rdtype}: {error}") from error


def txt_strings(name: str) -> list[str]:
    """The TXT records of name, each as one string (its character-strings joined)."""
    return [b"".join(record.strings).decode("utf-8", "replace") for record in query(name, "TXT")]


def flush_cache():
    """Forget every cached answer (tests change their DNS between lookups)."""
    for resolver_ in list(_resolvers()):
        resolver_.cache.flush()


def _resolvers():
    # The resolvers made so far, one per distinct configuration.
    return [_resolver(*key) for key in _made]
