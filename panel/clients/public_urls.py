"""Client-setup URLs outside /panel/: what mail clients fetch without signing in
(Thunderbird's autoconfig, Outlook's autodiscover), and the mail user's own setup page."""
from django.urls import path

from . import views

urlpatterns = [
    # Thunderbird asks https://autoconfig.<domain>/mail/config-v1.1.xml, then
    # https://<domain>/.well-known/autoconfig/mail/config-v1.1.xml (docs/clients.md).
    path("mail/config-v1.1.xml", views.autoconfig, name="client_autoconfig"),
    path(".well-known/autoconfig/mail/config-v1.1.xml", views.autoconfig, name="client_autoconfig_wellknown"),
    # Outlook writes the path in either case.
    path("autodiscover/autodiscover.xml", views.autodiscover, name="client_autodiscover"),
    path("Autodiscover/Autodiscover.xml", views.autodiscover),
    path("setup/", views.my_setup, name="client_setup_self"),
    path("setup/apple.mobileconfig", views.my_profile, name="client_profile_self"),
]
