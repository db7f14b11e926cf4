"""Hourly counts past the baseline's 14 days and networks unused for 30 days are deleted."""
from datetime import timedelta

from django.utils import timezone

from mailcore.sending_alerts.baseline import hour_of
from mailcore.sending_alerts.models import SendingHour, SignInNetwork
from mailcore.sending_alerts.tasks import prune


def test_prune_keeps_what_the_rules_still_read(alice):
    now = timezone.now()
    hour = hour_of(now)
    SendingHour.objects.bulk_create([SendingHour(account=alice, hour=hour - timedelta(days=14)),
                                     SendingHour(account=alice, hour=hour - timedelta(days=14, hours=1))])
    SignInNetwork.objects.bulk_create([
        SignInNetwork(account=alice, network="192.0.2.0/24", first_seen=now, last_seen=now - timedelta(days=29)),
        SignInNetwork(account=alice, network="198.51.100.0/24", first_seen=now, last_seen=now - timedelta(days=31)),
    ])
    assert prune(now) == 2
    assert list(SendingHour.objects.values_list("hour", flat=True)) == [hour - timedelta(days=14)]
    assert list(SignInNetwork.objects.values_list("network", flat=True)) == ["192.0.2.0/24"]
