from django.apps import AppConfig


class RelayConfig(AppConfig):
    name = "mailcore.relay"
    default_auto_field = "django.db.models.BigAutoField"
