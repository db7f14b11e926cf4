"""Backups and their record (docs/backup.md)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "mailcore.backup"
    label = "backup"
    verbose_name = _("Backups")
    default_auto_field = "django.db.models.BigAutoField"
