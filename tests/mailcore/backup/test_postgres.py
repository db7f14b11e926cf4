"""On PostgreSQL (the run-tests PostgreSQL stage): a full backup is pg_dump of an exported
snapshot (custom format, by the pg_dump of the server's version), verify restores it into a
scratch database, and restore puts it into an empty database of a new installation."""
import json
import re
import tarfile

import pytest
from django.db import connection

from mailcore.backup.runs import run_backup
from mailcore.backup.snapshot import pg_tool, run_tool
from mailcore.backup.verify import verify_archive
from tests.support.backups import manage, restored_messages, stored_messages

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="PostgreSQL only: scripts/run-tests runs this in its PostgreSQL stage")


def test_pg_dump_of_the_servers_version_is_found(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    version = run_tool([pg_tool("pg_dump", major * 10000), "--version"]).stdout
    assert int(re.search(r"(\d+)", version).group(1)) >= major  # pg_dump refuses a newer server


def test_a_postgresql_installation_round_trips_through_pg_dump(installation, fresh_installation):
    run = run_backup()
    with tarfile.open(run.path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        assert archive.extractfile("database/hopthu.pgdump").read(5) == b"PGDMP"  # pg_dump's custom format
    assert manifest["database_engine"] == "postgresql"
    assert verify_archive(run.path).counts == run.counts

    manage(fresh_installation, "backup", "restore", run.path)
    assert restored_messages(fresh_installation) == stored_messages()
    refused = manage(fresh_installation, "backup", "restore", run.path, check=False)
    assert "restore needs an empty installation" in refused.stderr
