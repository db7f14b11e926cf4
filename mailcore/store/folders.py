"""Folders: the defaults every account gets, create, rename, delete, subscribe, list.

Names are full paths with "/" between levels (RFC 9051 §5.1.1 hierarchy delimiter);
INBOX is case-insensitive (RFC 9051 §5.1) and always exists.
"""
import time

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import FolderExists, FolderInUse, FolderNotFound, InvalidFolderName
from .models import DELIMITER, INBOX, SPECIAL_USE_FOLDERS, Expunged, Folder, FolderCounter, Message

MAX_FOLDER_NAME_CHARS = 500
MAX_FOLDER_DEPTH = 32


def _is_control(char: str) -> bool:
    """C0 and C1 controls and DEL: they cannot be quoted on the wire, and no one types them."""
    return ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F


def _new_uidvalidity(account_id: int, count: int = 1) -> int:
    """Reserve count UIDVALIDITY values never used before in the account; return the first.

    Time-based like Dovecot's, so values also differ across a restore from backup.
    """
    FolderCounter.objects.bulk_create([FolderCounter(account_id=account_id)], ignore_conflicts=True)
    counter = FolderCounter.objects.select_for_update().get(account_id=account_id)
    first = max(counter.last_uidvalidity + 1, int(time.time()))
    if first + count >= 2**32:  # RFC 9051: nz-number fits 32 bits
        first = counter.last_uidvalidity + 1 if counter.last_uidvalidity + count < 2**32 else 1
    FolderCounter.objects.filter(pk=account_id).update(last_uidvalidity=first + count - 1)
    return first


def canonical_name(name: str) -> str:
    """Validate a folder path and return it with INBOX in its canonical case.

    RFC 9051 §5.1 allows any character but the hierarchy delimiter: quotes, backslashes
    and even the LIST wildcards are kept (IMAP quotes them back); only controls, a blank
    at either end, and empty levels are refused.
    """
    if not isinstance(name, str) or not name.strip():
        raise InvalidFolderName(_("A folder name is required."))
    if name != name.strip() or any(_is_control(c) for c in name):
        raise InvalidFolderName(
            _("The folder name %(name)s holds characters that are not allowed.") % {"name": repr(name)}
        )
    if len(name) > MAX_FOLDER_NAME_CHARS:
        raise InvalidFolderName(_("The folder name is too long."))
    levels = name.split(DELIMITER)
    if any(level == "" for level in levels):
        raise InvalidFolderName(_("The folder name %(name)s has an empty level.") % {"name": name})
    if len(levels) > MAX_FOLDER_DEPTH:
        raise InvalidFolderName(_("Folders may be nested at most %(depth)d deep.") % {"depth": MAX_FOLDER_DEPTH})
    if levels[0].upper() == INBOX:
        levels[0] = INBOX
    return DELIMITER.join(levels)


def create_default_folders(account):
    """Create INBOX and the RFC 6154 special-use folders for a new account, subscribed."""
    from .subscriptions import subscribe_new

    base = _new_uidvalidity(account.pk, 1 + len(SPECIAL_USE_FOLDERS))
    folders = [Folder(account=account, name=INBOX, uidvalidity=base)]
    folders += [
        Folder(account=account, name=name, special_use=use, uidvalidity=base + i)
        for i, (name, use) in enumerate(SPECIAL_USE_FOLDERS, 1)
    ]
    Folder.objects.bulk_create(folders)
    subscribe_new(account.pk, [folder.name for folder in folders])


def get_folder(account_id: int, name: str) -> Folder:
    try:
        return Folder.objects.get(account_id=account_id, name=canonical_name(name))
    except Folder.DoesNotExist:
        raise FolderNotFound(_("There is no folder %(name)s.") % {"name": name}) from None


def folder_id(account_id: int, name: str) -> int:
    """Return the id of an account's folder by name (one indexed lookup)."""
    found = Folder.objects.filter(account_id=account_id, name=canonical_name(name)).values_list("pk", flat=True)
    for pk in found:
        return pk
    raise FolderNotFound(_("There is no folder %(name)s.") % {"name": name})


def list_folders(account_id: int) -> list[Folder]:
    return list(Folder.objects.filter(account_id=account_id).order_by("name"))


@transaction.atomic
def create_folder(account_id: int, name: str, special_use: str = "", subscribe: bool = True) -> Folder:
    """Create a folder; missing parents are created too (RFC 9051 §6.3.4).

    The webmail subscribes what it creates, so that clients showing only subscribed
    folders see it; IMAP CREATE does not (subscribe=False), as on Dovecot: the client
    sends SUBSCRIBE itself when it wants to.
    """
    from .subscriptions import subscribe_new

    name = canonical_name(name)
    if Folder.objects.filter(account_id=account_id, name=name).exists():
        raise FolderExists(_("The folder %(name)s already exists.") % {"name": name})
    levels = name.split(DELIMITER)
    created = []
    for depth in range(1, len(levels) + 1):
        path = DELIMITER.join(levels[:depth])
        if not Folder.objects.filter(account_id=account_id, name=path).exists():
            created.append(Folder.objects.create(
                account_id=account_id, name=path, uidvalidity=_new_uidvalidity(account_id),
                special_use=special_use if path == name else "",
            ))
    if subscribe:
        subscribe_new(account_id, [folder.name for folder in created])
    return created[-1]


@transaction.atomic
def rename_folder(account_id: int, old: str, new: str):
    """Rename a folder and its children; renaming INBOX moves its mail (RFC 9051 §6.3.6).

    Subscriptions follow the renamed folders. Dovecot leaves them on the old names; a
    client written for it unsubscribes the old and subscribes the new name itself, and
    ends in the same state here, while the webmail and other clients keep their list.
    """
    from .subscriptions import rename_subscriptions

    old, new = canonical_name(old), canonical_name(new)
    source = get_folder(account_id, old)
    if Folder.objects.filter(account_id=account_id, name=new).exists():
        raise FolderExists(_("The folder %(name)s already exists.") % {"name": new})
    if new.startswith(old + DELIMITER):
        raise InvalidFolderName(_("A folder cannot be moved inside itself."))
    if old == INBOX:
        target = create_folder(account_id, new, subscribe=False)
        # Move INBOX's messages, leaving INBOX empty (RFC 9051 §6.3.6).
        from .messages import move_messages

        uids = list(source.messages.values_list("uid", flat=True))
        if uids:
            move_messages(account_id, INBOX, uids, new)
        return target
    children = list(Folder.objects.filter(account_id=account_id, name__startswith=old + DELIMITER))
    for folder in [source, *children]:
        folder.name = new + folder.name[len(old):]
        # A renamed folder gets a new UIDVALIDITY, so clients resync (RFC 9051 §6.3.6).
        folder.uidvalidity = _new_uidvalidity(account_id)
        folder.save(update_fields=["name", "uidvalidity"])
    rename_subscriptions(account_id, old, new)
    parent = new.rpartition(DELIMITER)[0]
    if parent and not Folder.objects.filter(account_id=account_id, name=parent).exists():
        create_folder(account_id, parent, subscribe=False)
    return source


@transaction.atomic
def delete_folder(account_id: int, name: str):
    """Delete a folder with its messages; INBOX and folders with children stay.

    Its subscription stays too (RFC 3501 §6.3.6): see subscriptions.py.
    """
    from .messages import release_messages

    name = canonical_name(name)
    if name == INBOX:
        raise FolderInUse(_("INBOX cannot be deleted."))
    folder = get_folder(account_id, name)
    if Folder.objects.filter(account_id=account_id, name__startswith=name + DELIMITER).exists():
        # RFC 9051 §6.3.5 allows keeping it as \Noselect; we refuse, as Dovecot does.
        raise FolderInUse(_("The folder %(name)s has subfolders; delete them first.") % {"name": name})
    release_messages(Message.objects.filter(folder=folder))
    Expunged.objects.filter(folder=folder).delete()
    folder.delete()
