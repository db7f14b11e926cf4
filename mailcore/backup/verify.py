"""Verifying an archive: every checksum, then its database restored into a scratch one.

A full archive's database is restored beside the running one (a temporary SQLite file,
or a scratch PostgreSQL database dropped afterwards), checked (SQLite's integrity check),
and counted: the counts must equal the manifest's, and every body the database refers to
must be in the archive. A partial archive's mailbox records are counted the same way.
"""
import secrets
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import mailboxes
from .archive import ArchiveDamaged, ArchiveReader, copy_member
from .create import count_rows, referenced_digests
from .snapshot import POSTGRESQL, SQLITE, Reader, pg_env, pg_params, pg_tool, run_tool


class VerifyFailed(ArchiveDamaged):
    """The archive's checksums match but its content does not (counts, missing bodies)."""


@dataclass
class Verified:
    manifest: dict
    counts: dict = field(default_factory=dict)  # as found in the restored scratch database
    files: int = 0


def verify_archive(archive: Path, passphrase: str | None = None, progress=lambda step: None) -> Verified:
    """Check an archive; return what was found, or raise ArchiveDamaged / VerifyFailed."""
    passphrase = settings.HOPTHU_BACKUP_KEY if passphrase is None else passphrase
    with tempfile.TemporaryDirectory(prefix="hopthu-verify-") as scratch:
        dump = Path(scratch) / "database"
        parsed, digests = [], set()
        with ArchiveReader(archive, passphrase or None) as reader:
            progress("checksums")
            for name, member in reader.members():
                if name.startswith("database/"):
                    copy_member(member, dump)
                elif name.startswith("mailboxes/"):
                    try:
                        parsed.append(mailboxes.parse(member.read().splitlines()))
                    except ValueError as error:
                        raise VerifyFailed(f"{name}: {error}") from None
                elif name.startswith("blobs/"):
                    digests.add(name.rsplit("/", 1)[1])
            manifest = reader.finish()
            wrong = [name for name, checked in reader.seen.items()
                     if name.startswith("blobs/") and name.rsplit("/", 1)[1] != checked["sha256"]]
            if wrong:
                raise VerifyFailed(f"{wrong[0]}: the body does not match its name")
            result = Verified(manifest, files=len(reader.seen))
        expected = manifest.get("counts", {})
        if manifest.get("kind") == "full":
            progress("restoring into a scratch database")
            counts, referenced = _scratch_counts(manifest.get("database_engine"), dump)
        else:
            counts = {"domains": len({mailbox.account["domain"] for mailbox in parsed}),
                      "accounts": len(parsed), "folders": sum(len(mailbox.folders) for mailbox in parsed),
                      "messages": sum(len(mailbox.messages) for mailbox in parsed)}
            referenced = set().union(*(mailbox.digests for mailbox in parsed)) if parsed else set()
    counts["blobs"] = len(digests)
    result.counts = counts
    differing = [f"{name}: manifest {expected.get(name)}, found {counts[name]}" for name in counts
                 if expected.get(name) != counts[name]]
    if differing:
        raise VerifyFailed("counts differ: " + "; ".join(differing))
    missing = sorted(set(referenced) - digests)
    if missing:
        raise VerifyFailed(f"{len(missing)} bodies the database refers to are not in the archive "
                           f"(first: blobs/{missing[0][:2]}/{missing[0]})")
    return result


def _scratch_counts(kind: str, dump: Path) -> tuple[dict, set]:
    if not dump.exists():
        raise VerifyFailed("a full archive without its database")
    if kind == SQLITE:
        conn = sqlite3.connect(str(dump))
        try:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise VerifyFailed(f"{dump.name}: the database fails SQLite's integrity check")
            reader = Reader(conn.cursor(), paramstyle_qmark=True)
            return count_rows(reader), set(referenced_digests(reader))
        finally:
            conn.close()
    if kind == POSTGRESQL:
        return _pg_scratch_counts(dump)
    raise VerifyFailed(f"unknown database engine {kind!r}")


def _pg_scratch_counts(dump: Path) -> tuple[dict, set]:
    """pg_restore into a scratch database on the configured server, count, drop it.

    Needs a PostgreSQL installation (DATABASE_URL) whose role may CREATE DATABASE.
    """
    import psycopg
    from django.db import connection

    if connection.vendor != POSTGRESQL:
        raise VerifyFailed("verifying a PostgreSQL archive needs DATABASE_URL pointing at a PostgreSQL server")
    params = pg_params()
    scratch = f"hopthu_verify_{secrets.token_hex(6)}"
    with psycopg.connect(**params, autocommit=True) as admin:
        version = admin.info.server_version
        admin.execute(f'CREATE DATABASE "{scratch}"')
        try:
            result = run_tool([pg_tool("pg_restore", version), "--no-owner", "--no-privileges", "--exit-on-error",
                               f"--dbname={scratch}", str(dump)], pg_env({**params, "dbname": scratch}))
            if result.returncode:
                raise VerifyFailed(f"pg_restore into a scratch database failed: {result.stderr.strip()[:500]}")
            with psycopg.connect(**{**params, "dbname": scratch}) as conn:
                reader = Reader(conn.cursor(), paramstyle_qmark=False)
                return count_rows(reader), set(referenced_digests(reader))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
