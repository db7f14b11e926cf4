"""Every periodic job beat is told to run names a task the worker really has."""
from django.conf import settings

from config.celery import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    missing = {name: entry["task"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
               if entry["task"] not in app.tasks}
    assert missing == {}


def test_garbage_dkim_and_audit_housekeeping_are_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"mailcore.store.collect_garbage", "mailcore.dkim.prune", "mailcore.audit.prune"} <= tasks


def test_the_garbage_task_collects_an_unreferenced_body(db):
    from mailcore.store import blobs
    from mailcore.store.models import Blob
    from mailcore.store.tasks import collect_store_garbage

    temp, digest = blobs.write_temp(b"nobody refers to me\r\n")
    blobs.install(temp, digest)
    Blob.objects.create(digest=digest, size=21)
    assert collect_store_garbage()["blobs"] == 1
    assert not Blob.objects.exists() and not blobs.blob_path(digest).exists()
