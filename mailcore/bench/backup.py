"""`bench backup`: how fast an account is archived, verified and put back.

It creates a throwaway domain and account in the configured database and blob directory
(SQLite or PostgreSQL, as configured), appends N messages, then times a partial archive of
that account (`backup create --account`), its verification, and restoring the whole
account after it was removed (every message appended again). Everything it made,
archives included, is removed at the end. Figures only; nothing is asserted.
"""
import random
import secrets
import tempfile
import time
from pathlib import Path

from mailcore.backup.create import create_backup
from mailcore.backup.restore import restore_account
from mailcore.backup.verify import verify_archive
from mailcore.directory.services import create_account, create_domain, remove_account, remove_domain
from mailcore.store.append import Target, append_batch
from mailcore.store.gc import collect_garbage

from .corpus import make_message

BATCH = 100


def _rate(amount: float, seconds: float) -> float:
    return amount / seconds if seconds > 0 else 0.0


def run(count: int, out, seed: int = 1, passphrase: str = "") -> dict:
    rng = random.Random(seed)
    domain = f"bench-{secrets.token_hex(4)}.test"
    address = f"bench@{domain}"
    create_domain(domain, default_quota=0)
    account = create_account(address, secrets.token_urlsafe(16))
    figures = {"messages": count}
    try:
        for start in range(0, count, BATCH):
            append_batch([(make_message(rng, index, address) + f"X-Bench: {index}\r\n".encode(),
                           [Target(account.pk, "INBOX", ("\\Seen",) if index % 3 else ())])
                          for index in range(start, min(count, start + BATCH))])
        with tempfile.TemporaryDirectory(prefix="hopthu-bench-backup-") as scratch:
            began = time.perf_counter()
            created = create_backup(to=Path(scratch) / "bench.tar.gz", account=address, passphrase=passphrase)
            figures["create_seconds"] = time.perf_counter() - began
            figures["archive_bytes"] = created.size
            began = time.perf_counter()
            verify_archive(created.path, passphrase=passphrase)
            figures["verify_seconds"] = time.perf_counter() - began
            remove_account(address)
            began = time.perf_counter()
            restored = restore_account(created.path, address, passphrase=passphrase)
            figures["restore_seconds"] = time.perf_counter() - began
            figures["restored"] = restored.appended
    finally:
        remove_domain(domain, remove_accounts=True)
        collect_garbage(grace_seconds=0)
    megabytes = figures["archive_bytes"] / 1024**2
    out.write(f"backup create --account ({count:,} messages{', encrypted' if passphrase else ''}): "
              f"{figures['create_seconds']:.2f} s, {_rate(count, figures['create_seconds']):,.0f} messages/s, "
              f"archive {megabytes:.1f} MB\n")
    out.write(f"backup verify: {figures['verify_seconds']:.2f} s, "
              f"{_rate(megabytes, figures['verify_seconds']):.1f} MB/s of archive\n")
    out.write(f"backup restore --account: {figures['restored']:,} messages appended again in "
              f"{figures['restore_seconds']:.2f} s, {_rate(figures['restored'], figures['restore_seconds']):,.0f} "
              "messages/s\n")
    return figures
