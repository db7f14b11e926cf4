"""The daily full backup (Celery beat) goes into HOPTHU_BACKUP_DIR and is recorded; a
failure is recorded with its error; retention keeps the newest backup of each of the last
HOPTHU_BACKUP_KEEP_DAILY days and HOPTHU_BACKUP_KEEP_WEEKLY ISO weeks and deletes the other
scheduled archives, never one made by hand. Blob collection waits while a backup holds it."""
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings as django_settings

from mailcore.backup.models import BackupRun
from mailcore.backup.runs import apply_retention, runs_to_keep
from mailcore.backup.tasks import daily_backup
from mailcore.store.gc import collect_blobs, hold_collection
from mailcore.store.models import Blob


def test_the_beat_schedule_runs_the_daily_backup():
    entry = django_settings.CELERY_BEAT_SCHEDULE["backup-daily"]
    assert entry["task"] == "mailcore.backup.daily"
    assert entry["schedule"].hour == {3} and entry["schedule"].minute == {0}


def test_the_daily_task_makes_a_full_backup_and_records_it(installation, settings):
    result = daily_backup()
    run = BackupRun.objects.get()
    assert result["status"] == "ok" and run.status == BackupRun.Status.OK
    assert run.trigger == BackupRun.Trigger.SCHEDULE and run.scope == "full"
    assert Path(run.path).parent == Path(settings.HOPTHU_BACKUP_DIR) and Path(run.path).stat().st_size == run.size
    assert run.counts["messages"] == 7 and run.finished and not run.error


def test_a_failed_backup_is_recorded_with_its_error(installation, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.HOPTHU_BACKUP_DIR = blocker / "backups"
    assert daily_backup()["status"] == "failed"
    run = BackupRun.objects.get()
    assert run.status == BackupRun.Status.FAILED and "not-a-directory" in run.error and run.finished


def _days(*offsets, hour=3):
    start = datetime(2026, 12, 7, hour, tzinfo=UTC)  # a Monday
    return [(index, start - timedelta(days=offset)) for index, offset in enumerate(offsets)]


def test_retention_keeps_seven_days_and_four_weeks(settings):
    settings.TIME_ZONE = "UTC"
    runs = _days(*range(40))  # one a day for 40 days; ids are the offsets
    keep = runs_to_keep(runs, keep_daily=7, keep_weekly=4)
    # the last 7 days, and the newest of each of 4 ISO weeks: this Monday, then Sundays 1, 8, 15 days back
    assert keep == {0, 1, 2, 3, 4, 5, 6, 8, 15}


def test_retention_keeps_the_newest_of_a_day_with_two(settings):
    settings.TIME_ZONE = "UTC"
    runs = [(1, datetime(2026, 12, 7, 3, tzinfo=UTC)), (2, datetime(2026, 12, 7, 15, tzinfo=UTC))]
    assert runs_to_keep(runs, keep_daily=1, keep_weekly=0) == {2}


def test_retention_deletes_old_scheduled_archives_only(db, settings, tmp_path):
    settings.HOPTHU_BACKUP_KEEP_DAILY, settings.HOPTHU_BACKUP_KEEP_WEEKLY = 2, 0
    made = []
    for offset in range(4):
        path = tmp_path / f"scheduled-{offset}.tar.gz"
        path.write_bytes(b"x")
        run = BackupRun.objects.create(trigger=BackupRun.Trigger.SCHEDULE, status=BackupRun.Status.OK, path=str(path))
        BackupRun.objects.filter(pk=run.pk).update(started=datetime(2026, 12, 7, tzinfo=UTC) - timedelta(days=offset))
        made.append(path)
    by_hand = tmp_path / "by-hand.tar.gz"
    by_hand.write_bytes(b"x")
    BackupRun.objects.create(trigger=BackupRun.Trigger.COMMAND, status=BackupRun.Status.OK, path=str(by_hand))
    BackupRun.objects.filter(path=str(by_hand)).update(started=datetime(2020, 1, 1, tzinfo=UTC))

    removed = apply_retention()
    assert sorted(removed) == sorted(str(path) for path in made[2:])
    assert [path.exists() for path in made] == [True, True, False, False] and by_hand.exists()
    assert BackupRun.objects.filter(pruned=True).count() == 2


def test_blob_collection_waits_while_a_backup_holds_it(transactional_db, alice):
    from django.db import transaction

    from mailcore.store.append import append
    from mailcore.store.messages import expunge, store_flags

    append(alice.pk, "INBOX", b"Subject: doomed\r\n\r\nbody\r\n")
    with transaction.atomic():
        store_flags(alice.pk, "INBOX", [1], ["\\Deleted"])
        expunge(alice.pk, "INBOX", recoverable=False)  # not kept for recovery: collectable at once
    with hold_collection():
        assert collect_blobs() == 0
        assert Blob.objects.count() == 1
    assert collect_blobs() == 1


def test_a_run_left_running_for_a_day_is_marked_interrupted(installation):
    stuck = BackupRun.objects.create(progress="bodies (0 of 9)")
    BackupRun.objects.filter(pk=stuck.pk).update(started=datetime.now(UTC) - timedelta(days=2))
    daily_backup()
    stuck.refresh_from_db()
    assert stuck.status == BackupRun.Status.FAILED and "interrupted" in stuck.error
