"""Collecting what nothing refers to: blobs without messages, stray files, index entries.

Run periodically by beat (and by `manage.py` for repairs). Safe while appends run: rows
are deleted under the same row lock append.py takes before installing a blob file.
"""
import contextlib
import fcntl
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from . import blobs
from .models import Blob, BlobData, SearchText


@dataclass
class Collected:
    blobs: int = 0
    stray_files: int = 0
    index_entries: int = 0


def _unreferenced():
    """Blobs that no row refers to: messages, and whatever else holds a body (the queue).

    Every foreign key to Blob counts, so a new holder needs no change here; hidden ones too
    (related_name="+": the queue, scheduled sends, quarantine), which related_objects skips.
    A blob's SearchText is about the blob, not a holder of it: it goes with the blob; so
    does its BlobData (its bytes, when they are kept in the database).
    """
    holders = [relation for relation in Blob._meta.get_fields(include_hidden=True)
               if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
               and relation.related_model not in (SearchText, BlobData)]
    conditions = [
        ~Exists(relation.related_model._base_manager.filter(**{relation.field.name: OuterRef("pk")}))
        for relation in holders
    ]
    return Blob.objects.filter(*conditions)


# A backup copies the blobs its database snapshot refers to after taking the snapshot
# (mailcore/backup): while it holds this file's lock (shared), nothing is collected, so a
# body the snapshot names cannot vanish before it is copied. A collection batch takes the
# lock exclusively, so a backup starting mid-batch waits for that batch's commit.
HOLD_FILE = ".collection-hold"


@contextlib.contextmanager
def _hold_lock(mode):
    root = blobs.blob_root()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / HOLD_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def hold_collection():
    """Context manager: no blob is collected while it is held (by any process)."""
    return _hold_lock(fcntl.LOCK_SH)


def collect_blobs(batch=500) -> int:
    """Delete blobs nothing refers to, rows and files together; return how many.

    Collects nothing (and returns 0) while a backup holds the collection (hold_collection).
    """
    total = 0
    while True:
        with contextlib.ExitStack() as held:
            try:
                held.enter_context(_hold_lock(fcntl.LOCK_EX | fcntl.LOCK_NB))
            except BlockingIOError:
                return total  # a backup is copying blobs; the next run collects
            held.enter_context(transaction.atomic())
            doomed = list(
                _unreferenced().select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
                .values_list("pk", "digest")[:batch]
            )
            if not doomed:
                return total
            Blob.objects.filter(pk__in=[pk for pk, _digest in doomed]).delete()
            for _pk, digest in doomed:
                blobs.remove(digest)
        total += len(doomed)


def collect_stray_files(grace_seconds=None) -> int:
    """Remove temp files and blob files with no row, older than the grace period.

    The grace period covers an append between installing its file and committing.
    """
    if blobs.in_database():
        return 0  # no files; a rolled-back body left nothing behind
    grace = settings.HOPTHU_BLOB_GC_GRACE_SECONDS if grace_seconds is None else grace_seconds
    cutoff = time.time() - grace
    root = blobs.blob_root()
    removed = 0
    if not root.exists():
        return 0
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            if name == HOLD_FILE:
                continue  # the lock file a backup may hold (hold_collection)
            path = os.path.join(dirpath, name)
            try:
                if os.stat(path).st_mtime > cutoff:
                    continue
            except FileNotFoundError:
                continue
            is_temp = os.path.basename(dirpath) == "tmp"
            if is_temp or not Blob.objects.filter(digest=name).exists():
                try:
                    os.unlink(path)
                    removed += 1
                except FileNotFoundError:
                    pass
    return removed


def collect_index_entries() -> int:
    """Delete index entries of messages deleted by a cascade (an account's removal)."""
    from .search import postgres, sqlite

    if connection.vendor == "postgresql":
        sql = (f"DELETE FROM {postgres.TABLE} s WHERE NOT EXISTS "
               "(SELECT 1 FROM store_message m WHERE m.id = s.message_id)")
    else:
        sql = f"DELETE FROM {sqlite.TABLE} WHERE rowid NOT IN (SELECT id FROM store_message)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.rowcount


def collect_garbage(grace_seconds=None) -> Collected:
    return Collected(
        index_entries=collect_index_entries(),
        blobs=collect_blobs(),
        stray_files=collect_stray_files(grace_seconds),
    )
