"""Making an archive of a running installation: full, or one domain's or account's mail.

Order matters for consistency: the database snapshot first, then the bodies it refers to.
Bodies are write-once and named by their digest, so a body the snapshot names is the same
file later; blob collection is held off (store.gc.hold_collection) until they are copied,
so none can vanish in between. Mail that arrives after the snapshot is not in the archive,
and the archive holds nothing the snapshot does not name.
"""
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from mailcore.store import blobs
from mailcore.store.gc import hold_collection
from mailcore.store.models import Blob, SearchText

from . import mailboxes
from .archive import FORMAT_VERSION, ArchiveWriter
from .snapshot import DUMP_NAMES, SnapshotError, engine, snapshot

FULL = "full"
COUNTED_TABLES = {"domains": "directory_domain", "accounts": "directory_account", "folders": "store_folder",
                  "messages": "store_message"}


@dataclass
class Created:
    path: Path
    size: int
    manifest: dict


def hopthu_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("hopthu")
    except metadata.PackageNotFoundError:
        import tomllib

        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as pyproject:
            return tomllib.load(pyproject)["project"]["version"]


def canonical_scope(domain: str | None, account: str | None) -> tuple[str | None, str | None]:
    """The domain and account as the directory stores them (any case, IDN in Unicode)."""
    if domain:
        domain = mailboxes.canonical_address(f"x@{domain}").split("@", 1)[1]
    if account:
        account = mailboxes.canonical_address(account)
    return domain, account


def scope_label(domain: str | None = None, account: str | None = None) -> str:
    if domain:
        return f"domain:{domain}"
    if account:
        return f"account:{account}"
    return FULL


def archive_name(scope: str, when: datetime, encrypted: bool) -> str:
    safe_scope = scope.replace(":", "-").replace("/", "_")
    return f"hopthu-{safe_scope}-{when:%Y%m%dT%H%M%SZ}.tar.gz" + (".enc" if encrypted else "")


def _blob_holders() -> list[tuple[str, str]]:
    """(table, column) of every foreign key to Blob but the search text (as gc.py counts)."""
    return [(relation.related_model._meta.db_table, relation.field.column)
            for relation in Blob._meta.get_fields(include_hidden=True)
            if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)
            and relation.related_model is not SearchText]


def referenced_digests(reader) -> list[str]:
    """The bodies the snapshot refers to: messages, the queue, scheduled sends, quarantine."""
    holders = " UNION ".join(f"SELECT {column} FROM {table}" for table, column in _blob_holders())  # noqa: S608
    return [digest for (digest,) in reader.rows(f"SELECT digest FROM store_blob WHERE id IN ({holders}) "  # noqa: S608
                                                "ORDER BY digest")]


def count_rows(reader) -> dict:
    return {name: reader.value(f"SELECT COUNT(*) FROM {table}") for name, table in COUNTED_TABLES.items()}  # noqa: S608


def _secret_key_file() -> Path | None:
    path = Path(settings.VAR_DIR) / "secret_key"
    return path if path.is_file() else None


def _dkim_files() -> list[Path]:
    root = Path(settings.HOPTHU_DKIM_DIR)
    if not root.is_dir():
        return []
    return sorted(path for path in root.iterdir() if path.is_file() and not path.name.startswith("."))


def resolve_destination(to: Path | None, name: str) -> Path:
    """`--to` may name the archive or a directory for it; default HOPTHU_BACKUP_DIR."""
    target = Path(to) if to else Path(settings.HOPTHU_BACKUP_DIR)
    if to is None or target.is_dir() or str(to).endswith("/"):
        target.mkdir(parents=True, exist_ok=True, mode=0o700)
        return target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def create_backup(to: Path | None = None, domain: str | None = None, account: str | None = None,
                  passphrase: str | None = None, progress: Callable[[str], None] = lambda step: None) -> Created:
    """Make an archive; return where it is, its size and its manifest.

    domain/account (at most one) make a partial archive: that mail only, no database dump.
    passphrase None: HOPTHU_BACKUP_KEY (empty: not encrypted).
    """
    if domain and account:
        raise ValueError("a backup covers a domain or an account, not both")
    passphrase = settings.HOPTHU_BACKUP_KEY if passphrase is None else passphrase
    domain, account = canonical_scope(domain, account)
    scope = scope_label(domain, account)
    started = datetime.now(UTC)
    destination = resolve_destination(to, archive_name(scope, started, bool(passphrase)))
    writer = ArchiveWriter(destination, passphrase or None)
    try:
        with tempfile.TemporaryDirectory(prefix="hopthu-backup-") as scratch, hold_collection():
            manifest = _write_members(writer, Path(scratch), scope, domain, account, started, progress)
        progress("finishing")
        size = writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    return Created(destination, size, manifest)


def _write_members(writer, scratch: Path, scope, domain, account, started, progress) -> dict:
    kind = engine()
    full = scope == FULL
    dump = scratch / "dump" if full else None
    progress("database snapshot")
    snapshot_at = datetime.now(UTC)
    with snapshot(dump) as reader:
        if full:
            counts = count_rows(reader)
            digests = referenced_digests(reader)
        scoped = mailboxes.accounts(reader, domain=domain, address=account)
        if not full and not scoped:
            raise SnapshotError(f"no account in {scope.split(':', 1)[1]}")
        message_digests, folder_total, message_total = set(), 0, 0
        progress("mailboxes")
        for record in scoped:
            path = scratch / "mailbox.jsonl"
            with open(path, "w", encoding="utf-8") as out:
                for line in mailboxes.records(reader, record):
                    if line["type"] == "message":
                        message_digests.add(line["blob"])
                        message_total += 1
                    elif line["type"] == "folder":
                        folder_total += 1
                    out.write(_json_line(line))
            if full:  # kept until the dump is in: the dump comes first in a full archive
                (scratch / "mailboxes").mkdir(exist_ok=True)
                shutil.move(path, scratch / "mailboxes" / f"{record['address'].lower()}.jsonl")
            else:
                writer.add_file(mailboxes.member_name(record["address"]), path)
    if full:
        writer.add_file(DUMP_NAMES[kind], dump)
        dump.unlink()
        for path in sorted((scratch / "mailboxes").glob("*.jsonl")) if scoped else []:
            writer.add_file(f"mailboxes/{path.name}", path)
    else:
        digests = sorted(message_digests)
        counts = {"domains": len({record["domain"] for record in scoped}), "accounts": len(scoped),
                  "folders": folder_total, "messages": message_total}
    progress(f"bodies (0 of {len(digests)})")
    for done, digest in enumerate(digests, 1):
        writer.add_file(f"blobs/{digest[:2]}/{digest}", blobs.blob_path(digest))
        if done % 1000 == 0:
            progress(f"bodies ({done} of {len(digests)})")
    if full:
        _add_keys_and_certificates(writer)
    return {"format": FORMAT_VERSION, "kind": "full" if full else "partial", "scope": scope,
            "created": started.isoformat(), "snapshot_at": snapshot_at.isoformat(),
            "hopthu_version": hopthu_version(), "database_engine": kind,
            "database": DUMP_NAMES[kind] if full else None,
            "accounts": [record["address"] for record in scoped],
            "counts": {**counts, "blobs": len(digests)}}


def _add_keys_and_certificates(writer):
    for path in _dkim_files():
        writer.add_file(f"dkim/{path.name}", path)
    for name, path in (("tls/cert.pem", settings.HOPTHU_TLS_CERT), ("tls/key.pem", settings.HOPTHU_TLS_KEY)):
        if Path(path).is_file():
            writer.add_file(name, Path(path))
    secret = _secret_key_file()
    if secret:
        writer.add_file("secret_key", secret)


def _json_line(record: dict) -> str:
    import json

    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"
