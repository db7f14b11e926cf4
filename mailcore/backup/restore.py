"""Restoring: a whole installation into an empty var directory, or one account (or one
folder) into a running installation without touching anything else.

A whole restore writes the bodies, keys and certificates where this installation's
settings put them and installs the database last, only after every checksum of the
archive has matched: a damaged archive never leaves a database that `make run` would start.

An account restore reads the account's portable records (mailboxes.py) and appends its
messages again through the store's one append function, so UIDs, MODSEQs, quota and the
search index are made as for any new mail. RFC 3501 §2.3.1.1 (RFC 9051 §2.3.1.1): a UID
is never reused under one UIDVALIDITY, so a message restored into an existing folder gets
a new UID above every UID the folder has given out, and a folder created again gets a new
UIDVALIDITY from the account's counter (never the archived one). A body already in the
folder is not appended twice, so running a restore again adds nothing.
"""
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from mailcore.store import blobs
from mailcore.store.append import Target, prepare_batch, write_batch
from mailcore.store.errors import StoreError
from mailcore.store.folders import create_folder
from mailcore.store.models import Folder, Message
from mailcore.store.subscriptions import subscribe

from . import mailboxes
from .archive import ArchiveReader, copy_member
from .snapshot import DUMP_NAMES, POSTGRESQL, SQLITE, engine, pg_env, pg_params, pg_tool, run_tool

APPEND_BATCH = 200  # messages per group commit
# What may be in the var directory of a new machine: the secret Django makes before any
# command runs (config/settings.py, replaced by the archive's), collected static files
# (made again by setup), and the backup directory the archive was copied into.
MADE_AT_STARTUP = {"secret_key", "static"}


class RestoreError(Exception):
    """The restore was refused or could not be done; nothing running was changed."""


def _not_empty(path: Path, allowed=frozenset()) -> list[str]:
    if not path.exists():
        return []
    if path.is_file():
        return [str(path)]
    return [str(entry) for entry in path.iterdir() if entry.name not in allowed]


def check_empty_installation():
    """Refuse a var directory (or database) that already holds an installation."""
    var_dir = Path(settings.VAR_DIR)
    backup_dir = Path(settings.HOPTHU_BACKUP_DIR)
    allowed = MADE_AT_STARTUP | ({backup_dir.name} if backup_dir.parent == var_dir else set())
    occupied = _not_empty(var_dir, allowed)
    for path in (Path(settings.HOPTHU_BLOB_DIR), Path(settings.HOPTHU_DKIM_DIR)):
        if not path.is_relative_to(var_dir):
            occupied += _not_empty(path)
    for path in (Path(settings.HOPTHU_TLS_CERT), Path(settings.HOPTHU_TLS_KEY)):
        if not path.is_relative_to(var_dir) and path.exists():
            occupied.append(str(path))
    if engine() == POSTGRESQL and connection.introspection.table_names():
        occupied.append(f"PostgreSQL database {connection.settings_dict['NAME']}")
    if occupied:
        raise RestoreError(f"restore needs an empty installation; found {', '.join(sorted(occupied)[:5])}"
                           + (" ..." if len(occupied) > 5 else ""))


def restore_installation(archive: Path, passphrase: str | None = None,
                         progress: Callable[[str], None] = lambda step: None) -> dict:
    """Restore a full archive into this (empty) installation; return its manifest."""
    passphrase = settings.HOPTHU_BACKUP_KEY if passphrase is None else passphrase
    kind = engine()
    check_empty_installation()
    var_dir = Path(settings.VAR_DIR)
    var_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=var_dir))
    dump = staging / "database"
    try:
        with ArchiveReader(archive, passphrase or None) as reader:
            progress("reading the archive")
            for name, member in reader.members():
                if name.startswith("database/"):
                    if name != DUMP_NAMES[kind]:
                        raise RestoreError(f"the archive holds a {name.rsplit('.', 1)[-1]} database; this "
                                           f"installation runs on {kind} (restore an account instead)")
                    copy_member(member, dump)
                elif name.startswith("blobs/"):
                    copy_member(member, blobs.blob_path(name.rsplit("/", 1)[1]))
                elif name.startswith("dkim/"):
                    copy_member(member, Path(settings.HOPTHU_DKIM_DIR) / name.split("/", 1)[1])
                elif name == "tls/cert.pem":
                    copy_member(member, Path(settings.HOPTHU_TLS_CERT))
                elif name == "tls/key.pem":
                    copy_member(member, Path(settings.HOPTHU_TLS_KEY))
                elif name == "secret_key":
                    copy_member(member, var_dir / "secret_key")
            manifest = reader.finish()
            _check_blob_names(reader.seen)
        if manifest.get("kind") != "full" or not dump.exists():
            raise RestoreError("this archive holds some accounts, not an installation: restore it with --account")
        os.sync()  # bodies, keys and the dump on disk before the database that names them is in place
        progress("installing the database")
        _install_database(kind, dump)
        _close_runs_in_flight()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _check_blob_names(seen: dict):
    for name, checked in seen.items():
        if name.startswith("blobs/") and name.rsplit("/", 1)[1] != checked["sha256"]:
            raise RestoreError(f"{name}: the body does not match its name")


def _install_database(kind: str, dump: Path):
    if kind == SQLITE:
        target = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("-wal", "-shm"):  # an empty database opened at startup leaves these
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        with sqlite3.connect(str(dump)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise RestoreError("the archived database fails SQLite's integrity check")
        os.replace(dump, target)
        return
    params = pg_params()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        version = int(cursor.fetchone()[0])
    connection.close()
    result = run_tool([pg_tool("pg_restore", version), "--no-owner", "--no-privileges", "--exit-on-error",
                       "--single-transaction", f"--dbname={params['dbname']}", str(dump)], pg_env(params))
    if result.returncode:
        raise RestoreError(f"pg_restore failed: {result.stderr.strip()[:500]}")


def _close_runs_in_flight():
    """Runs the snapshot caught running (the backup that made it, at least) ran elsewhere."""
    from .models import BackupRun

    BackupRun.objects.filter(status=BackupRun.Status.RUNNING).update(
        status=BackupRun.Status.FAILED, progress="",
        error="running when the restored backup was taken; its outcome is recorded on the old installation")


@dataclass
class Restored:
    """What an account restore did."""

    address: str
    folders_created: list = field(default_factory=list)
    appended: int = 0
    already_there: int = 0
    refused: list = field(default_factory=list)  # (folder, uid, reason)


def restore_account(archive: Path, address: str, folder: str | None = None, passphrase: str | None = None,
                    progress: Callable[[str], None] = lambda step: None) -> Restored:
    """Put one account's mail (or one folder of it) back from an archive, full or partial.

    The whole archive is checked before anything is written; then missing folders are
    created and messages not already in their folder are appended.
    """
    passphrase = settings.HOPTHU_BACKUP_KEY if passphrase is None else passphrase
    address = mailboxes.canonical_address(address)
    wanted = mailboxes.member_name(address)
    staging = Path(tempfile.mkdtemp(prefix="hopthu-restore-"))
    mailbox = None
    try:
        with ArchiveReader(archive, passphrase or None) as reader:
            progress("reading the archive")
            for name, member in reader.members():
                if name == wanted:
                    try:
                        mailbox = mailboxes.parse(member.read().splitlines())
                    except ValueError as error:
                        raise RestoreError(f"{name}: {error}") from None
                    needed = _needed_digests(mailbox, folder)
                elif mailbox is not None and name.startswith("blobs/") and name.rsplit("/", 1)[1] in needed:
                    copy_member(member, staging / name.rsplit("/", 1)[1])
            reader.finish()
            _check_blob_names(reader.seen)
        if mailbox is None:
            raise RestoreError(f"the archive holds no mail of {address}")
        missing = sorted(digest for digest in needed if not (staging / digest).is_file())
        if missing:
            raise RestoreError(f"{len(missing)} bodies of {address} are not in the archive "
                               f"(first: blobs/{missing[0][:2]}/{missing[0]})")
        return _apply(mailbox, folder, staging, progress)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _needed_digests(mailbox, folder) -> set[str]:
    if folder is not None and folder not in {record["name"] for record in mailbox.folders}:
        raise RestoreError(f"the archive has no folder {folder!r} in {mailbox.account['address']}")
    return {message["blob"] for message in mailbox.messages if folder is None or message["folder"] == folder}


def _account(record: dict):
    """The account to restore into; made again (with its archived password) if it is gone."""
    from mailcore.directory import services
    from mailcore.directory.models import Account

    found = Account.objects.filter(localpart=record["localpart"], domain__name=record["domain"]).first()
    if found:
        return found, False
    with transaction.atomic():
        account = services.create_account(record["address"], secrets.token_urlsafe(24),
                                          quota=record.get("quota"), display_name=record.get("display_name", ""))
        account.user.password = record["password"]  # the archived hash: the old password works again
        account.user.save(update_fields=["password"])
    return account, True


def _apply(mailbox, folder_name, staging: Path, progress) -> Restored:
    account, _made = _account(mailbox.account)
    result = Restored(mailbox.account["address"])
    folders = [record for record in mailbox.folders if folder_name is None or record["name"] == folder_name]
    for record in folders:
        existing = Folder.objects.filter(account=account, name=record["name"]).first()
        if existing is None:
            # A folder made again gets a new UIDVALIDITY (RFC 3501 §2.3.1.1): clients that
            # cached the old folder's UIDs must not take the new ones for them.
            existing = create_folder(account.pk, record["name"], record.get("special_use", ""), subscribe=False)
            result.folders_created.append(record["name"])
            if record["name"] in mailbox.subscriptions:
                subscribe(account.pk, record["name"])
        present = set(Message.objects.filter(folder=existing).values_list("blob__digest", flat=True))
        messages = [message for message in mailbox.messages if message["folder"] == record["name"]]
        pending = []
        for message in messages:
            if message["blob"] in present:
                result.already_there += 1
                continue
            present.add(message["blob"])
            pending.append(message)
        for start in range(0, len(pending), APPEND_BATCH):
            _append(account.pk, pending[start:start + APPEND_BATCH], staging, result)
            progress(f"{record['name']}: {min(start + APPEND_BATCH, len(pending))} of {len(pending)}")
    return result


def _append(account_id: int, messages: list, staging: Path, result: Restored):
    import base64

    items = [((staging / message["blob"]).read_bytes(),
              [Target(account_id, message["folder"], tuple(message["flags"]),
                      datetime.fromisoformat(message["internal_date"]), base64.b64decode(message["trace"]))])
             for message in messages]
    try:
        outcomes = _append_batch(items)
    except StoreError:  # one message refused refuses the batch: append them one by one
        outcomes = []
        for item in items:
            try:
                outcomes += _append_batch([item])
            except StoreError as error:
                outcomes.append([error])
    for message, (outcome,) in zip(messages, outcomes, strict=True):
        if isinstance(outcome, Exception):
            result.refused.append((message["folder"], message["uid"], str(outcome)))
        else:
            result.appended += 1


def _append_batch(items) -> list[list]:
    """The store's append (group commit), not held to HOPTHU_MAX_MESSAGE_SIZE: this mail
    was accepted once already. A full mailbox gets QuotaExceeded in a message's place."""
    return write_batch(prepare_batch(items, limit_size=False), skip_over_quota=True)
