"""The received reports of a domain as the panel shows them: the newest reports, and
who sends as the domain (DMARC rows summed by source address) or how TLS to it went."""
from collections import defaultdict

from .models import ReceivedReport

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
