"""Find the reports in a message delivered to a domain's report address and keep them.

Called after local delivery (delivery/local.py) for mail addressed to
postmaster@<hosted domain>, the rua= address the DNS guidance publishes
(dnsguide/records.py); postmaster mail is queued under the mailbox that takes it, so the
message's To/Cc say which domain's report address it came to. The message itself
is delivered as usual; a report that cannot be read is logged and skipped, never a
delivery failure. The same report sent twice is kept once (organization + report id).
"""
import email.policy
import logging
from email.parser import BytesParser
from email.utils import getaddresses

from django.db import IntegrityError, transaction

from mailcore.directory.lookup import hosted_domain
from mailcore.dnsguide.records import REPORTS_LOCALPART

from . import parse
from .models import ReceivedReport

log = logging.getLogger(__name__)

MAX_PARTS = 20
# RFC 8460 §5.3 media types; DMARC reports come as zip or gzip under many names.
TLSRPT_TYPES = {"application/tlsrpt+gzip", "application/tlsrpt+json"}
DMARC_TYPES = {"application/zip", "application/gzip", "application/x-gzip", "application/x-zip-compressed",
               "application/octet-stream", "text/xml", "application/xml"}


def reports_in(message) -> list[tuple[str, bytes]]:
    """[(kind, payload)] of the report attachments of a message (email.message.Message)."""
    found = []
    for part in list(message.walk())[:MAX_PARTS * 5]:
        if part.is_multipart() or len(found) >= MAX_PARTS:
            continue
        media_type = part.get_content_type()
        if media_type in TLSRPT_TYPES:
            kind = ReceivedReport.Kind.TLSRPT
        elif media_type in DMARC_TYPES:
            kind = ReceivedReport.Kind.DMARC
        else:
            continue
        payload = part.get_payload(decode=True)
        if payload:
            found.append((kind, payload))
    return found


def addressed_domains(message) -> set[str]:
    """Hosted domains whose report address (postmaster@) the message is addressed to."""
    found = set()
    for _name, address in getaddresses([str(value) for field in ("to", "cc") for value in message.get_all(field, [])]):
        local, _at, domain = address.rpartition("@")
        hosted = hosted_domain(domain.lower().rstrip(".")) if local.lower() == REPORTS_LOCALPART else None
        if hosted is not None:
            found.add(hosted.name)
    return found


def record(raw: bytes) -> list[ReceivedReport]:
    """Keep the readable reports in raw about a hosted domain whose report address the
    message is addressed to; return what was new."""
    message = BytesParser(policy=email.policy.compat32).parsebytes(raw)
    domains = addressed_domains(message)
    if not domains:
        return []
    kept = []
    for kind, payload in reports_in(message):
        try:
            report = (parse.tlsrpt if kind == ReceivedReport.Kind.TLSRPT else parse.dmarc)(payload)
        except parse.ReportError as error:
            log.info("a %s report to %s was not read: %s", kind, ", ".join(sorted(domains)), error)
            continue
        about = report["domain"] or (next(iter(domains)) if len(domains) == 1 else "")
        if about not in domains:
            log.info("a %s report about %r was sent to %s: not kept", kind, about, ", ".join(sorted(domains)))
            continue
        fields = {key: report[key] for key in ("organization", "report_id", "begin", "end", "rows", "passed",
                                               "failed")}
        try:
            with transaction.atomic():
                kept.append(ReceivedReport.objects.create(domain=hosted_domain(about), kind=kind, **fields))
        except IntegrityError:
            continue  # the same report again
    return kept
