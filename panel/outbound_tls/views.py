"""Outbound TLS: the MTA-STS policies HopThu obeys and how its TLS sessions to other
domains went (the figures of its daily TLS reports). Superadmins: it is about other
people's domains, not a hosted one."""
from django.shortcuts import render

from mailcore.reports.summary import outbound_tls as summary

from ..access import superadmin_required


@superadmin_required
def outbound_tls(request):
    return render(request, "panel/outbound_tls/page.html", summary(request.GET.get("q", "")))
