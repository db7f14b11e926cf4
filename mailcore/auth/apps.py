from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "mailcore.auth"
    label = "mailauth"
    default_auto_field = "django.db.models.BigAutoField"
