"""Celery beat task: forget retired DKIM keys past HOPTHU_DKIM_GRACE_DAYS (and their files)."""
import logging

from celery import shared_task

from .keys import prune_keys

log = logging.getLogger(__name__)


@shared_task(name="mailcore.dkim.prune", ignore_result=True)
def prune_retired_keys() -> int:
    deleted = prune_keys()
    if deleted:
        log.info("deleted %d retired DKIM keys past their grace period", deleted)
    return deleted
