"""Routes of the panel's backups page (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.backup_list, name="backups"),
]
