"""Routes of the panel's clients area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/<int:account_pk>/", views.placeholder, name="client_setup"),
]
