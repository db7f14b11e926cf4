"""DNS guidance for a domain's owner: the records to publish, a zone snippet, a live check."""
from django.http import HttpResponse
from django.shortcuts import render

from mailcore.dnsguide.check import check_domain
from mailcore.dnsguide.records import expected_records
from mailcore.dnsguide.zone import presentation, zone_text
from mailcore.reports.summary import domain_reports

from ..access import admin_required, domain_or_404


@admin_required
def records(request, name):
    domain = domain_or_404(request, name)
    expected = expected_records(domain)
    # The check runs in the request (each lookup bounded by HOPTHU_DNS_TIMEOUT, results cached
    # for a minute); "Check now" (?check=now) asks DNS again.
    report = check_domain(domain, expected, refresh=request.GET.get("check") == "now")
    rows = [{"record": record, "relative": record.relative_name(domain.name), "zone_value": presentation(record),
             "result": report.results.get(record.key)} for record in expected]
    return render(request, "panel/dns/records.html",
                  {"domain": domain, "rows": rows, "report": report, "counts": report.counts()})


@admin_required
def zone(request, name):
    domain = domain_or_404(request, name)
    response = HttpResponse(zone_text(domain.name, expected_records(domain)), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{domain.name}.zone"'
    return response


@admin_required
def reports(request, name):
    """What other mail servers report about the domain: DMARC and TLS (mailcore/reports)."""
    domain = domain_or_404(request, name)
    return render(request, "panel/dns/reports.html", {"domain": domain, **domain_reports(domain)})
