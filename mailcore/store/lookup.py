"""Finding an account's folders and messages by what the UIs hold: a folder id from a
URL, a special use, a Message-ID. Every lookup is scoped to the account, so another
account's ids find nothing."""
from .models import INBOX, Folder, Message


def folder_by_id(account_id: int, pk) -> Folder | None:
    if not str(pk).isdigit():
        return None
    return Folder.objects.filter(account_id=account_id, pk=int(pk)).first()


def special_folder(account_id: int, special_use: str) -> Folder | None:
    """The folder with an RFC 6154 special use ("\\Trash" …), or the INBOX for "INBOX"."""
    if special_use == INBOX:
        return Folder.objects.filter(account_id=account_id, name=INBOX).first()
    return Folder.objects.filter(account_id=account_id, special_use=special_use).first()


def find_by_message_id(account_id: int, message_id: str, unanswered=False, limit=20) -> list[tuple[int, int]]:
    """(folder id, UID) of the account's copies of a message, by its Message-ID."""
    found = Message.objects.filter(account_id=account_id, message_id=message_id)
    if unanswered:
        found = found.filter(answered=False)
    return list(found.values_list("folder_id", "uid")[:limit])


def message_in_folder(account_id: int, folder_id: int, uid: int) -> Message | None:
    """A message with its blob and folder loaded, or None."""
    return (Message.objects.select_related("blob", "folder")
            .filter(account_id=account_id, folder_id=folder_id, uid=uid).first())


def message_ids_with_sizes(folder_id: int, message_ids) -> set[tuple[str, int]]:
    """(Message-ID, size) of the folder's messages among these Message-IDs: what an
    import checks before copying a message again."""
    message_ids = [mid for mid in set(message_ids) if mid]
    if not message_ids:
        return set()
    return set(Message.objects.filter(folder_id=folder_id, message_id__in=message_ids)
               .values_list("message_id", "size"))
