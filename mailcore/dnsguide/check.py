"""The live check: does DNS answer what records.py says the domain should publish?

Each expected record gets a Result: ok, missing, wrong, warn (works, but worth a look) or
error (DNS did not answer now), with what was found and, unless ok, a specific fix. All
lookups go through mailcore.dns (HOPTHU_DNS_SERVERS, HOPTHU_DNS_TIMEOUT bound each one)
and run in a small thread pool, so a whole check takes about two lookup timeouts at worst
even when every server is silent. Reports are cached for a minute per domain and language
(CACHE_SECONDS): reloading the panel page does not ask DNS again; "check now" does, past
the resolver's own cache (the upstream resolver may still cache for the records' TTL).
Each fresh check is also kept as the domain's DnsCheck (models.py): the dashboard warns
from the last check and never waits for DNS; a daily task (tasks.py) keeps it current.
"""
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import dns.name
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mailcore import dns as mail_dns
from mailcore.directory.models import Domain

from .models import DnsCheck
from .records import Record, expected_records, mail_host, public_addresses, spf_value
from .result import STATUSES, Result
from .txt import check_dkim, check_dmarc, check_mta_sts, check_tlsrpt

CACHE_SECONDS = 60
WORKERS = 8


@dataclass
class Report:
    checked: datetime
    results: dict[str, Result] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for result in self.results.values():
            counts[result.status] += 1
        return counts


@dataclass(frozen=True)
class Context:
    domain: str
    host: str
    host_addresses: frozenset[str]  # what DNS answers for the mail host
    senders: tuple[str, ...]  # the addresses this server sends from, for the SPF evaluation


def check_domain(domain: Domain, records: list[Record] | None = None, *, refresh: bool = False) -> Report:
    """Check every expected record of domain; cached for CACHE_SECONDS unless refresh."""
    language = translation.get_language() or ""
    key = f"dnsguide:{domain.name}:{language}"
    if not refresh and (cached := cache.get(key)) is not None:
        return cached
    # The resolver keeps answers for their TTL (up to hours): a record the owner just fixed
    # must be asked for again. This empties this process's cache only (the web process's).
    mail_dns.flush_cache()
    records = records if records is not None else expected_records(domain)
    report = _run(domain.name, records, language)
    cache.set(key, report, CACHE_SECONDS)
    remember(domain, records, report)
    return report


def remember(domain: Domain, records: list[Record], report: Report) -> DnsCheck:
    """Keep the outcome (not the words: those are in the checker's language) as the
    domain's last check, for the dashboard."""
    by_key = {record.key: record for record in records}
    problems = [{"key": key, "status": result.status, "rtype": by_key[key].rtype, "name": by_key[key].name}
                for key, result in report.results.items() if result.status != "ok" and key in by_key]
    # One upsert (INSERT … ON CONFLICT on SQLite and PostgreSQL), not a read then a write.
    check = DnsCheck(domain=domain, checked=report.checked, problems=problems)
    DnsCheck.objects.bulk_create([check], update_conflicts=True, unique_fields=["domain"],
                                 update_fields=["checked", "problems"])
    return check


def _run(domain: str, records: list[Record], language: str) -> Report:
    host = mail_host()

    def localized(function, *args):
        # Translations are per thread: each worker speaks the requester's language.
        with translation.override(language or None):
            return function(*args)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        answers = list(pool.map(lambda rtype: localized(_addresses_or_error, host, rtype), ("A", "AAAA")))
        found = frozenset(address for addresses in answers if addresses is not None for address in addresses)
        configured = tuple(public_addresses(4) + public_addresses(6))
        context = Context(domain, host, found, configured or tuple(sorted(found)))
        results = list(pool.map(lambda record: localized(check_record, record, context), records))
    return Report(timezone.now(), {result.key: result for result in results})


def check_record(record: Record, context: Context) -> Result:
    """One record's Result; a DNS failure becomes an "error" result, never an exception."""
    checker = CHECKERS.get(record.key.split(":", 1)[0])
    if checker is None:
        return Result(record.key, "warn", _("This record cannot be checked automatically."))
    try:
        return checker(record, context)
    except mail_dns.TemporaryDNSError:
        return Result(record.key, "error", _("DNS did not answer for %(name)s in time.") % {"name": record.name},
                      _("Check again in a few minutes; if this persists, the domain's name servers are failing."))


def _addresses_or_error(host: str, rtype: str) -> list[str] | None:
    try:
        return [record.address for record in mail_dns.query(host, rtype)]
    except mail_dns.TemporaryDNSError:
        return None


def _mx(record: Record, context: Context) -> Result:
    answers = mail_dns.query(context.domain, "MX")
    exchanges = [_target(answer.exchange) for answer in answers]
    found = tuple(f"{answer.preference} {_target(answer.exchange)}" for answer in answers)
    add = _("Publish an MX record for %(domain)s pointing to %(host)s.") % {"domain": context.domain,
                                                                           "host": context.host}
    if not exchanges:
        return Result(record.key, "missing", _("The domain has no MX record: mail to it cannot arrive."), add)
    if exchanges == [""]:
        return Result(record.key, "wrong", _("The domain publishes a null MX: it says it accepts no mail (RFC 7505)."),
                      _("Remove the null MX record.") + " " + add, found)
    if context.host not in exchanges:
        return Result(record.key, "wrong", _("Mail for this domain goes to another server, not to HopThu."),
                      _("Replace the MX records with one pointing to %(host)s.") % {"host": context.host}, found)
    others = sorted(set(exchanges) - {context.host})
    if others:
        return Result(record.key, "warn", _("Other servers also receive mail for this domain: %(hosts)s.")
                      % {"hosts": ", ".join(others)},
                      _("Remove those MX records unless those servers pass the mail on to HopThu."), found)
    return Result(record.key, "ok", _("Mail for this domain comes to HopThu."), found=found)


def _host_address(record: Record, context: Context) -> Result:
    found = tuple(answer.address for answer in mail_dns.query(record.name, record.rtype))
    if record.value:
        if record.value in found:
            return Result(record.key, "ok", _("The mail host has this address."), found=found)
        fix = _("Publish %(type)s %(value)s for %(name)s.") % {"type": record.rtype, "value": record.value,
                                                              "name": record.name}
        if not found:
            return Result(record.key, "missing", _("The mail host has no such address record."), fix)
        return Result(record.key, "wrong", _("The mail host's name points to other addresses."), fix, found)
    if record.rtype == "A":
        if found:
            return Result(record.key, "ok", _("The mail host has an address; make sure it is this server's."),
                          found=found)
        return Result(record.key, "missing", _("The mail host has no IPv4 address: no one can reach it."),
                      _("Publish an A record for %(name)s with this server's public address.") % {"name": record.name})
    if found:
        return Result(record.key, "warn", _("The mail host has an IPv6 address, which HopThu was not told about."),
                      _("Senders try IPv6 first: make sure this server receives mail on it and set "
                        "HOPTHU_PUBLIC_IPV6, or remove the AAAA record."), found)
    return Result(record.key, "ok", _("No IPv6 address: mail arrives over IPv4."))


_SPF_VERSION = re.compile(r"v=spf1( |$)", re.IGNORECASE)  # RFC 7208 §4.5


def _spf(record: Record, context: Context) -> Result:
    from mailcore.smtp.checks.spf import check_spf  # pyspf is needed only here

    found = tuple(text for text in mail_dns.txt_strings(context.domain) if _SPF_VERSION.match(text))
    suggested = _("Suggested record: %(value)s") % {"value": spf_value()}
    if not found:
        return Result(record.key, "missing", _("The domain has no SPF record: receivers cannot tell forgeries "
                                               "from real mail."), suggested)
    if len(found) > 1:
        return Result(record.key, "wrong", _("The domain has %(count)d SPF records; receivers treat that as an "
                                             "error (RFC 7208 §4.5) and may refuse its mail.") % {"count": len(found)},
                      _("Merge them into one record that includes \"mx\".") + " " + suggested, found)
    terms = found[0].lower().split()[1:]
    if "+all" in terms or "all" in terms:
        return Result(record.key, "wrong", _("The SPF record ends in \"+all\": it lets anyone send as this domain."),
                      _("End it with \"-all\" or \"~all\".") + " " + suggested, found)
    if not context.senders:
        if "mx" in terms or "+mx" in terms:
            return Result(record.key, "ok", _("The SPF record lets the domain's mail servers send."), found=found)
        return Result(record.key, "warn", _("The mail host's address is unknown, so the SPF record cannot be "
                                            "tested."), _("Make sure it includes \"mx\".") + " " + suggested, found)
    for address in context.senders:
        outcome = check_spf(client_ip=address, helo=context.host, mail_from=f"postmaster@{context.domain}",
                            hostname=context.host)
        if outcome.result == "temperror":
            raise mail_dns.TemporaryDNSError(outcome.reason)
        if outcome.result != "pass":
            return Result(record.key, "wrong",
                          _("Mail this server sends from %(address)s gets the SPF result \"%(result)s\", "
                            "not \"pass\".") % {"address": address, "result": outcome.result},
                          _("Add \"mx\" to the SPF record, before its final \"all\".") + " " + suggested, found)
    return Result(record.key, "ok", _("Mail sent by HopThu passes SPF."), found=found)


def _alias_host(record: Record, context: Context) -> Result:
    """A name that should lead to the mail host: a CNAME to it, or the same addresses."""
    cnames = [_target(answer.target) for answer in mail_dns.query(record.name, "CNAME")]
    fix = _("Publish %(name)s as a CNAME pointing to %(host)s.") % {"name": record.name, "host": context.host}
    if cnames:
        if cnames[0] == context.host:
            return Result(record.key, "ok", _("Points to the mail host."), found=tuple(cnames))
        return Result(record.key, "wrong", _("Points to another host."), fix, tuple(cnames))
    found = tuple(answer.address for rtype in ("A", "AAAA") for answer in mail_dns.query(record.name, rtype))
    if not found:
        return Result(record.key, "missing", _("This name does not exist in DNS."), fix)
    if set(found) & context.host_addresses:
        return Result(record.key, "ok", _("Has the mail host's address."), found=found)
    if not context.host_addresses:
        return Result(record.key, "warn", _("Has an address, but the mail host's address is unknown to compare."),
                      fix, found)
    return Result(record.key, "wrong", _("Points to an address that is not the mail host's."), fix, found)


def _srv(record: Record, context: Context) -> Result:
    _priority, _weight, port, _host = record.value.split()
    answers = mail_dns.query(record.name, "SRV")
    found = tuple(f"{answer.priority} {answer.weight} {answer.port} {_target(answer.target)}" for answer in answers)
    fix = _("Publish %(name)s SRV %(value)s.") % {"name": record.name, "value": record.value}
    if not answers:
        return Result(record.key, "missing", _("Mail programs cannot find this service automatically."), fix)
    if any(_target(answer.target) == context.host and answer.port == int(port) for answer in answers):
        return Result(record.key, "ok", _("Mail programs find this service."), found=found)
    if any(_target(answer.target) == "" for answer in answers):
        return Result(record.key, "wrong", _("The record says this service is not offered (target \".\")."),
                      fix, found)
    return Result(record.key, "wrong", _("The record points to another host or port."), fix, found)


def _target(name: dns.name.Name) -> str:
    """A DNS name as compared here: lower case, no final dot ("" for the root, as in a null MX)."""
    return "" if name == dns.name.root else name.to_text(omit_final_dot=True).lower()


CHECKERS = {
    "mx": _mx, "host": _host_address, "spf": _spf, "dkim": check_dkim, "dmarc": check_dmarc,
    "mta-sts": check_mta_sts, "mta-sts-host": _alias_host, "tlsrpt": check_tlsrpt,
    "autoconfig": _alias_host, "autodiscover": _alias_host, "srv": _srv,
}
