"""Celery beat task: the daily full backup into HOPTHU_BACKUP_DIR, then retention."""
import logging

from celery import shared_task

from .models import BackupRun
from .runs import apply_retention, run_backup

log = logging.getLogger(__name__)


@shared_task(name="mailcore.backup.daily", ignore_result=True)
def daily_backup() -> dict:
    try:
        run = run_backup(BackupRun.Trigger.SCHEDULE)
    except Exception:
        log.exception("the daily backup failed")  # recorded on its run; the panel shows it
        return {"status": "failed"}
    removed = apply_retention()
    log.info("daily backup %s (%d bytes); retention removed %d", run.path, run.size, len(removed))
    return {"status": "ok", "path": run.path, "removed": removed}
