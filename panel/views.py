"""The site root and the health endpoint load balancers poll (the dashboard: panel/dashboard)."""
import ipaddress

from django.http import JsonResponse
from django.shortcuts import redirect

from mailcore.service.health import listener_health

from .access import is_panel_admin


def root(request):
    """Send each role where it works: admins to the panel, mail users to the webmail."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if is_panel_admin(request.user):
        return redirect("panel:home")
    return redirect("webmail:index")


def healthz(request):
    """Up or down for anyone (a load balancer); the nodes with their hosts, processes and
    ports only for a signed-in superadmin or a local probe (issue 16: no map of the
    installation for the public)."""
    nodes = listener_health()
    if _may_see_details(request):
        return JsonResponse({"web": "ok", "mailcore": nodes})
    return JsonResponse({"web": "ok", "mailcore": "ok" if any(node["alive"] for node in nodes) else "down"})


def _may_see_details(request) -> bool:
    if request.user.is_authenticated and request.user.is_active and request.user.is_superuser:
        return True
    # Loopback, and not relayed by a proxy on this host (a proxy adds these headers).
    relayed = "HTTP_X_FORWARDED_FOR" in request.META or "HTTP_FORWARDED" in request.META
    try:
        return not relayed and ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
