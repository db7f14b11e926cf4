"""Celery beat task: collect what nothing refers to (bodies, stray files, index entries)."""
import logging

from celery import shared_task

from .gc import collect_garbage

log = logging.getLogger(__name__)


@shared_task(name="mailcore.store.collect_garbage", ignore_result=True)
def collect_store_garbage() -> dict:
    collected = collect_garbage()
    if collected.blobs or collected.stray_files or collected.index_entries:
        log.info("collected %d blobs, %d stray files, %d index entries",
                 collected.blobs, collected.stray_files, collected.index_entries)
    return vars(collected)
