"""Webmail settings: the user's own mail rules (under settings/rules/)."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.rule_list, name="settings_rules"),
    path("add/", views.rule_add, name="settings_rule_add"),
    path("export/", views.rule_export, name="settings_rules_export"),
    path("import/", views.rule_import, name="settings_rules_import"),
    path("<int:pk>/", views.rule_edit, name="settings_rule_edit"),
    path("<int:pk>/move/", views.rule_move, name="settings_rule_move"),
    path("<int:pk>/toggle/", views.rule_toggle, name="settings_rule_toggle"),
    path("<int:pk>/delete/", views.rule_delete, name="settings_rule_delete"),
]
