"""The POP3 maildrop as the store reads it: a snapshot of the INBOX and its messages.

RFC 1939 §3: message numbers and sizes are fixed for the session, so the maildrop is
read once, at login, as plain (UID, size) pairs in UID order.
"""
from dataclasses import dataclass

from .fetch import fetch_raw, get_message
from .folders import get_folder
from .models import INBOX, Message


@dataclass(frozen=True)
class Maildrop:
    folder_id: int
    uidvalidity: int
    messages: list[tuple[int, int]]  # (uid, size); POP3 message n is messages[n - 1]


def open_maildrop(account_id: int) -> Maildrop:
    folder = get_folder(account_id, INBOX)
    rows = list(Message.objects.filter(folder=folder).order_by("uid").values_list("uid", "size"))
    return Maildrop(folder.pk, folder.uidvalidity, rows)


def read_message(account_id: int, folder_id: int, uid: int) -> bytes:
    """The whole message as served to clients; raises MessageNotFound if it is gone."""
    return fetch_raw(get_message(account_id, folder_id, uid))
