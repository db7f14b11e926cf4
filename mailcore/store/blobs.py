"""Content-addressed message bodies: on disk (the default), or in PostgreSQL.

HOPTHU_BLOB_STORE="postgres" keeps each body in a BlobData row beside its Blob row,
written in the transaction that refers to it (bodies.py) and so durable when it
commits, like the rest of the data; reads and collection go through the same functions
below, so nothing else knows where a body is. Otherwise:

A body is written to tmp/, fsynced, and renamed to its SHA-256 name before the metadata
that refers to it commits (DESIGN.md). Renaming happens inside the caller's transaction,
after the Blob row is locked, so blob collection (gc.py), which deletes rows and files
under the same lock, can never remove a file that a concurrent append is about to use.
"""
import contextlib
import ctypes
import hashlib
import os
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

_DIGEST_RE = re.compile(r"[0-9a-f]{64}")


def in_database() -> bool:
    """Whether bodies live in PostgreSQL (HOPTHU_BLOB_STORE) rather than in files."""
    store = settings.HOPTHU_BLOB_STORE
    if store == "filesystem":
        return False
    if store != "postgres":
        raise ImproperlyConfigured(f'HOPTHU_BLOB_STORE is "filesystem" or "postgres", not {store!r}')
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured('HOPTHU_BLOB_STORE="postgres" needs a PostgreSQL DATABASE_URL')
    return True


def blob_root() -> Path:
    return Path(settings.HOPTHU_BLOB_DIR)


def blob_path(digest: str) -> Path:
    # One level of 256 directories: they exist after the first few hundred appends, so
    # an append rarely pays for a mkdir and its extra fsyncs.
    if not _DIGEST_RE.fullmatch(digest):  # a name from anywhere else could walk the disk
        raise ValueError("a blob is named by its SHA-256 in lower-case hex")
    return blob_root() / digest[:2] / digest


def temp_dir() -> Path:
    return blob_root() / "tmp"


def _fsync_dir(path: Path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_temp(raw: bytes, sync: bool = True) -> tuple[Path, str]:
    """Write raw to a temp file; return its path and SHA-256 hex digest.

    With sync=False the caller makes it durable later with sync_filesystem().
    """
    digest = hashlib.sha256(raw).hexdigest()
    tmp = temp_dir()
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"{uuid.uuid4().hex}.tmp"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(raw)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    return path, digest


def install(temp_path: Path, digest: str, sync: bool = True):
    """Move a temp file to its final name (or drop it if that content is already stored).

    Call with the Blob row locked, inside the transaction that will refer to it. With
    sync=False the caller makes the rename durable with sync_filesystem() before commit.
    """
    final = blob_path(digest)
    if final.exists():
        discard(temp_path)
        return
    try:
        os.rename(temp_path, final)
    except FileNotFoundError:
        final.parent.mkdir(parents=True, exist_ok=True)
        _fsync_dir(final.parent.parent)
        os.rename(temp_path, final)
    if sync:
        _fsync_dir(final.parent)


_libc = None


def sync_filesystem():
    """Flush every pending write of the blob filesystem at once (group commit).

    One syncfs(2) costs about what one fsync does, so a batch of appends pays for one
    instead of two per message. Falls back to sync(2) where syncfs is missing.
    """
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(blob_root(), os.O_RDONLY | os.O_DIRECTORY)
    try:
        if getattr(_libc, "syncfs", None) is None or _libc.syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def discard(temp_path: Path):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(temp_path)


def _select(sql: str, digest: str, *params) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, digest])
        row = cursor.fetchone()
    if row is None:  # as a missing file would: the callers' "gone" case
        raise FileNotFoundError(f"no stored body {digest}")
    return bytes(row[0])


def read(digest: str) -> bytes:
    if in_database():
        return _select("SELECT d.data FROM store_blobdata d JOIN store_blob b ON b.id = d.blob_id "
                       "WHERE b.digest = %s", digest)
    return blob_path(digest).read_bytes()


def read_range(digest: str, start: int, end: int) -> bytes:
    """Return bytes [start, end) of a blob without reading the rest."""
    if in_database():
        return _select("SELECT substring(d.data FROM %s FOR %s) FROM store_blobdata d "
                       "JOIN store_blob b ON b.id = d.blob_id WHERE b.digest = %s",
                       digest, start + 1, max(0, end - start))
    with open(blob_path(digest), "rb") as f:
        f.seek(start)
        return f.read(max(0, end - start))


def remove(digest: str):
    """Remove a body whose Blob row is being deleted (in the database: with the row)."""
    if in_database():
        return
    with contextlib.suppress(FileNotFoundError):
        os.unlink(blob_path(digest))
