"""Aggregate reports as their senders write them, read into plain dicts.

DMARC (RFC 7489 Appendix C): XML, usually gzip or zip compressed. TLS-RPT (RFC 8460
§4.4): JSON, usually gzip. Reports come from anyone on the Internet, so input is
hostile: decompressed size is bounded (a zip bomb stops at MAX_BYTES), XML is read
with defusedxml (no entities, no external references), rows are capped, and anything
malformed raises ReportError, never another exception.
"""
import datetime as dt
import gzip
import io
import ipaddress
import json
import zipfile

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 10_000


class ReportError(ValueError):
    """Not a report this module can read."""


def decompress(data: bytes) -> bytes:
    """The report inside gzip or zip (or data itself), at most MAX_BYTES of it."""
    try:
        if data[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
                return _bounded(stream)
        if data[:4] == b"PK\x03\x04":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [info for info in archive.infolist() if not info.is_dir()]
                if len(names) != 1:
                    raise ReportError("a report zip holds one file")
                with archive.open(names[0]) as stream:
                    return _bounded(stream)
    except (OSError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise ReportError(f"cannot decompress: {error}") from None
    if len(data) > MAX_BYTES:
        raise ReportError("the report is too big")
    return data


def _bounded(stream) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReportError("the report is too big once decompressed")
    return data


def _text(element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None and found.text else default


def _epoch(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ReportError(f"not a time: {value[:40]!r}") from None


def _count(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ReportError(f"not a count: {str(value)[:40]!r}") from None
    if not 0 <= number < 2**53:
        raise ReportError("a count out of range")
    return number


def _ip(value: str) -> str:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return value.strip()[:45]


def dmarc(data: bytes) -> dict:
    """{"organization", "report_id", "begin", "end", "domain", "rows", "passed", "failed"}."""
    try:
        root = ElementTree.fromstring(decompress(data))
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as error:
        if isinstance(error, ReportError):
            raise
        raise ReportError(f"not XML: {error}") from None
    if root.tag != "feedback":
        raise ReportError("not a DMARC aggregate report (no <feedback>)")
    metadata = root.find("report_metadata")
    if metadata is None:
        raise ReportError("no <report_metadata>")
    rows, passed, failed = [], 0, 0
    for record in root.iterfind("record"):
        if len(rows) >= MAX_ROWS:
            raise ReportError("too many records")
        row = record.find("row")
        if row is None:
            continue
        count = _count(_text(row, "count", "0"))
        dkim, spf = _text(row, "policy_evaluated/dkim"), _text(row, "policy_evaluated/spf")
        # RFC 7489 §4.2: a message passes DMARC when aligned DKIM or aligned SPF passes.
        if "pass" in (dkim, spf):
            passed += count
        else:
            failed += count
        rows.append({"source_ip": _ip(_text(row, "source_ip")), "count": count,
                     "disposition": _text(row, "policy_evaluated/disposition")[:20], "dkim": dkim[:20],
                     "spf": spf[:20], "header_from": _text(record, "identifiers/header_from")[:253].lower()})
    return {"organization": _text(metadata, "org_name")[:200] or "?", "report_id": _required(metadata, "report_id"),
            "begin": _epoch(_text(metadata, "date_range/begin")), "end": _epoch(_text(metadata, "date_range/end")),
            "domain": _text(root, "policy_published/domain").lower().rstrip("."), "rows": rows,
            "passed": passed, "failed": failed}


def _required(element, path: str) -> str:
    value = _text(element, path)
    if not value:
        raise ReportError(f"no <{path}>")
    return value[:200]


def _time(value) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ReportError(f"not a time: {str(value)[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def tlsrpt(data: bytes) -> dict:
    """The same shape as dmarc(), rows per policy (RFC 8460 §4.4)."""
    try:
        report = json.loads(decompress(data))
        begin = _time(report["date-range"]["start-datetime"])
        end = _time(report["date-range"]["end-datetime"])
        policies = report["policies"]
        if not isinstance(policies, list) or len(policies) > MAX_ROWS:
            raise ReportError("policies is not a list of reports")
        rows, passed, failed = [], 0, 0
        for entry in policies:
            policy, summary = entry["policy"], entry["summary"]
            ok = _count(summary.get("total-successful-session-count", 0))
            bad = _count(summary.get("total-failure-session-count", 0))
            passed, failed = passed + ok, failed + bad
            failures = [{"result_type": str(detail.get("result-type", ""))[:60],
                         "receiving_mx": str(detail.get("receiving-mx-hostname", ""))[:253],
                         "receiving_ip": _ip(str(detail.get("receiving-ip", ""))),
                         "count": _count(detail.get("failed-session-count", 0))}
                        for detail in (entry.get("failure-details") or [])[:MAX_ROWS]]
            rows.append({"policy_type": str(policy.get("policy-type", ""))[:20],
                         "policy_domain": str(policy.get("policy-domain", "")).lower().rstrip(".")[:253],
                         "mx": [str(host)[:253] for host in (policy.get("mx-host") or [])][:50],
                         "successful": ok, "failed": bad, "failures": failures})
        domains = {row["policy_domain"] for row in rows}
        return {"organization": str(report.get("organization-name", "?"))[:200],
                "report_id": str(report["report-id"])[:200], "begin": begin, "end": end,
                "domain": domains.pop() if len(domains) == 1 else "", "rows": rows,
                "passed": passed, "failed": failed}
    except ReportError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ReportError(f"not a TLS report: {type(error).__name__} {error}"[:200]) from None
