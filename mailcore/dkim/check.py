"""Is a DKIM key's TXT record visible in DNS? The panel asks before switching keys.

The answer is fetched fresh, past the shared resolver's cache: the admin has just
published the record, and a cached "no such name" (kept for the zone's negative TTL,
RFC 2308 §5) would say it is missing long after it appeared.
"""
import copy

import dns.exception
import dns.resolver

from mailcore import dns as mail_dns

PUBLISHED = "published"  # the record is there with this key's p=
MISSING = "missing"  # no TXT record at the name
DIFFERENT = "different"  # a record is there, with another key (or not a DKIM record)
UNKNOWN = "unknown"  # DNS did not answer (timeout, SERVFAIL): try again later


def record_state(key) -> str:
    """One of PUBLISHED, MISSING, DIFFERENT, UNKNOWN for key's record (key.dns_name)."""
    resolver = copy.copy(mail_dns.resolver())
    resolver.cache = None
    try:
        answers = resolver.resolve(key.dns_name, "TXT", search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return MISSING
    except dns.exception.DNSException:
        return UNKNOWN
    texts = [b"".join(record.strings).decode("utf-8", "replace") for record in answers]
    return PUBLISHED if any(_public_key(text) == key.public_key for text in texts) else DIFFERENT


def _public_key(text: str) -> str | None:
    """The p= value of a DKIM key record (RFC 6376 §3.6.1: tag=value pairs, spaces ignored)."""
    for tag in text.split(";"):
        name, _sep, value = tag.partition("=")
        if name.strip() == "p":
            return "".join(value.split())
    return None
