"""The record of each backup made: what, where, how big, and how it ended."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class BackupRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        OK = "ok", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("Schedule")
        COMMAND = "command", _("Command")

    scope = models.CharField(_("scope"), max_length=330, default="full")  # full | domain:D | account:A
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices, default=Trigger.COMMAND)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    progress = models.CharField(_("progress"), max_length=200, blank=True)  # the step it is at
    started = models.DateTimeField(_("started"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    path = models.CharField(_("archive"), max_length=1024, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    counts = models.JSONField(default=dict, blank=True)  # domains, accounts, folders, messages, blobs
    error = models.TextField(_("error"), blank=True)
    pruned = models.BooleanField(default=False)  # its archive was removed by retention

    class Meta:
        ordering = ["-started", "-id"]
        verbose_name = _("backup")
        verbose_name_plural = _("backups")

    def __str__(self):
        return f"{self.scope} {self.started:%Y-%m-%d %H:%M}"
