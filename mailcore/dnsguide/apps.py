from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DnsGuideConfig(AppConfig):
    name = "mailcore.dnsguide"
    label = "dnsguide"
    verbose_name = _("DNS guidance")
