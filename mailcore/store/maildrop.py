"""The POP3 maildrop as the store reads it: a snapshot of the INBOX and its messages.

RFC 1939 §3: message numbers and sizes are fixed for the session, so the maildrop is
read once, at login, as plain (UID, size) pairs in UID order.

RFC 1939 §8: the server takes an exclusive lock on the maildrop at login. It is a row in
the database (MaildropLock), so a second POP3 session of the account is refused on any
process of any node. It is a lease: the session renews it while it works and deletes it
when it ends; a node that dies (kill -9) leaves a row that expires after LOCK_SECONDS,
the length of POP3's autologout timer, so the maildrop is never locked for good.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .fetch import fetch_raw, get_message
from .folders import get_folder
from .models import INBOX, MaildropLock, Message

LOCK_SECONDS = 600  # RFC 1939 §3: the autologout timer is at least 10 minutes
RENEW_SECONDS = 60  # a session renews a lock older than this at its next command


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


def lock_maildrop(account_id: int) -> str | None:
    """Take the account's maildrop lock; return the holder token, or None if it is held."""
    now = timezone.now()
    holder = secrets.token_hex(16)
    try:
        with transaction.atomic():
            MaildropLock.objects.filter(account_id=account_id, expires__lte=now).delete()
            MaildropLock.objects.create(account_id=account_id, holder=holder,
                                        expires=now + timedelta(seconds=LOCK_SECONDS))
    except IntegrityError:  # another session, here or on another node, holds it
        return None
    return holder


def renew_maildrop_lock(account_id: int, holder: str) -> bool:
    """Push the lease on; False if this holder lost it (it expired and was taken)."""
    expires = timezone.now() + timedelta(seconds=LOCK_SECONDS)
    return MaildropLock.objects.filter(account_id=account_id, holder=holder).update(expires=expires) == 1


def unlock_maildrop(account_id: int, holder: str):
    MaildropLock.objects.filter(account_id=account_id, holder=holder).delete()
