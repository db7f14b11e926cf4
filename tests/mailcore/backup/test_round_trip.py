"""A full archive made while the installation runs restores, into an empty var directory,
every message with its folder, UID, UIDVALIDITY, flags, keywords, internal date and trace;
verify checks it first by restoring into a scratch database; a non-empty target is refused."""
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.utils import translation

from mailcore.backup.archive import ArchiveReader
from mailcore.backup.models import BackupRun
from mailcore.backup.runs import run_backup
from mailcore.backup.verify import verify_archive
from tests.support.backups import manage, restored_messages, stored_messages


@pytest.mark.slow  # manage.py in processes of their own
def test_a_full_backup_restores_every_message_with_flags_keywords_and_dates(installation, fresh_installation):
    run = run_backup()
    assert run.status == BackupRun.Status.OK
    assert run.counts == {"domains": 2, "accounts": 3, "folders": 20, "messages": 7, "blobs": 6}
    before = stored_messages()
    assert any("$Important" in row[4] and row[5].startswith("2024-02-29T13:45:07") for row in before)

    # The new machine: the archive copied into its (otherwise empty) var/backups.
    copied = Path(fresh_installation["HOPTHU_VAR_DIR"]) / "backups" / Path(run.path).name
    copied.parent.mkdir(parents=True)
    shutil.copy(run.path, copied)
    restored = manage(fresh_installation, "backup", "restore", str(copied))
    assert "Restored the installation" in restored.stdout
    assert restored_messages(fresh_installation) == before


def test_verify_restores_into_a_scratch_database_and_compares_counts(installation):
    run = run_backup()
    verified = verify_archive(run.path)
    assert verified.counts == run.counts
    assert verified.files == len(verified.manifest["files"])


def test_the_manifest_names_every_file_with_its_checksum_and_the_counts(installation, settings):
    run = run_backup()
    with ArchiveReader(run.path) as reader:
        names = [name for name, _member in reader.members()]
        manifest = reader.finish()
    assert manifest["format"] == 1 and manifest["kind"] == "full"
    assert manifest["database_engine"] in ("sqlite", "postgresql")
    assert manifest["hopthu_version"]
    assert set(manifest["files"]) == set(names)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"].values())
    assert sum(name.startswith("blobs/") for name in names) == 6
    assert any(name.startswith("dkim/") for name in names)  # the domains' keys
    assert names.index(manifest["database"]) < min(i for i, name in enumerate(names) if name.startswith("blobs/"))


def test_only_the_blobs_the_snapshot_refers_to_are_archived(installation):
    from mailcore.store import blobs

    path, digest = blobs.write_temp(b"an orphan body nothing refers to")
    blobs.blob_path(digest).parent.mkdir(parents=True, exist_ok=True)
    path.rename(blobs.blob_path(digest))
    run = run_backup()
    with tarfile.open(run.path) as archive:
        assert not any(digest in name for name in archive.getnames())


@pytest.mark.slow
def test_restore_refuses_a_var_directory_that_holds_an_installation(installation, fresh_installation):
    run = run_backup()
    manage(fresh_installation, "backup", "restore", run.path)
    again = manage(fresh_installation, "backup", "restore", run.path, check=False)
    assert again.returncode == 1
    assert "restore needs an empty installation" in again.stderr


@pytest.mark.slow
def test_a_partial_archive_is_not_restored_as_an_installation(installation, fresh_installation):
    run = run_backup(account="alice@example.test")
    refused = manage(fresh_installation, "backup", "restore", run.path, check=False)
    assert refused.returncode == 1
    assert "--account" in refused.stderr


@pytest.mark.parametrize("scope", [{"domain": "example.test"}, {"account": "bob@example.test"}])
def test_a_partial_archive_holds_only_its_accounts_and_their_bodies(installation, scope):
    run = run_backup(**scope)
    with tarfile.open(run.path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("manifest.json"))
    mailbox_files = sorted(name for name in names if name.startswith("mailboxes/"))
    if "domain" in scope:
        assert mailbox_files == ["mailboxes/alice@example.test.jsonl", "mailboxes/bob@example.test.jsonl"]
        assert manifest["counts"]["messages"] == 6
    else:
        assert mailbox_files == ["mailboxes/bob@example.test.jsonl"]
        assert manifest["counts"] == {"domains": 1, "accounts": 1, "folders": 6, "messages": 2, "blobs": 2}
    assert not any(name.startswith(("database/", "dkim/", "tls/", "secret_key")) for name in names)
    assert verify_archive(run.path).counts["messages"] == manifest["counts"]["messages"]


def test_the_command_prints_what_it_archived(installation, settings, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with translation.override("en"):
        call_command("backup", "create", "--account", "alice@example.test", "--to", str(tmp_path / "a.tar.gz"),
                     stdout=out)
    assert "a.tar.gz" in out.getvalue() and "4 messages" in out.getvalue()
    assert (tmp_path / "a.tar.gz").stat().st_mode & 0o077 == 0  # archives hold secrets: owner only


def test_names_are_taken_in_any_case_and_as_idn(installation):
    from mailcore.backup.restore import restore_account

    run = run_backup(account="Bob@EXAMPLE.test")
    assert run.scope == "account:bob@example.test" and run.counts["messages"] == 2
    assert restore_account(run.path, "BOB@example.TEST").already_there == 2
