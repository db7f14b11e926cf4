"""Sending the daily TLS reports about our outbound sessions (RFC 8460 §4, §5).

For each recipient domain with sessions counted on a UTC day (tls_sessions.py), the
domain's `_smtp._tls` TXT record (§3) names where reports go: mailto: URIs get a
multipart/report message with the gzip JSON attached (§5.3), queued and DKIM-signed
like our own mail; https: URIs get it POSTed over verified TLS (§5.4). A day is claimed
per domain (SentTlsReport) before anything goes out, so rerunning it sends nothing.
Our own hosted domains get no report: we would only be writing to ourselves.
"""
import datetime as dt
import gzip
import http.client
import json
import logging
import re
import ssl
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from mailcore import dns as mail_dns
from mailcore.delivery.models import QueuedMessage
from mailcore.delivery.outbound.mta_sts import _Connection, verified_context
from mailcore.delivery.queue import Envelope, enqueue
from mailcore.directory.addresses import parse_address
from mailcore.directory.lookup import hosted_domain
from mailcore.directory.postmaster import primary_domain
from mailcore.mime.dkim import sign

from .models import SentTlsReport, TlsSessionCount
from .tls_sessions import NO_POLICY

log = logging.getLogger(__name__)

MAX_URIS = 10  # rua URIs used per domain: a record listing hundreds must not make us a spammer
_VERSION_RE = re.compile(r"^v=TLSRPTv1\s*(;|$)")


@dataclass
class Outcome:
    """What happened to one domain's report of the day."""

    domain: str
    report_id: str = ""
    destinations: list = field(default_factory=list)  # [{"uri", "outcome"}]
    skipped: str = ""  # why nothing was sent ("" when sent)


def rua_of(strings: list[str]) -> list[str]:
    """The reporting URIs of a domain's `_smtp._tls` TXT records (RFC 8460 §3).

    Records not starting with v=TLSRPTv1 are discarded; unless exactly one is left the
    domain does not take reports. rua is a comma-separated list of mailto: and https:
    URIs; others are ignored.
    """
    found = [text for text in strings if _VERSION_RE.match(text)]
    if len(found) != 1:
        return []
    fields = {}
    for part in found[0].split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            fields.setdefault(key.strip().lower(), value.strip())
    uris = [uri.strip() for uri in fields.get("rua", "").split(",")]
    return [uri for uri in uris if uri.lower().startswith(("mailto:", "https:"))][:MAX_URIS]


def organization() -> str:
    return settings.HOPTHU_TLSRPT_ORGANIZATION or settings.HOPTHU_HOSTNAME


def contact() -> str:
    """postmaster@ our primary domain (RFC 8460 §4.4 contact-info; also the report's From)."""
    domain = primary_domain()
    return f"postmaster@{domain.name if domain is not None else settings.HOPTHU_HOSTNAME}"


def build(domain: str, day: dt.date, rows: list[TlsSessionCount], report_id: str) -> dict:
    """The §4.4 JSON report: one policy entry per policy in force, with its summary and
    its failures by result type, receiving MX and IP."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    policies: dict[tuple, dict] = {}
    for row in rows:
        entry = policies.setdefault((row.policy_type, row.policy_id), {
            "policy": _policy(row, domain),
            "summary": {"total-successful-session-count": 0, "total-failure-session-count": 0},
            "failure-details": []})
        if row.result_type == "success":
            entry["summary"]["total-successful-session-count"] += row.count
        else:
            entry["summary"]["total-failure-session-count"] += row.count
            detail = {"result-type": row.result_type, "receiving-mx-hostname": row.receiving_mx,
                      "receiving-ip": row.receiving_ip, "failed-session-count": row.count}
            # A policy that could not be fetched (§4.3.2.1) involved no MX: leave those out.
            entry["failure-details"].append({key: value for key, value in detail.items() if value != ""})
    for entry in policies.values():
        if not entry["failure-details"]:
            del entry["failure-details"]
    return {
        "organization-name": organization(),
        "date-range": {"start-datetime": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "end-datetime": (start + dt.timedelta(days=1, seconds=-1)).strftime("%Y-%m-%dT%H:%M:%SZ")},
        "contact-info": contact(),
        "report-id": report_id,
        "policies": list(policies.values()),
    }


def _policy(row: TlsSessionCount, domain: str) -> dict:
    policy = {"policy-type": row.policy_type, "policy-domain": domain}
    if row.policy_type != NO_POLICY:
        policy["policy-string"] = row.policy_string
        policy["mx-host"] = [line[4:] for line in row.policy_string if line.startswith("mx: ")]
    return policy


def filename(domain: str, day: dt.date, report_id: str) -> str:
    """§5.1: sender!policy-domain!begin-timestamp!end-timestamp!unique-id.json.gz (seconds since the epoch)."""
    begin = int(dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).timestamp())
    unique = re.sub(r"[^A-Za-z0-9-]", "", report_id)[:40]
    return f"{organization()}!{domain}!{begin}!{begin + 86399}!{unique}.json.gz"


def message(domain: str, day: dt.date, report: dict, payload: bytes, to: str) -> bytes:
    """The §5.3 report message: multipart/report; report-type="tlsrpt", a readable part
    and the gzip JSON as application/tlsrpt+gzip; signed with our primary domain's key."""
    sender = contact()
    mail = EmailMessage(policy=SMTP)
    mail["From"] = sender
    mail["To"] = to
    # §5.3: the Subject names the domain, the submitter and the report id.
    mail["Subject"] = f"Report Domain: {domain} Submitter: {organization()} Report-ID: <{report['report-id']}>"
    mail["Date"] = format_datetime(timezone.now())
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    mail["TLS-Report-Domain"] = domain
    mail["TLS-Report-Submitter"] = organization()
    mail["Auto-Submitted"] = "auto-generated"  # RFC 3834 §5: nobody should answer it
    mail.set_content(f"This is an aggregate TLS report (RFC 8460) from {organization()} about the TLS sessions "
                     f"of mail sent to {domain} on {day:%Y-%m-%d} (UTC).\n")
    mail.add_attachment(payload, maintype="application", subtype="tlsrpt+gzip",
                        filename=filename(domain, day, report["report-id"]))
    mail.set_type("multipart/report")
    mail.set_param("report-type", "tlsrpt")
    raw = mail.as_bytes()
    return sign(raw, sender.rpartition("@")[2])


def mail_to(uri: str, domain: str, day: dt.date, report: dict, payload: bytes) -> str:
    try:
        address = str(parse_address(unquote(uri[len("mailto:"):].split("?")[0]), allow_quoted=True))
    except ValidationError as error:
        return f"refused: {'; '.join(error.messages)}"
    raw = message(domain, day, report, payload, address)
    queued = enqueue(raw, Envelope(mail_from=contact(), recipients=[address], source=QueuedMessage.Source.SYSTEM))
    return f"queued as {queued}"


def post_to(uri: str, payload: bytes) -> str:
    """§5.4: POST the gzip JSON as application/tlsrpt+gzip; the certificate must be valid."""
    parts = urlsplit(uri)
    try:
        port = parts.port or 443
    except ValueError:
        return "refused: not a port"
    if parts.scheme.lower() != "https" or not parts.hostname:
        return "refused: not an https URI"
    addresses = [record.address for record in mail_dns.query(parts.hostname, "A")]
    if not addresses:
        return f"refused: {parts.hostname} has no address"
    connection = _Connection(addresses[0], parts.hostname, port,
                             float(settings.HOPTHU_MTA_STS_TIMEOUT), verified_context())
    try:
        connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""), body=payload,
                           headers={"Host": parts.netloc, "Content-Type": "application/tlsrpt+gzip",
                                    "User-Agent": "HopThu"})
        status = connection.getresponse().status
    finally:
        connection.close()
    return f"HTTP {status}"


def send_domain(domain: str, day: dt.date, rows: list[TlsSessionCount], dry_run: bool = False) -> Outcome:
    outcome = Outcome(domain)
    if hosted_domain(domain) is not None:
        outcome.skipped = "hosted here"
        return outcome
    if SentTlsReport.objects.filter(day=day, policy_domain=domain).exists():
        outcome.skipped = "already sent"
        return outcome
    try:
        records = mail_dns.query(f"_smtp._tls.{domain}", "TXT")
    except mail_dns.TemporaryDNSError as error:
        outcome.skipped = f"TXT lookup failed: {error}"  # tried again at the next run
        return outcome
    uris = rua_of([b"".join(record.strings).decode("ascii", "replace") for record in records])
    if not uris:
        outcome.skipped = "no _smtp._tls record"
        return outcome
    outcome.report_id = f"{day:%Y-%m-%d}-{uuid.uuid4()}"
    report = build(domain, day, rows, outcome.report_id)
    outcome.destinations = [{"uri": uri, "outcome": "dry run"} for uri in uris]
    if dry_run:
        return outcome
    try:
        with transaction.atomic():  # the claim: a second run of the day stops here
            claim = SentTlsReport.objects.create(day=day, policy_domain=domain, report_id=outcome.report_id)
    except IntegrityError:
        outcome.skipped, outcome.destinations = "already sent", []
        return outcome
    payload = gzip.compress(json.dumps(report).encode("utf-8"))
    for destination in outcome.destinations:
        uri = destination["uri"]
        try:
            destination["outcome"] = (mail_to(uri, domain, day, report, payload) if uri.lower().startswith("mailto:")
                                      else post_to(uri, payload))
        except (OSError, ssl.SSLError, http.client.HTTPException, mail_dns.TemporaryDNSError) as error:
            destination["outcome"] = f"failed: {error}"
        except Exception as error:  # the URI came from anyone's DNS: one bad one must not stop the rest
            log.warning("TLS-RPT: %s of %s could not be used", uri, domain, exc_info=True)
            destination["outcome"] = f"refused: {type(error).__name__}"
        log.info("TLS-RPT: report %s for %s to %s: %s", outcome.report_id, domain, uri, destination["outcome"])
    claim.destinations = outcome.destinations
    claim.save(update_fields=["destinations"])
    return outcome


def send_day(day: dt.date | None = None, dry_run: bool = False) -> list[Outcome]:
    """Send the reports of day (default: yesterday, UTC) to every domain with sessions."""
    day = day or (timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1))
    by_domain: dict[str, list[TlsSessionCount]] = {}
    for row in TlsSessionCount.objects.filter(day=day).order_by("policy_domain", "id"):
        by_domain.setdefault(row.policy_domain, []).append(row)
    return [send_domain(domain, day, rows, dry_run) for domain, rows in by_domain.items()]


def prune(today: dt.date | None = None) -> int:
    """Forget counts and sent-report claims older than HOPTHU_TLSRPT_KEEP_DAYS."""
    today = today or timezone.now().astimezone(dt.UTC).date()
    cutoff = today - dt.timedelta(days=max(2, settings.HOPTHU_TLSRPT_KEEP_DAYS))
    deleted, _ = TlsSessionCount.objects.filter(day__lt=cutoff).delete()
    SentTlsReport.objects.filter(day__lt=cutoff).delete()
    return deleted
