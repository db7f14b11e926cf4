"""Reports as the panel shows them: a hosted domain's received reports (who sends as the
domain: DMARC rows summed by source address; how TLS to it went), and HopThu's own
outbound TLS (the MTA-STS policies it obeys, its sessions per destination)."""
import datetime as dt
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone

from mailcore.delivery.models import MtaStsPolicy

from .models import ReceivedReport, TlsSessionCount

SHOWN = 50


def domain_reports(domain) -> dict:
    dmarc = list(ReceivedReport.objects.filter(domain=domain, kind=ReceivedReport.Kind.DMARC)[:SHOWN])
    tls = list(ReceivedReport.objects.filter(domain=domain, kind=ReceivedReport.Kind.TLSRPT)[:SHOWN])
    return {"dmarc_reports": dmarc, "dmarc_sources": senders(dmarc), "tls_reports": tls,
            "tls_failures": tls_failures(tls)}


def senders(reports) -> list[dict]:
    """Per source address: messages that passed and failed DMARC, and the reporters."""
    by_ip = defaultdict(lambda: {"passed": 0, "failed": 0, "reporters": set()})
    for report in reports:
        for row in report.rows:
            entry = by_ip[row["source_ip"]]
            passed = "pass" in (row.get("dkim"), row.get("spf"))
            entry["passed" if passed else "failed"] += row["count"]
            entry["reporters"].add(report.organization)
    return sorted(({"source_ip": ip, "passed": entry["passed"], "failed": entry["failed"],
                    "reporters": ", ".join(sorted(entry["reporters"]))} for ip, entry in by_ip.items()),
                  key=lambda entry: (-entry["failed"], -entry["passed"], entry["source_ip"]))


def tls_failures(reports) -> list[dict]:
    """TLS failures summed by result type and receiving MX."""
    counted = defaultdict(int)
    for report in reports:
        for row in report.rows:
            for failure in row.get("failures", []):
                counted[(failure["result_type"], failure["receiving_mx"])] += failure["count"]
    return [{"result_type": kind, "receiving_mx": mx, "count": count}
            for (kind, mx), count in sorted(counted.items(), key=lambda item: -item[1])]


OUTBOUND_DAYS = 7


def outbound_tls(search: str = "", days: int = OUTBOUND_DAYS) -> dict:
    """The cached MTA-STS policies of destination domains (RFC 8461 §5.1), and the last
    days' outbound TLS sessions per destination: successes and failures by type."""
    search = search.strip().lower()
    policies = MtaStsPolicy.objects.order_by("domain")
    since = timezone.now().date() - dt.timedelta(days=days - 1)
    sessions = TlsSessionCount.objects.filter(day__gte=since)
    if search:
        policies = policies.filter(domain__contains=search)
        sessions = sessions.filter(policy_domain__contains=search)
    by_domain = defaultdict(lambda: {"success": 0, "failures": defaultdict(int), "policy_type": set()})
    rows = sessions.values("policy_domain", "policy_type", "result_type").annotate(total=Sum("count"))
    for row in rows.order_by("policy_domain")[:5000]:
        entry = by_domain[row["policy_domain"]]
        entry["policy_type"].add(row["policy_type"])
        if row["result_type"] == "success":
            entry["success"] += row["total"]
        else:
            entry["failures"][row["result_type"]] += row["total"]
    destinations = [{"domain": domain, "success": entry["success"], "failed": sum(entry["failures"].values()),
                     "failures": sorted(entry["failures"].items(), key=lambda item: -item[1]),
                     "sts": "sts" in entry["policy_type"]}
                    for domain, entry in by_domain.items()]
    destinations.sort(key=lambda entry: (-entry["failed"], entry["domain"]))
    return {"policies": list(policies[:500]), "destinations": destinations[:500], "days": days, "search": search,
            "now": timezone.now()}
