"""Routes outside /panel/: the site root, health, and the well-known URLs mail clients and
senders fetch without signing in (autoconfig, autodiscover, MTA-STS policy)."""
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.root, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("", include("panel.clients.public_urls")),
    path("", include("panel.dns.public_urls")),
]
