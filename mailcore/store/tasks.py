"""Celery beat tasks: collect what nothing refers to; purge recoverable mail past its time."""
import logging

from celery import shared_task

from .gc import collect_garbage
from .recovery import purge_aged

log = logging.getLogger(__name__)


@shared_task(name="mailcore.store.collect_garbage", ignore_result=True)
def collect_store_garbage() -> dict:
    collected = collect_garbage()
    if collected.blobs or collected.stray_files or collected.index_entries:
        log.info("collected %d blobs, %d stray files, %d index entries",
                 collected.blobs, collected.stray_files, collected.index_entries)
    return vars(collected)


@shared_task(name="mailcore.store.purge_recoverable", ignore_result=True)
def purge_recoverable() -> int:
    """Forget recoverable mail older than HOPTHU_RECOVERY_DAYS (docs/recovery.md)."""
    purged = purge_aged()
    if purged:
        log.info("purged %d recoverable messages past their recovery time", purged)
    return purged
