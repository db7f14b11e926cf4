"""Routes of the panel's domains area (names in the "panel" namespace).

A domain appears in URLs by its U-label (readable) and is found by either label.
"""
from django.urls import path

from . import admin_views, alias_views, dkim_views, views

urlpatterns = [
    path("", views.domain_list, name="domain_list"),
    path("add/", views.domain_add, name="domain_add"),
    path("admins/", admin_views.admin_list, name="admin_list"),
    path("admins/add/", admin_views.admin_add, name="admin_add"),
    path("admins/<int:pk>/", admin_views.admin_detail, name="admin_detail"),
    path("admins/<int:pk>/grant/", admin_views.admin_grant, name="admin_grant"),
    path("admins/<int:pk>/revoke/<str:name>/", admin_views.admin_revoke, name="admin_revoke"),
    path("<str:name>/", views.domain_detail, name="domain_detail"),
    path("<str:name>/limits/", views.domain_limits, name="domain_limits"),
    path("<str:name>/policy/", views.domain_policy, name="domain_policy"),
    path("<str:name>/sending-alerts/", views.domain_sending_alerts, name="domain_sending_alerts"),
    path("<str:name>/mail-programs/", views.domain_mail_programs, name="domain_mail_programs"),
    path("<str:name>/active/", views.domain_active, name="domain_active"),
    path("<str:name>/delete/", views.domain_delete, name="domain_delete"),
    path("<str:name>/catch-all/", alias_views.catch_all, name="domain_catch_all"),
    path("<str:name>/aliases/", alias_views.domain_alias_add, name="domain_alias_add"),
    path("<str:name>/aliases/<str:alias>/remove/", alias_views.domain_alias_remove, name="domain_alias_remove"),
    path("<str:name>/dkim/", dkim_views.dkim_keys, name="domain_dkim"),
    path("<str:name>/dkim/new/", dkim_views.dkim_prepare, name="domain_dkim_prepare"),
    path("<str:name>/dkim/use/", dkim_views.dkim_activate, name="domain_dkim_activate"),
    path("<str:name>/dkim/discard/", dkim_views.dkim_discard, name="domain_dkim_discard"),
]
