"""A consistent snapshot of the running database, and reading from it.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies the whole database in
one step on its own connection; under WAL that reads one committed state while writers
go on, and the copy is then a plain file read with sqlite3. PostgreSQL: a REPEATABLE READ
transaction exports its snapshot (`pg_export_snapshot()`), `pg_dump --snapshot` dumps
exactly that state, and the same transaction answers the queries (counts, blob digests,
mailboxes), so the dump and everything read beside it agree.
"""
import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database/hopthu.sqlite3", POSTGRESQL: "database/hopthu.pgdump"}


class SnapshotError(Exception):
    """The database cannot be snapshotted (or restored): a tool is missing or failed."""


def engine() -> str:
    vendor = connection.vendor
    if vendor not in (SQLITE, POSTGRESQL):
        raise SnapshotError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


class Reader:
    """Queries against a snapshot through a DB-API cursor; SQL is written with %s."""

    def __init__(self, cursor, paramstyle_qmark: bool):
        self.cursor = cursor
        self.qmark = paramstyle_qmark

    def rows(self, sql: str, params=()):
        self.cursor.execute(sql.replace("%s", "?") if self.qmark else sql, tuple(params))
        while batch := self.cursor.fetchmany(1000):
            yield from batch

    def value(self, sql: str, params=()):
        return next(iter(self.rows(sql, params)))[0]


def pg_params() -> dict:
    settings_dict = connection.settings_dict
    params = {"dbname": settings_dict["NAME"], "user": settings_dict["USER"], "password": settings_dict["PASSWORD"],
              "host": settings_dict["HOST"], "port": settings_dict["PORT"]}
    return {key: str(value) for key, value in params.items() if value}


def pg_env(params: dict) -> dict:
    """The environment for pg_dump/pg_restore: the password never on a command line."""
    env = dict(os.environ)
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD", "host": "PGHOST", "port": "PGPORT"}
    env.update({names[key]: value for key, value in params.items()})
    return env


def run_tool(command: list, env=None) -> subprocess.CompletedProcess:
    """Run one of PostgreSQL's client tools (found by pg_tool): an argument list, no shell."""
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603


def pg_tool(name: str, server_version_num: int) -> str:
    """The pg_dump / pg_restore for the server's major version (or a newer one on PATH).

    pg_dump refuses a server newer than itself; Debian keeps each version's tools under
    /usr/lib/postgresql/<major>/bin.
    """
    major = server_version_num // 10000
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0)
    for path in candidates:
        if path.parent.parent.name.isdigit() and int(path.parent.parent.name) >= major:
            return str(path)
    found = shutil.which(name)
    if found:
        output = run_tool([found, "--version"]).stdout
        version = re.search(r"(\d+)(?:\.\d+)?", output)
        if version and int(version.group(1)) >= major:
            return found
    raise SnapshotError(f"{name} of PostgreSQL {major} or newer is needed (Debian: postgresql-client-{major})")


@contextmanager
def snapshot(dump_path: Path | None):
    """Yield a Reader of one consistent state; with dump_path, also write the database there.

    dump_path None: no dump (a partial backup reads rows only).
    """
    kind = engine()
    if kind == SQLITE:
        yield from _sqlite_snapshot(dump_path)
    else:
        yield from _pg_snapshot(dump_path)


def _sqlite_snapshot(dump_path):
    import tempfile

    target = dump_path
    scratch = None
    if target is None:
        scratch = tempfile.TemporaryDirectory(prefix="hopthu-snapshot-")
        target = Path(scratch.name) / "snapshot.sqlite3"
    source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        # pages=-1: the whole database in one step, so the copy is one committed state
        # (a stepwise copy restarts whenever another connection writes between steps).
        source.backup(copy, pages=-1)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        yield Reader(copy.cursor(), paramstyle_qmark=True)
    finally:
        copy.close()
        source.close()
        if scratch:
            scratch.cleanup()


def _pg_snapshot(dump_path):
    import psycopg

    params = pg_params()
    with psycopg.connect(**params, autocommit=False) as conn:
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot_id = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        if dump_path is not None:
            version = conn.info.server_version
            tool = pg_tool("pg_dump", version)
            result = run_tool([tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}",
                               f"--file={dump_path}"], pg_env(params))
            if result.returncode:
                raise SnapshotError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        yield Reader(conn.cursor(), paramstyle_qmark=False)
        conn.rollback()
