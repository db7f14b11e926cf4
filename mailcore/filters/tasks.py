"""Celery beat task: quarantined mail past its domain's quarantine_days goes (quarantine.expire)."""
import logging

from celery import shared_task

from .quarantine import expire

log = logging.getLogger(__name__)


@shared_task(name="mailcore.filters.expire_quarantine", ignore_result=True)
def expire_quarantine() -> int:
    expired = expire()
    if expired:
        log.info("expired %d quarantined messages; the store's collection removes their bodies", expired)
    return expired
