"""Routes of the panel's rules area (names in the "panel" namespace)."""
from django.urls import path

from . import views

urlpatterns = [
    path("account/<int:account_pk>/", views.rule_list, name="rule_list"),
    path("account/<int:account_pk>/add/", views.rule_add, name="rule_add"),
    path("account/<int:account_pk>/test/", views.rule_test, name="rule_test"),
    path("account/<int:account_pk>/export/", views.rule_export, name="rule_export"),
    path("account/<int:account_pk>/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("account/<int:account_pk>/<int:pk>/move/", views.rule_move, name="rule_move"),
    path("account/<int:account_pk>/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("account/<int:account_pk>/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
]
