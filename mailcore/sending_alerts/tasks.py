"""Celery beat task: forget hourly counts past the baseline's 14 days and networks past 30."""
import logging

from celery import shared_task
from django.utils import timezone

from . import baseline
from .models import SendingHour, SignInNetwork
from .watch import NETWORK_MEMORY

log = logging.getLogger(__name__)


def prune(now=None) -> int:
    """Delete what no rule looks at any more; return how many rows went."""
    now = now or timezone.now()
    hours, _ = SendingHour.objects.filter(hour__lt=baseline.hour_of(now) - baseline.HISTORY).delete()
    networks, _ = SignInNetwork.objects.filter(last_seen__lt=now - NETWORK_MEMORY).delete()
    return hours + networks


@shared_task(name="mailcore.sending_alerts.prune", ignore_result=True)
def prune_sending_counts() -> int:
    deleted = prune()
    if deleted:
        log.info("pruned %d sending-alert rows past their use", deleted)
    return deleted
