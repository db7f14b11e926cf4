"""Reading an account's mail out whole, for an export (mailcore.accountdata): every folder,
and every message as IMAP serves it (its trace fields, then its body), one at a time."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from . import blobs
from .models import Folder, Message


@dataclass(frozen=True)
class DumpedFolder:
    id: int
    name: str
    special_use: str
    uidvalidity: int


@dataclass(frozen=True)
class DumpedMessage:
    uid: int
    flags: list
    internal_date: datetime
    raw: bytes  # trace + blob: the message as IMAP's BODY[] serves it


def account_folders(account_id: int) -> list[DumpedFolder]:
    return [DumpedFolder(*row) for row in Folder.objects.filter(account_id=account_id).order_by("name")
            .values_list("pk", "name", "special_use", "uidvalidity")]


def folder_messages(folder_id: int) -> Iterator[DumpedMessage]:
    """The folder's messages in UID order; only one body is in memory at a time."""
    rows = (Message.objects.filter(folder_id=folder_id).order_by("uid")
            .only("uid", "internal_date", "trace", "blob__digest", "keywords", *Message.SYSTEM_FLAGS.values())
            .select_related("blob"))
    for message in rows.iterator(chunk_size=200):
        yield DumpedMessage(message.uid, message.flags, message.internal_date,
                            bytes(message.trace or b"") + blobs.read(message.blob.digest))
