"""Routes of the panel's relay area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.relay_home, name="relay"),
    path("tokens/", views.token_list, name="relay_tokens"),
    path("tokens/<int:pk>/active/", views.grant_active, {"kind": "token"}, name="relay_token_active"),
    path("tokens/<int:pk>/revoke/", views.grant_delete, {"kind": "token"}, name="relay_token_revoke"),
    path("networks/", views.network_list, name="relay_networks"),
    path("networks/<int:pk>/active/", views.grant_active, {"kind": "network"}, name="relay_network_active"),
    path("networks/<int:pk>/delete/", views.grant_delete, {"kind": "network"}, name="relay_network_delete"),
]
