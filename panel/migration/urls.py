"""Routes of the panel's migration area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list, name="migration_list"),
    path("new/", views.job_create, name="migration_create"),
    path("<int:pk>/", views.job_detail, name="migration_detail"),
]
