"""Routes of the panel's rules area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/<int:account_pk>/", views.placeholder, name="rule_list"),
]
