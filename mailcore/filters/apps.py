from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FiltersConfig(AppConfig):
    name = "mailcore.filters"
    label = "filters"
    verbose_name = _("Spam and virus filtering")

    def ready(self):
        from . import training  # noqa: F401 (connects the learning receivers: moves into and out of Junk)
