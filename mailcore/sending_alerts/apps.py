from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SendingAlertsConfig(AppConfig):
    name = "mailcore.sending_alerts"
    label = "sending_alerts"
    verbose_name = _("Sending alerts")
