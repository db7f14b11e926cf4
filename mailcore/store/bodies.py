"""Message bodies made durable for rows about to refer to them: mailbox messages (append.py)
and the mail queue (mailcore.delivery).

DESIGN.md: a body is written to a temp file, synced, and renamed to its content address
before the metadata that refers to it commits. The Blob row is created or locked first,
in the caller's transaction, so blob collection (gc.py), which deletes rows and files
under that lock, can't take the file away before the commit.

    with DurableBodies(raws) as bodies:          # files written and synced
        with transaction.atomic(), connection.cursor() as cursor:
            blob_ids = bodies.install(cursor)    # rows locked, files renamed and synced
            ... insert rows that refer to blob_ids ...
"""
import hashlib
import os

from django.db import connection
from django.utils import timezone

from . import blobs


class DurableBodies:
    """Several bodies share the syncs (group commit): one syncfs before and one after the
    renames, instead of two fsyncs each. A body already stored (a queued message being
    delivered to mailboxes) is not written again."""

    def __init__(self, raws: list[bytes]):
        self.raws = raws
        self.group = len(raws) > 1
        self.temps: list[tuple] = []

    def __enter__(self):
        if blobs.in_database():  # written with the rows, in install()
            self.temps = [(None, hashlib.sha256(raw).hexdigest()) for raw in self.raws]
            return self
        try:
            for raw in self.raws:
                digest = hashlib.sha256(raw).hexdigest()
                try:
                    # Fresh mtime: stray-file collection spares files younger than its grace.
                    os.utime(blobs.blob_path(digest))
                    self.temps.append((None, digest))
                except FileNotFoundError:
                    self.temps.append(blobs.write_temp(raw, sync=not self.group))
            if self.group and any(path for path, _digest in self.temps):
                blobs.sync_filesystem()
        except BaseException:
            self._discard()
            raise
        return self

    def install(self, cursor) -> list[int]:
        """Create or lock each Blob row and put its file in place; return the blob ids.

        Call inside the transaction whose rows will refer to the blobs.
        """
        created = connection.ops.adapt_datetimefield_value(timezone.now())
        if blobs.in_database():
            return [store_in_database(cursor, raw, digest, created)
                    for raw, (_none, digest) in zip(self.raws, self.temps, strict=True)]
        ids = []
        renamed = False
        for raw, (temp_path, digest) in zip(self.raws, self.temps, strict=True):
            ids.append(lock_blob(cursor, digest, len(raw), created))
            if temp_path is None:
                if blobs.blob_path(digest).exists():
                    continue  # stored already, and now locked: collection can't remove it
                # Collected between the check and the lock: write it after all.
                temp_path, _digest = blobs.write_temp(raw, sync=True)
                blobs.install(temp_path, digest, sync=True)
                continue
            blobs.install(temp_path, digest, sync=not self.group)
            renamed = True
        if self.group and renamed:
            blobs.sync_filesystem()  # the renames are durable before the rows commit
        return ids

    def __exit__(self, *exc_info):
        self._discard()

    def _discard(self):
        for temp_path, _digest in self.temps:
            if temp_path is not None:
                blobs.discard(temp_path)  # gone already when installed


def lock_blob(cursor, digest: str, size: int, created) -> int:
    """Insert the Blob row if missing and lock it; return its id.

    A single statement with RETURNING (SQLite 3.35+, PostgreSQL): the hot path of every
    append and every accepted message.
    """
    cursor.execute(
        "INSERT INTO store_blob (digest, size, created) VALUES (%s, %s, %s) "
        "ON CONFLICT (digest) DO UPDATE SET size = excluded.size RETURNING id",
        [digest, size, created],
    )
    return cursor.fetchone()[0]


def store_in_database(cursor, raw: bytes, digest: str, created) -> int:
    """HOPTHU_BLOB_STORE="postgres": the Blob row locked and its bytes beside it, durable
    with the transaction. A body stored already is not sent to the server again."""
    blob_id = lock_blob(cursor, digest, len(raw), created)
    cursor.execute("SELECT 1 FROM store_blobdata WHERE blob_id = %s", [blob_id])
    if cursor.fetchone() is None:
        cursor.execute("INSERT INTO store_blobdata (blob_id, data) VALUES (%s, %s)", [blob_id, raw])
    return blob_id
