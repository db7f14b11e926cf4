"""Routes of the panel's domains area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.placeholder, name="domain_list"),
    path("add/", views.placeholder, name="domain_add"),
    path("admins/", views.placeholder, name="admin_list"),
    path("<str:name>/", views.placeholder, name="domain_detail"),
]
