from django.apps import AppConfig


class DkimConfig(AppConfig):
    name = "mailcore.dkim"
    label = "dkim"
    default_auto_field = "django.db.models.BigAutoField"
