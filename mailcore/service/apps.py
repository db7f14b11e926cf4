from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "mailcore.service"
    label = "service"
    verbose_name = _("Mail core service")

    def ready(self):
        # The protocols register their listener factories with the host on import.
        from mailcore.imap import listeners as imap_listeners  # noqa: F401
        from mailcore.pop3 import listeners as pop3_listeners  # noqa: F401
        from mailcore.smtp import listeners  # noqa: F401
