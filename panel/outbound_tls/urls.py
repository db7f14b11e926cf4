"""Routes of the panel's outbound TLS page (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.outbound_tls, name="outbound_tls"),
]
