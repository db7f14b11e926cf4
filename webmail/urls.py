"""Webmail routes; each area keeps its own in its package (all under the webmail: namespace).

Folders are addressed by id, not name: names hold "/" and any Unicode, and an id stays
the same across a rename. Every lookup goes through request.account (access.py).
"""
from django.urls import include, path

app_name = "webmail"
urlpatterns = [
    path("", include("webmail.mailbox.urls")),
    path("", include("webmail.reading.urls")),
    path("", include("webmail.compose.urls")),
    path("settings/", include("webmail.preferences.urls")),
    path("quarantine/", include("webmail.quarantine.urls")),
]
