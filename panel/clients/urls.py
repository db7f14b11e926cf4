"""Routes of the panel's clients area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/<int:account_pk>/", views.account_setup, name="client_setup"),
    path("account/<int:account_pk>/apple.mobileconfig", views.account_profile, name="client_profile"),
]
