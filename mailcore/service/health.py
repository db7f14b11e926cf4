"""Listener health as plain data for the panel and /healthz."""
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat


def listener_health() -> list[dict]:
    """Return each known node with its listeners and whether its heartbeat is fresh."""
    stale_after = timedelta(seconds=settings.HOPTHU_HEARTBEAT_SECONDS * 3)
    now = timezone.now()
    return [
        {
            "node": beat.node,
            "started": beat.started.isoformat(),
            "last_seen": beat.last_seen.isoformat(),
            "alive": now - beat.last_seen <= stale_after,
            "listeners": beat.listeners,
        }
        for beat in Heartbeat.objects.all()
    ]
