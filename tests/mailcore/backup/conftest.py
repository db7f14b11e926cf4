"""A small installation to back up: alice (two folders), bob and charlie, with flags,
keywords and internal dates; archives go to a fresh directory per test, and whole
installations are restored by `manage.py` in a process of their own, with an empty var dir."""
import os
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests.support.backups import message


@pytest.fixture(autouse=True)
def backup_settings(settings, tmp_path):
    settings.HOPTHU_BACKUP_DIR = tmp_path / "backups"
    settings.HOPTHU_BACKUP_KEY = ""
    return settings


@pytest.fixture
def installation(transactional_db, alice, bob, charlie):
    """Mail in three accounts, with flags, keywords and old internal dates."""
    from mailcore.store.append import Target, append_many
    from mailcore.store.folders import create_folder

    create_folder(alice.pk, "Projects/2026")
    when = datetime(2024, 2, 29, 13, 45, 7, tzinfo=UTC)
    append_many(message("first"), [Target(alice.pk, "INBOX", ("\\Seen", "$Important"), when,
                                          b"Return-Path: <sender@example.net>\r\n")])
    append_many(message("second"), [Target(alice.pk, "INBOX", ("\\Flagged", "\\Answered"),
                                           when.replace(year=2025, day=28))])
    append_many(message("third"), [Target(alice.pk, "INBOX", ("\\Deleted", "\\Draft", "NonJunk"))])
    append_many(message("plan", "the plan"), [Target(alice.pk, "Projects/2026", ("\\Seen",), when),
                                              Target(bob.pk, "INBOX", ("$Label1",), when)])  # one shared blob
    append_many(message("bob only"), [Target(bob.pk, "INBOX")])
    append_many(message("charlie only"), [Target(charlie.pk, "INBOX", ("\\Seen",))])
    return {"alice": alice, "bob": bob, "charlie": charlie}


@pytest.fixture
def fresh_installation(tmp_path, quiet_dns):
    """The environment of an empty installation (its own var dir; on PostgreSQL its own
    empty database), for `manage.py` in a subprocess."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "HOPTHU_BLOB_DIR", "HOPTHU_DKIM_DIR",
                          "HOPTHU_TLS_CERT", "HOPTHU_TLS_KEY", "SECRET_KEY", "HOPTHU_BACKUP_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", "HOPTHU_VAR_DIR": str(tmp_path / "restored-var"),
                "HOPTHU_DNS_SERVERS": quiet_dns.address, "PYTHONUNBUFFERED": "1"})
    scratch = None
    if connection.vendor == "postgresql":
        import psycopg

        from mailcore.backup.snapshot import pg_params

        scratch = f"hopthu_restore_{os.getpid()}_{abs(hash(str(tmp_path))) % 10**6}"
        with psycopg.connect(**pg_params(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{scratch}"')
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{scratch}"))
    yield env
    if scratch:
        import psycopg

        from mailcore.backup.snapshot import pg_params

        with psycopg.connect(**pg_params(), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
