"""SPF (RFC 7208) of the MAIL FROM identity, or of the HELO identity when the reverse-path
is null (§2.4: the check then uses postmaster@<HELO name>).

pyspf evaluates the record. Its DNS goes through mailcore.dns: pyspf looks every query up
through its module attribute `spf.DNSLookup(name, qtype, strict, timeout)`, the hook it
provides for plugging in a resolver, so the configured servers (and the tests' stub
server) answer and a DNS failure is a TemporaryDNSError turned into pyspf's TempError.

pyspf enforces the processing limits of §4.6.4 (ten DNS-querying terms, ten MX and PTR
names, two void lookups) and returns permerror beyond them, which also ends include and
redirect loops. Nothing here raises: every outcome is one of the seven results of §2.6.
"""
import ipaddress
import logging

import dns.exception
import dns.name
import spf as pyspf

from mailcore import dns as mail_dns

from .results import SPFResult, ascii_domain, printable

log = logging.getLogger(__name__)

QUERY_TIME = 20  # seconds for the whole evaluation: RFC 7208 §4.6.4 asks for at least 20
RESULTS = ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror")


def check_spf(*, client_ip: str, helo: str, mail_from: str, hostname: str) -> SPFResult:
    """check_host() (RFC 7208 §4) for the client at client_ip sending as mail_from."""
    identity = "mailfrom" if mail_from else "helo"
    if mail_from:
        localpart, at, domain = mail_from.rpartition("@")
        if not at:  # RFC 5321 §4.1.2: a reverse-path names a mailbox; without "@" there is no domain
            domain = ""
    else:
        localpart, domain = "postmaster", helo
    checked = ascii_domain(domain)
    if checked is None:
        # RFC 7208 §4.3: a malformed or single-label domain gives "none" at once (so does an
        # address literal as HELO name with a null reverse-path, §2.3).
        return SPFResult("none", identity, reason="no domain to check")
    try:
        address = ipaddress.ip_address(client_ip.split("%", 1)[0])  # drop an IPv6 zone index
    except ValueError:
        return SPFResult("permerror", identity, checked, reason="invalid client address")
    # pyspf splits the sender at its first "@"; a quoted local part may hold one ("a@b"@x),
    # which would make it check the wrong domain. The local part only feeds the %{l} macro.
    sender = f"{localpart.replace('@', '') or 'postmaster'}@{checked}"
    try:
        result, _code, explanation = _evaluate(address, sender, helo, hostname)
    except Exception:  # a defect in pyspf on hostile input must not cost the message
        log.exception("SPF check of %s for %s failed", checked, address)
        return SPFResult("permerror", identity, checked, reason="unexpected error in SPF evaluation")
    if result not in RESULTS:  # "ambiguous" exists only in pyspf's harsh mode, not used here
        result = "permerror"
    return SPFResult(result, identity, checked, reason=explanation if result != "pass" else "")


def _evaluate(address, sender: str, helo: str, hostname: str) -> tuple[str, int, str]:
    pyspf.DNSLookup = lookup  # idempotent: always this function, so threads may race on it safely
    query = pyspf.query(
        i=str(address),
        s=sender,
        h=ascii_domain(helo) or printable(helo, 255),  # only used by the %{h} macro
        receiver=hostname,
        querytime=QUERY_TIME,
    )
    return query.check()


def lookup(name: str, qtype: str, strict=True, timeout=None) -> list:
    """pyspf's DNSLookup interface over mailcore.dns: [((name, qtype), value), ...].

    A and AAAA give address strings, MX (preference, exchange), PTR the target name and
    TXT the record's character-strings as bytes, as pyspf's own dnspython driver does.
    """
    if not _queryable(name):
        # Macro expansion can build names no DNS server could hold (non-ASCII local parts,
        # RFC 8616 §4; over-long labels): they match nothing, as a missing name would.
        return []
    try:
        records = mail_dns.query(name, qtype)
    except mail_dns.TemporaryDNSError as error:
        raise pyspf.TempError(f"DNS {error}") from error  # RFC 7208 §2.6.6: temperror
    answers = []
    for record in records:
        if qtype in ("A", "AAAA"):
            value = record.address
        elif qtype == "MX":
            value = (record.preference, record.exchange.to_text(omit_final_dot=True))
        elif qtype == "PTR":
            value = record.target.to_text(omit_final_dot=True)
        elif qtype in ("TXT", "SPF"):
            value = tuple(record.strings)
        else:
            continue
        answers.append(((name, qtype), value))
    return answers


def _queryable(name: str) -> bool:
    if not name.isascii():
        return False
    try:
        dns.name.from_text(name)
    except dns.exception.DNSException:
        return False
    return True
