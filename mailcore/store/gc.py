"""Collecting what nothing refers to: blobs without messages, stray files, index entries.

Run periodically by beat (and by `manage.py` for repairs). Safe while appends run: rows
are deleted under the same row lock append.py takes before installing a blob file.
"""
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


def collect_blobs(batch=500) -> int:
    """Delete blobs nothing refers to, rows and files together; return how many."""
    total = 0
    while True:
        with transaction.atomic():
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
