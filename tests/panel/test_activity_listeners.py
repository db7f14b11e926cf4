"""The listeners page: each mail-core node, its ports and its last heartbeat; stale ones marked."""
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mailcore.service.models import Heartbeat


def test_it_lists_nodes_and_marks_stale_ones(super_client, settings):
    settings.HOPTHU_HEARTBEAT_SECONDS = 10
    now = timezone.now()
    Heartbeat.objects.create(node="mx1:100", hostname="mx1", pid=100, started=now, last_seen=now,
                             listeners=[{"name": "smtp", "port": 2525, "tls": "starttls"}])
    Heartbeat.objects.create(node="mx2:200", hostname="mx2", pid=200, started=now - timedelta(hours=1),
                             last_seen=now - timedelta(minutes=5), listeners=[])
    page = super_client.get(reverse("panel:listeners")).content.decode()
    fresh, stale = page.index("mx1:100"), page.index("mx2:200")
    assert "running" in page[fresh:stale] and "2525" in page[fresh:stale] and "starttls" in page[fresh:stale]
    assert "stale" in page[stale:]
