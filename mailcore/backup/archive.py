"""The archive container: a tar stream, gzip-compressed, encrypted when a key is given.

Members are written once, in order, with their SHA-256 taken as they stream; the manifest
(`manifest.json`) comes last and names every other member with its size and digest, so an
archive is made in one pass without staging the blobs. Reading is one pass too: each
member is handed to the caller as it comes and hashed on the way; the checksums are
compared when the manifest arrives (`finish`), and a mismatch names the member.
"""
import gzip
import hashlib
import io
import json
import os
import posixpath
import shutil
import tarfile
from pathlib import Path

from .encryption import DecryptingReader, EncryptingWriter, is_encrypted

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
COMPRESS_LEVEL = 5  # gzip: most of the gain of 9 at a fraction of its time
COPY_BUFFER = 1024 * 1024


class ArchiveDamaged(Exception):
    """The archive does not match its manifest, or is no HopThu archive at all."""


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, source):
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        chunk = self.source.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


class ArchiveWriter:
    """Write an archive to `path` (through `path.part`, renamed into place by finish)."""

    def __init__(self, path: Path, passphrase: str | None = None):
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".part")
        # 0600: an archive holds every secret of the installation (keys, password hashes).
        self.file = os.fdopen(os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")
        self.encrypting = EncryptingWriter(self.file, passphrase) if passphrase else None
        self.gzip = gzip.GzipFile(fileobj=self.encrypting or self.file, mode="wb", compresslevel=COMPRESS_LEVEL,
                                  mtime=0)
        self.tar = tarfile.open(fileobj=self.gzip, mode="w|", format=tarfile.PAX_FORMAT)  # noqa: SIM115
        self.files: dict[str, dict] = {}

    def _add(self, name: str, source, size: int, mode: int = 0o600):
        if name in self.files or name == MANIFEST:
            raise ValueError(f"{name} is already in the archive")
        info = tarfile.TarInfo(name)
        info.size, info.mode = size, mode
        hashing = _Hashing(source)
        self.tar.addfile(info, hashing)
        if hashing.size != size:
            raise OSError(f"{name} changed while it was archived")
        self.files[name] = {"size": size, "sha256": hashing.digest.hexdigest()}

    def add_file(self, name: str, path: Path):
        with open(path, "rb") as source:
            self._add(name, source, os.fstat(source.fileno()).st_size)

    def add_bytes(self, name: str, content: bytes):
        self._add(name, io.BytesIO(content), len(content))

    def finish(self, manifest: dict) -> int:
        """Write the manifest, close every layer, make the file durable; return its size."""
        body = json.dumps({**manifest, "files": self.files}, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(body), 0o600
        self.tar.addfile(info, io.BytesIO(body))
        self.tar.close()
        self.gzip.close()
        if self.encrypting:
            self.encrypting.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        os.rename(self.partial, self.path)
        return self.path.stat().st_size

    def abort(self):
        self.file.close()
        self.partial.unlink(missing_ok=True)


def safe_member_name(name: str) -> bool:
    """A member name that stays inside where it is extracted (hostile archives)."""
    if not name or name.startswith("/") or "\\" in name or "\x00" in name:
        return False
    normal = posixpath.normpath(name)
    return normal == name and not normal.startswith("..") and "/../" not in f"/{normal}/"


class ArchiveReader:
    """Read an archive member by member (`members()`), then check it (`finish()`)."""

    def __init__(self, path: Path, passphrase: str | None = None):
        self.path = Path(path)
        self.file = open(self.path, "rb")  # noqa: SIM115 (closed by close)
        head = self.file.read(8)
        self.file.seek(0)
        self.encrypted = is_encrypted(head)
        stream = DecryptingReader(self.file, passphrase) if self.encrypted else self.file
        if not self.encrypted and not head.startswith(b"\x1f\x8b"):
            self.file.close()
            raise ArchiveDamaged(f"{self.path.name} is not a HopThu backup archive")
        try:
            self.tar = tarfile.open(fileobj=gzip.GzipFile(fileobj=stream, mode="rb"), mode="r|")  # noqa: SIM115
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, OSError) as error:
            self.file.close()
            raise ArchiveDamaged(f"{self.path.name} is damaged or cut short ({error})") from None
        self.seen: dict[str, dict] = {}
        self.manifest: dict | None = None
        self._walk = self._members()

    def members(self):
        """Yield (name, file object) for each member but the manifest, hashing what is read.

        The caller may read a member or not; what it leaves is read (and hashed) here.
        One walk through the archive: a second call goes on where the first stopped.
        """
        return self._walk

    def _next_info(self):
        info = self.tar.next()
        self.tar.members.clear()  # one pass: keep no list of a million members
        return info

    def _members(self):
        try:
            while (info := self._next_info()) is not None:
                if not info.isfile() or not safe_member_name(info.name):
                    raise ArchiveDamaged(f"{info.name!r} is not a file a HopThu archive may hold")
                if info.name in self.seen:
                    raise ArchiveDamaged(f"{info.name} appears twice in the archive")
                source = self.tar.extractfile(info)
                if info.name == MANIFEST:
                    try:
                        self.manifest = json.loads(source.read())
                    except ValueError:
                        raise ArchiveDamaged("manifest.json is not JSON") from None
                    continue
                hashing = _Hashing(source)
                yield info.name, hashing
                while hashing.read(COPY_BUFFER):
                    pass
                self.seen[info.name] = {"size": hashing.size, "sha256": hashing.digest.hexdigest()}
        except (tarfile.TarError, EOFError, gzip.BadGzipFile, OSError) as error:
            if isinstance(error, ArchiveDamaged):
                raise
            raise ArchiveDamaged(f"{self.path.name} is damaged or cut short ({error})") from None

    def finish(self) -> dict:
        """Check every member against the manifest; return the manifest or raise ArchiveDamaged."""
        for _name, _member in self.members():
            pass  # whatever the caller did not walk through is hashed now
        if self.manifest is None:
            raise ArchiveDamaged("the archive has no manifest.json (cut short?)")
        if self.manifest.get("format") != FORMAT_VERSION:
            raise ArchiveDamaged(f"unknown archive format {self.manifest.get('format')!r}")
        listed = self.manifest.get("files", {})
        problems = [f"{name}: checksum mismatch" for name in sorted(listed)
                    if name in self.seen and self.seen[name] != listed[name]]
        problems += [f"{name}: missing from the archive" for name in sorted(set(listed) - set(self.seen))]
        problems += [f"{name}: not in the manifest" for name in sorted(set(self.seen) - set(listed))]
        if problems:
            raise ArchiveDamaged("; ".join(problems))
        return self.manifest

    def close(self):
        self.file.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def copy_member(source, target: Path, durable: bool = False):
    """Write one member to `target` (created 0600 alongside, then renamed).

    durable: fsync it. A restore of many files syncs the filesystem once instead (os.sync).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.restoring")
    with open(temp, "wb") as out:
        os.chmod(temp, 0o600)
        shutil.copyfileobj(source, out, COPY_BUFFER)
        out.flush()
        if durable:
            os.fsync(out.fileno())
    os.rename(temp, target)
