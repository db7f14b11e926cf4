"""Routes of the panel's filter area: per-domain filter policy and the quarantine ("panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.policy_list, name="filter_policy_list"),
    path("domain/<str:name>/", views.policy_edit, name="filter_policy"),
    path("quarantine/", views.quarantine_list, name="quarantine_list"),
    path("quarantine/<int:pk>/", views.quarantine_detail, name="quarantine_detail"),
    path("quarantine/<int:pk>/release/", views.quarantine_release, name="quarantine_release"),
    path("quarantine/<int:pk>/delete/", views.quarantine_delete, name="quarantine_delete"),
]
