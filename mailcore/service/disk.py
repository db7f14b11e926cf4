"""The database's size on disk, for the panel (message bodies: mailcore.store.usage)."""
from pathlib import Path

from django.db import connection


def database_bytes() -> int | None:
    """SQLite's file with its WAL, or PostgreSQL's pg_database_size; None for an engine
    (or an in-memory database) that does not say."""
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        files = [name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")]
        return sum(path.stat().st_size for path in files if path.is_file()) or None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return None
