"""Celery beat task: prune the audit log to its retention (HOPTHU_AUDIT_RETENTION_DAYS)."""
import logging

from celery import shared_task

from .log import prune

log = logging.getLogger(__name__)


@shared_task(name="mailcore.audit.prune", ignore_result=True)
def prune_audit_log() -> int:
    deleted = prune()
    if deleted:
        log.info("pruned %d audit entries past their retention", deleted)
    return deleted
