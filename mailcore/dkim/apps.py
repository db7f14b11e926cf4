"""DKIM keys of hosted domains: made with the domain, rotatable, private keys under var/."""
from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class DkimConfig(AppConfig):
    name = "mailcore.dkim"
    label = "dkim"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from mailcore.directory.models import Domain

        from . import signals
        from .models import DkimKey

        post_save.connect(signals.domain_saved, sender=Domain, dispatch_uid="dkim.domain_saved")
        post_delete.connect(signals.key_deleted, sender=DkimKey, dispatch_uid="dkim.key_deleted")
