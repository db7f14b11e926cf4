"""Panel views: the landing page and the health endpoint load balancers and tests poll."""
from django.http import JsonResponse
from django.shortcuts import render

from mailcore.service.health import listener_health


def home(request):
    return render(request, "panel/home.html")


def healthz(request):
    """Report the web process as up and list mail-core nodes with their last heartbeat."""
    return JsonResponse({"web": "ok", "mailcore": listener_health()})
