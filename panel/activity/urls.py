"""Routes of the panel's activity area (names in the "panel" namespace)."""
from django.urls import path

from . import audit_views, delivery, views

urlpatterns = [
    path("", delivery.delivery_log, name="delivery_log"),
    path("queue/", delivery.queue, name="queue"),
    path("queue/retry/", delivery.queue_retry, name="queue_retry"),
    path("queue/delete/", delivery.queue_delete, name="queue_delete"),
    path("listeners/", views.listeners, name="listeners"),
    path("stats/", views.stats, name="stats"),
    path("storage/", views.storage, name="storage"),
    path("audit/", audit_views.audit_log, name="audit_log"),
]
