"""Routes of the panel's activity area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.placeholder, name="delivery_log"),
    path("queue/", views.placeholder, name="queue"),
    path("listeners/", views.placeholder, name="listeners"),
    path("stats/", views.placeholder, name="stats"),
    path("storage/", views.placeholder, name="storage"),
    path("audit/", views.placeholder, name="audit_log"),
]
