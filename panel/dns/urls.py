"""Routes of the panel's dns area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("<str:name>/", views.records, name="dns_records"),
    path("<str:name>/zone/", views.zone, name="dns_zone"),
    path("<str:name>/reports/", views.reports, name="dns_reports"),
]
