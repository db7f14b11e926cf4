"""An archive that does not match its manifest fails verify, naming the file; so does a
hostile one (members outside the archive's tree, links), and restore refuses it before
touching the running installation."""
import gzip
import io
import json
import re
import tarfile
from pathlib import Path

import pytest

from mailcore.backup.archive import ArchiveDamaged
from mailcore.backup.restore import RestoreError, restore_account
from mailcore.backup.runs import run_backup
from mailcore.backup.verify import VerifyFailed, verify_archive
from mailcore.store.models import Message


def _rewrite(source, target, change):
    """Copy a tar.gz archive member by member, change(name, bytes) -> bytes (None drops it)."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for info in old.getmembers():
            content = change(info.name, old.extractfile(info).read())
            if content is None:
                continue
            info.size = len(content)
            new.addfile(info, io.BytesIO(content))


def test_a_changed_body_fails_verify_naming_the_file(installation, tmp_path):
    run = run_backup()
    with tarfile.open(run.path) as archive:
        victim = next(name for name in archive.getnames() if name.startswith("blobs/"))
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(run.path, tampered, lambda name, content: content.replace(b"hello", b"HELLO") if name == victim
             else content)
    with pytest.raises(ArchiveDamaged, match=re.escape(f"{victim}: checksum mismatch")):
        verify_archive(tampered)


def test_a_missing_file_fails_verify_naming_it(installation, tmp_path):
    run = run_backup(account="alice@example.test")
    tampered = tmp_path / "missing.tar.gz"
    _rewrite(run.path, tampered, lambda name, content: None if name.startswith("mailboxes/") else content)
    with pytest.raises(ArchiveDamaged, match=re.escape("mailboxes/alice@example.test.jsonl: missing from the archive")):
        verify_archive(tampered)


def test_a_manifest_whose_counts_lie_fails_verify(installation, tmp_path):
    run = run_backup()

    def lie(name, content):
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["counts"]["messages"] += 1
        return json.dumps(manifest).encode()

    tampered = tmp_path / "lying.tar.gz"
    _rewrite(run.path, tampered, lie)
    with pytest.raises(VerifyFailed, match="messages: manifest 8, found 7"):
        verify_archive(tampered)


def test_a_tampered_archive_restores_nothing(installation, tmp_path):
    run = run_backup(account="bob@example.test")
    tampered = tmp_path / "tampered.tar.gz"
    _rewrite(run.path, tampered, lambda name, content: content + b"!" if name.startswith("blobs/") else content)
    Message.objects.filter(account=installation["bob"]).delete()
    with pytest.raises(ArchiveDamaged, match="checksum mismatch"):
        restore_account(tampered, "bob@example.test")
    assert not Message.objects.filter(account=installation["bob"]).exists()


@pytest.mark.parametrize("name", ["../outside", "/etc/passwd", "blobs/../../x"])
def test_members_outside_the_archive_tree_are_refused(tmp_path, name, db):
    path = tmp_path / "hostile.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo(name)
        info.size = 1
        archive.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(ArchiveDamaged, match="not a file a HopThu archive may hold"):
        verify_archive(path)


def test_a_link_is_refused(tmp_path, db):
    path = tmp_path / "link.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("secret_key")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/shadow"
        archive.addfile(info)
    with pytest.raises(ArchiveDamaged, match="not a file"):
        verify_archive(path)


def test_something_else_than_an_archive_gets_a_clear_error(tmp_path, db):
    path = tmp_path / "notes.txt"
    path.write_text("not an archive")
    with pytest.raises(ArchiveDamaged, match="not a HopThu backup archive"):
        verify_archive(path)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(gzip.compress(b"x" * 100)[:30])
    with pytest.raises(ArchiveDamaged):
        verify_archive(cut)


def _account_archive(tmp_path, lines: list[dict], bodies: dict) -> Path:
    """A partial archive made by hand, with a manifest that matches it (so only its content lies)."""
    import hashlib

    files, members = {}, []
    jsonl = "".join(json.dumps(line) + "\n" for line in lines).encode()
    members.append(("mailboxes/eve@example.test.jsonl", jsonl))
    members += [(f"blobs/{name[:2]}/{name}", content) for name, content in bodies.items()]
    path = tmp_path / "handmade.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in members:
            files[name] = {"size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        manifest = json.dumps({"format": 1, "kind": "partial", "files": files, "counts": {}}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(manifest)
        archive.addfile(info, io.BytesIO(manifest))
    return path


ACCOUNT = {"type": "account", "address": "eve@example.test", "localpart": "eve", "domain": "example.test",
           "password": "!", "quota": 0, "display_name": ""}
FOLDER = {"type": "folder", "name": "INBOX", "special_use": "", "uidvalidity": 1, "uidnext": 2}


def test_a_mailbox_file_naming_a_body_outside_the_archive_is_refused(tmp_path, domain):
    message = {"type": "message", "folder": "INBOX", "uid": 1, "flags": [],
               "internal_date": "2026-01-01T00:00:00+00:00",
               "size": 5, "blob": "../../../../etc/passwd", "trace": ""}
    path = _account_archive(tmp_path, [ACCOUNT, FOLDER, message], {})
    with pytest.raises(RestoreError, match="named by its SHA-256"):
        restore_account(path, "eve@example.test")


def test_a_body_the_mailbox_names_but_the_archive_lacks_is_refused(tmp_path, domain):
    message = {"type": "message", "folder": "INBOX", "uid": 1, "flags": [],
               "internal_date": "2026-01-01T00:00:00+00:00",
               "size": 5, "blob": "a" * 64, "trace": ""}
    path = _account_archive(tmp_path, [ACCOUNT, FOLDER, message], {})
    with pytest.raises(RestoreError, match="not in the archive"):
        restore_account(path, "eve@example.test")
    assert not Message.objects.exists()
