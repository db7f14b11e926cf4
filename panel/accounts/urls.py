"""Routes of the panel's accounts area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.placeholder, name="account_list"),
    path("aliases/", views.placeholder, name="alias_list"),
    path("<int:pk>/", views.placeholder, name="account_detail"),
]
