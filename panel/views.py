"""The site root, the panel's dashboard and the health endpoint load balancers poll."""
from django.http import JsonResponse
from django.shortcuts import redirect, render

from mailcore.service.health import listener_health

from .access import admin_required, is_panel_admin


def root(request):
    """Send each role where it works: admins to the panel, mail users to the webmail."""
    if not request.user.is_authenticated:
        return redirect("account_login")
    if is_panel_admin(request.user):
        return redirect("panel:home")
    return redirect("webmail:index")


@admin_required
def home(request):
    return render(request, "panel/home.html")


def healthz(request):
    """Report the web process as up and list mail-core nodes with their last heartbeat."""
    return JsonResponse({"web": "ok", "mailcore": listener_health()})
