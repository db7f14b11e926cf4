"""Webmail quarantine routes (the webmail: namespace), included under /mail/quarantine/."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.quarantine, name="quarantine"),
    path("<int:pk>/", views.detail, name="quarantine_detail"),
    path("<int:pk>/release/", views.release, name="quarantine_release"),
    path("<int:pk>/delete/", views.delete, name="quarantine_delete"),
]
