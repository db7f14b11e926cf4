"""Health of mail-core nodes: each running listener host writes a heartbeat row."""
from django.db import models


class Heartbeat(models.Model):
    node = models.CharField(max_length=255, unique=True)  # "hostname:pid"
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started = models.DateTimeField()
    last_seen = models.DateTimeField()
    # [{"name": "smtp", "port": 2525, "tls": "starttls"}, ...] once listeners exist.
    listeners = models.JSONField(default=list)

    class Meta:
        ordering = ["node"]
