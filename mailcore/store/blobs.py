"""Content-addressed message bodies on disk.

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

_DIGEST_RE = re.compile(r"[0-9a-f]{64}")


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


def read(digest: str) -> bytes:
    return blob_path(digest).read_bytes()


def read_range(digest: str, start: int, end: int) -> bytes:
    """Return bytes [start, end) of a blob without reading the rest."""
    with open(blob_path(digest), "rb") as f:
        f.seek(start)
        return f.read(max(0, end - start))


def remove(digest: str):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(blob_path(digest))
