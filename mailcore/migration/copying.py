"""Copying one source account into its HopThu account, folder by folder.

For each folder (folder_map.py): SELECT it read-only (RFC 9051 §6.3.2: EXAMINE, so
\\Seen is never set at the source by our reading), take the UIDs above the last one
done, read their sizes and Message-IDs, skip those already copied (keys.py), and FETCH
the rest with BODY.PEEK[], FLAGS and INTERNALDATE, appended through store.append with
their flags, keywords and internal date. Each message's append, its CopiedMessage row
and the folder's progress commit in one transaction, so a copy killed at any moment
resumes without a duplicate and without a gap.
"""
import itertools
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from imapclient.exceptions import IMAPClientError

from mailcore.store import lookup
from mailcore.store.append import append
from mailcore.store.errors import FolderExists, QuotaExceeded, StoreError
from mailcore.store.flags import split_flags
from mailcore.store.folders import create_folder, folder_id
from mailcore.store.models import INBOX, SPECIAL_USE_FOLDERS

from . import keys
from .folder_map import FolderPlan, plan_folders
from .models import CopiedMessage, MigrationAccount, MigrationFolder

log = logging.getLogger(__name__)

SCAN_BATCH = 200  # UIDs whose sizes and Message-IDs one FETCH reads
COPY_BATCH = 20  # messages one FETCH BODY.PEEK[] reads
MAX_PROBLEMS = 100  # failed messages listed in a report (all are counted)
MESSAGE_ID_FIELD = b"BODY[HEADER.FIELDS (MESSAGE-ID)]"


class Interrupted(Exception):
    """Raised by the stop_after test hook: the copy stops as a killed worker would."""


class AccountFailed(Exception):
    """The rest of this account cannot be copied (its mailbox is full ...)."""


@dataclass
class Hooks:
    heartbeat: callable = lambda: None  # renews the job's lease
    stop_after: int | None = None  # raise Interrupted after this many messages (tests)
    copied: int = 0


def copy_account(client, maccount: MigrationAccount, hooks: Hooks) -> None:
    """Copy every folder of a logged-in source account; progress goes to the models."""
    listing = client.list_folders()
    prefix = ""
    try:
        personal = client.namespace().personal if client.has_capability("NAMESPACE") else ()
        prefix = personal[0][0] if personal else ""
    except IMAPClientError:
        pass
    plans = plan_folders(listing, client.has_capability("SPECIAL-USE"), prefix or "")
    rows = []
    for plan in plans:
        row, _created = MigrationFolder.objects.get_or_create(
            account=maccount, source_name=plan.source_name,
            defaults={"target_name": plan.target_name or plan.special_use})
        rows.append((plan, row))
    MigrationAccount.objects.filter(pk=maccount.pk).update(
        folders_total=len(rows), folders_done=sum(row.done for _plan, row in rows))
    for plan, row in rows:
        if row.done:
            continue
        _copy_folder(client, maccount, plan, row, hooks)
        hooks.heartbeat()


def _target_folder(account_id: int, plan: FolderPlan) -> tuple[int, str]:
    """(folder id, name) in HopThu for a plan, creating the folder if needed."""
    if plan.special_use:
        found = lookup.special_folder(account_id, plan.special_use)
        if found is not None:
            return found.pk, found.name
        name = {use: name for name, use in SPECIAL_USE_FOLDERS}[plan.special_use]
        try:
            created = create_folder(account_id, name, special_use=plan.special_use)
            return created.pk, created.name
        except FolderExists:
            return folder_id(account_id, name), name
    if plan.target_name != INBOX:
        try:
            created = create_folder(account_id, plan.target_name)
            return created.pk, created.name
        except FolderExists:
            pass
    return folder_id(account_id, plan.target_name), plan.target_name


def _problem(maccount, folder: str, uid, reason: str) -> None:
    account = MigrationAccount.objects.get(pk=maccount.pk)
    if len(account.problems) < MAX_PROBLEMS:
        account.problems.append({"folder": folder, "uid": uid, "reason": str(reason)[:300]})
        account.save(update_fields=["problems"])


def _copy_folder(client, maccount, plan: FolderPlan, row: MigrationFolder, hooks: Hooks) -> None:
    try:
        target_id, target_name = _target_folder(maccount.target_id, plan)
    except StoreError as exc:
        _problem(maccount, plan.source_name, None, " ".join(exc.messages))
        _finish_folder(maccount, row)
        return
    row.target_name = target_name
    try:
        selected = client.select_folder(plan.source_name, readonly=True)
    except IMAPClientError as exc:  # deleted at the source since LIST, or not readable
        _problem(maccount, plan.source_name, None, str(exc)[:300])
        _finish_folder(maccount, row)
        return
    uidvalidity = int(selected.get(b"UIDVALIDITY", 0))
    if row.uidvalidity != uidvalidity:
        # RFC 9051 §2.3.1.1: under a new UIDVALIDITY the old UIDs mean nothing; the
        # duplicate keys still keep what was copied from being copied again.
        row.uidvalidity, row.last_uid = uidvalidity, 0
    row.messages_total = int(selected.get(b"EXISTS", 0))
    row.save(update_fields=["target_name", "uidvalidity", "last_uid", "messages_total"])
    _count_messages(maccount)
    uids = sorted(uid for uid in client.search(["UID", f"{row.last_uid + 1}:*"]) if uid > row.last_uid) \
        if row.messages_total else []
    for scan in _batched(uids, SCAN_BATCH):
        wanted, trailing_skips = _not_yet_copied(client, target_id, scan)
        for batch in _batched(wanted, COPY_BATCH):
            _copy_batch(client, maccount, row, target_id, batch, hooks)
        # The skipped messages after the last copied one: counted as the progress passes them.
        with transaction.atomic():
            _progress(maccount, row, max(scan), skipped=trailing_skips)
        hooks.heartbeat()
    _finish_folder(maccount, row)


def _batched(items, size):
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _not_yet_copied(client, target_id: int, uids: list[int]):
    """([(UID, key, skipped just before it)] to copy, skipped after the last of them).

    A skipped message is counted in the same transaction that moves the folder's progress
    past it, so a resumed copy counts every message once.
    """
    found = client.fetch(uids, ["RFC822.SIZE", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    keyed, by_mid, no_mid = {}, {}, []
    for uid in uids:
        data = found.get(uid)
        if data is None:
            continue  # expunged at the source meanwhile
        size = int(data.get(b"RFC822.SIZE", 0))
        message_id = keys.message_id_of(data.get(MESSAGE_ID_FIELD, b""))
        if message_id:
            keyed[uid] = keys.by_message_id(message_id, size)
            by_mid[uid] = (message_id, size)
        else:
            no_mid.append((uid, size))
    if no_mid:
        headers = client.fetch([uid for uid, _size in no_mid], ["BODY.PEEK[HEADER]"])
        for uid, size in no_mid:
            keyed[uid] = keys.by_header(headers.get(uid, {}).get(b"BODY[HEADER]", b""), size)
    known = set(CopiedMessage.objects.filter(folder_id=target_id, key__in=keyed.values())
                .values_list("key", flat=True))
    present = lookup.message_ids_with_sizes(target_id, [mid for mid, _size in by_mid.values()])
    wanted, skipped = [], 0
    for uid in sorted(keyed):
        if keyed[uid] in known or by_mid.get(uid) in present:
            skipped += 1
        else:
            wanted.append((uid, keyed[uid], skipped))
            skipped = 0
            known.add(keyed[uid])  # the same message twice in one folder is copied once
    return wanted, skipped


def _source_flags(flags) -> list[str]:
    """The flags HopThu can keep: system flags and valid keywords; \\Recent is the
    server's own (RFC 3501 §2.3.2) and other unknown \\flags cannot be set."""
    kept = []
    for flag in flags or ():
        text = flag.decode("utf-8", "replace") if isinstance(flag, bytes) else str(flag)
        try:
            split_flags([text])
        except StoreError:
            continue
        kept.append(text)
    return kept


def _copy_batch(client, maccount, row, target_id: int, batch: list, hooks: Hooks) -> None:
    fetched = client.fetch([uid for uid, _key, _skips in batch], ["BODY.PEEK[]", "FLAGS", "INTERNALDATE"])
    for uid, key, skips in batch:
        data = fetched.get(uid)
        if data is None or b"BODY[]" not in data:
            _progress(maccount, row, uid, failed=1, skipped=skips)
            _problem(maccount, row.source_name, uid, _("The old server did not send the message."))
            continue
        try:
            with transaction.atomic():
                append(maccount.target_id, row.target_name, data[b"BODY[]"],
                       flags=_source_flags(data.get(b"FLAGS")), internal_date=data.get(b"INTERNALDATE"))
                CopiedMessage.objects.create(folder_id=target_id, key=key)
                _progress(maccount, row, uid, copied=1, skipped=skips)
        except QuotaExceeded as exc:
            raise AccountFailed(" ".join(exc.messages)) from None
        except StoreError as exc:
            _progress(maccount, row, uid, failed=1, skipped=skips)
            _problem(maccount, row.source_name, uid, " ".join(exc.messages))
            continue
        hooks.copied += 1
        if hooks.stop_after is not None and hooks.copied >= hooks.stop_after:
            raise Interrupted(f"stopped after {hooks.copied} messages")


def _progress(maccount, row, uid: int, copied=0, skipped=0, failed=0) -> None:
    """Count messages and move the folder's progress up to uid (in the caller's
    transaction, with the append it records)."""
    counts = {field: F(field) + n for field, n in (("copied", copied), ("skipped", skipped), ("failed", failed)) if n}
    if uid > row.last_uid:
        MigrationFolder.objects.filter(pk=row.pk).update(last_uid=uid, **counts)
        row.last_uid = uid
    elif counts:
        MigrationFolder.objects.filter(pk=row.pk).update(**counts)
    if counts:
        MigrationAccount.objects.filter(pk=maccount.pk).update(**counts)


def _count_messages(maccount) -> None:
    total = sum(MigrationFolder.objects.filter(account=maccount).values_list("messages_total", flat=True))
    MigrationAccount.objects.filter(pk=maccount.pk).update(messages_total=total)


def _finish_folder(maccount, row) -> None:
    MigrationFolder.objects.filter(pk=row.pk).update(done=True, target_name=row.target_name)
    MigrationAccount.objects.filter(pk=maccount.pk).update(folders_done=F("folders_done") + 1)
