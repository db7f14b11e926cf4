"""Webmail: settings. One page per subject, each with its own URL name."""
from django.urls import include, path

from . import api_tokens, deleted_mail, export, mail_import, time_zone, views

urlpatterns = [
    path("time-zone/", time_zone.browser_time_zone, name="browser_time_zone"),
    path("", views.settings_home, name="settings"),
    path("profile/", views.profile, name="settings_profile"),
    path("display/", views.display, name="settings_display"),
    path("vacation/", views.vacation, name="settings_vacation"),
    path("forwarding/", views.forwarding, name="settings_forwarding"),
    path("app-passwords/", views.app_passwords, name="settings_app_passwords"),
    path("app-passwords/<int:app_password_id>/delete/", views.delete_app_password,
         name="settings_app_password_delete"),
    path("api-tokens/", api_tokens.api_token_list, name="settings_api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", api_tokens.api_token_revoke, name="settings_api_token_revoke"),
    path("import/", mail_import.mail_import, name="settings_import"),
    path("security/", views.security, name="settings_security"),
    path("security/mail-programs/", views.mail_programs, name="settings_mail_programs"),
    path("rules/", include("webmail.rules.urls")),
    path("deleted-mail/", deleted_mail.deleted_mail, name="settings_deleted_mail"),
    path("export/", export.export_page, name="settings_export"),
    path("export/download/", export.export_download, name="settings_export_download"),
]
