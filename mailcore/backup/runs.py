"""Backups as recorded runs (the panel shows them), and the retention of scheduled ones.

Retention keeps the newest scheduled full backup of each of the last
HOPTHU_BACKUP_KEEP_DAILY days that have one, and the newest of each of the last
HOPTHU_BACKUP_KEEP_WEEKLY ISO weeks that have one; the other scheduled archives are
deleted (their runs stay, marked pruned). Backups made by hand are never deleted.
"""
import logging
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .create import canonical_scope, create_backup, scope_label
from .models import BackupRun

log = logging.getLogger(__name__)
ABANDONED_AFTER = timedelta(days=1)


def run_backup(trigger: str = BackupRun.Trigger.COMMAND, *, to=None, domain=None, account=None,
               progress=lambda step: None) -> BackupRun:
    """Make a backup and record it; the run says how it ended (a failure is recorded, then raised)."""
    close_abandoned()
    domain, account = canonical_scope(domain, account)
    run = BackupRun.objects.create(scope=scope_label(domain, account), trigger=trigger,
                                   encrypted=bool(settings.HOPTHU_BACKUP_KEY))

    def step(text: str):
        BackupRun.objects.filter(pk=run.pk).update(progress=text[:200])
        progress(text)

    try:
        created = create_backup(to=to, domain=domain, account=account, progress=step)
    except Exception as error:
        run.status, run.error, run.finished = BackupRun.Status.FAILED, str(error)[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished"])
        raise
    run.status, run.finished, run.progress = BackupRun.Status.OK, timezone.now(), ""
    run.path, run.size, run.counts = str(created.path), created.size, created.manifest["counts"]
    run.save(update_fields=["status", "finished", "progress", "path", "size", "counts"])
    return run


def close_abandoned():
    """Runs still "running" after a day: their process was killed (or the machine stopped)."""
    BackupRun.objects.filter(status=BackupRun.Status.RUNNING, started__lt=timezone.now() - ABANDONED_AFTER).update(
        status=BackupRun.Status.FAILED, progress="", error="interrupted: the backup stopped before it finished")


def runs_to_keep(runs: list[tuple[int, object]], keep_daily: int, keep_weekly: int) -> set[int]:
    """Of (id, started) pairs, the ids retention keeps (see the module docstring)."""
    newest_first = sorted(runs, key=lambda run: run[1], reverse=True)
    keep, days, weeks = set(), [], []
    for run_id, started in newest_first:
        local = timezone.localtime(started) if timezone.is_aware(started) else started
        day, week = local.date(), local.isocalendar()[:2]
        if day not in days and len(days) < keep_daily:
            days.append(day)
            keep.add(run_id)
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.append(week)
            keep.add(run_id)
    return keep


def apply_retention() -> list[str]:
    """Delete the scheduled archives retention does not keep; return their paths."""
    done = BackupRun.objects.filter(trigger=BackupRun.Trigger.SCHEDULE, status=BackupRun.Status.OK,
                                    scope="full", pruned=False)
    keep = runs_to_keep(list(done.values_list("pk", "started")), settings.HOPTHU_BACKUP_KEEP_DAILY,
                        settings.HOPTHU_BACKUP_KEEP_WEEKLY)
    removed = []
    for run in done.exclude(pk__in=keep):
        Path(run.path).unlink(missing_ok=True)
        run.pruned = True
        run.save(update_fields=["pruned"])
        removed.append(run.path)
    return removed
