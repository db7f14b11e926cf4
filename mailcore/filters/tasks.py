"""Celery beat tasks: quarantined mail past its domain's quarantine_days goes; old greylist entries go."""
import logging

from celery import shared_task

from . import greylist
from .quarantine import expire

log = logging.getLogger(__name__)


@shared_task(name="mailcore.filters.expire_quarantine", ignore_result=True)
def expire_quarantine() -> int:
    expired = expire()
    if expired:
        log.info("expired %d quarantined messages; the store's collection removes their bodies", expired)
    return expired


@shared_task(name="mailcore.filters.expire_greylist", ignore_result=True)
def expire_greylist() -> int:
    return greylist.expire()
