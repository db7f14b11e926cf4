"""DNS lookups of the mail core (MX for outbound mail, SPF/DKIM/DMARC for inbound checks).

One dnspython resolver configured from settings: HOPTHU_DNS_SERVERS empty means the
system's resolv.conf; "127.0.0.1:5353,10.0.0.2" means those servers (the tests run a
stub server on loopback, as DESIGN.md asks: no mocks of the network). Lookups are
blocking; code on an event loop calls them through host.run_blocking.
"""
import functools
import os
import threading
import time

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


# Positive answers by (name, type) until their TTL runs out, in front of dnspython's own
# cache: a busy MX asks for the same senders' SPF and DMARC records for every message,
# and a cached answer through resolve() still costs a name parse and a resolution object
# (a tenth of the MX's DATA checks). Oldest entries go first past DNS_CACHE_ENTRIES.
_answers: dict[tuple, tuple[float, list]] = {}
_answers_lock = threading.Lock()


def forget_answers() -> None:
    """Drop every cached answer, ours and dnspython's (the tests change their stub
    server's records)."""
    with _answers_lock:
        _answers.clear()
    for spec, timeout in list(_made):
        _resolver(spec, timeout).cache.flush()


def _reset_in_child() -> None:
    # A process forked while another thread inserts would inherit the lock held for ever.
    global _answers_lock
    _answers_lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_in_child)


def query(name: str, rdtype: str) -> list:
    """Return the records of name/rdtype; [] when the name or the type does not exist.

    Raises TemporaryDNSError when no answer could be had (RFC 5321 §5.1: the sender must
    then retry later rather than treat the domain as having no mail servers).
    """
    resolver_ = resolver()
    key = (resolver_, name.lower(), rdtype)  # per resolver: the tests' stubs differ by port
    cached = _answers.get(key)
    if cached is not None and cached[0] > time.time():
        return list(cached[1])
    try:
        answer = resolver_.resolve(name, rdtype, search=False)
        records = list(answer)
        with _answers_lock:  # misses only: evicting iterates the dict, which must not change meanwhile
            if len(_answers) >= DNS_CACHE_ENTRIES:
                _answers.pop(next(iter(_answers), None), None)
            _answers[key] = (answer.expiration, records)  # expiration: dnspython's time.time() + TTL
        return list(records)
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
    with _answers_lock:
        _answers.clear()
    for resolver_ in list(_resolvers()):
        resolver_.cache.flush()


def _resolvers():
    # The resolvers made so far, one per distinct configuration.
    return [_resolver(*key) for key in _made]
