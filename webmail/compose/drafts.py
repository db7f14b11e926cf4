"""Drafts: each save appends a new version to Drafts (\\Draft \\Seen) and expunges the
previous one, so an IMAP client sees one draft that changes, as with Thunderbird."""
from django.db import transaction

from mailcore.store.append import append
from mailcore.store.folders import get_folder
from mailcore.store.lookup import special_folder
from mailcore.store.messages import expunge, store_flags
from mailcore.store.models import Folder


def drafts_folder(account) -> Folder:
    return special_folder(account.pk, "\\Drafts") or get_folder(account.pk, "Drafts")


def save(account, raw: bytes, previous_uid: int | None = None) -> int:
    """Keep raw as the account's draft, replacing previous_uid; return the new UID."""
    folder = drafts_folder(account)
    uid = append(account.pk, folder.name, raw, flags=["\\Draft", "\\Seen"]).uid
    if previous_uid:
        discard(account, previous_uid, folder)
    return uid


def discard(account, uid: int, folder: Folder | None = None) -> None:
    """Remove a draft (after sending it, or when a newer version replaces it)."""
    folder = folder or drafts_folder(account)
    with transaction.atomic():
        store_flags(account.pk, folder.pk, [uid], ["\\Deleted"])
        # A replaced or sent draft is not deleted mail: it is not kept recoverable.
        expunge(account.pk, folder.pk, [uid], recoverable=False)
