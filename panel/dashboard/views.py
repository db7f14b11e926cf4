"""The overview: counts, queue, today's mail, disk, mail-core nodes, the certificate, and
what needs an administrator. A domain admin sees their domains' figures only, and nothing
of the installation (nodes by name, disk, certificate) beyond whether mail flows."""
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from mailcore.service.health import listener_health
from mailcore.service.tls import certificate_status

from ..access import admin_required, managed_domains
from . import figures
from .attention import certificate_notice, dns_notices, node_notices, virus_notice
from .held import held_accounts, held_notices


@admin_required
def home(request):
    superadmin = request.is_superadmin
    domains = managed_domains(request.user)
    nodes = listener_health()
    for node in nodes:
        node["started"], node["last_seen"] = parse_datetime(node["started"]), parse_datetime(node["last_seen"])
    certificate = certificate_status() if superadmin else None
    dns = figures.dns(domains)
    held = held_accounts(request.user)
    notices = [*held_notices(held), *node_notices(nodes, superadmin), *virus_notice(superadmin),
               *(certificate_notice(certificate) if certificate else []), *dns_notices(dns)]
    names = None if superadmin else list(domains.values_list("name", flat=True))
    return render(request, "panel/dashboard/home.html", {
        "notices": sorted(notices, key=lambda notice: notice.level != "bad"),
        "directory": figures.directory(domains), "queue": figures.queue(request),
        "today": figures.mail_today(names), "disk": figures.disk() if superadmin else None,
        "nodes": nodes if superadmin else None, "mail_flows": any(node["alive"] for node in nodes),
        "certificate": certificate, "held": held,
    })
