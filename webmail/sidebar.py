"""The folder list every webmail page shows: special-use folders first, then the user's
folders nested by their "/" path, each with its unread count (the store's status read,
so it is the number IMAP STATUS UNSEEN gives)."""
from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from mailcore.collation import sort_key
from mailcore.store.folder_names import folder_label
from mailcore.store.folders import list_folders
from mailcore.store.models import DELIMITER, INBOX, Folder
from mailcore.store.status import unseen_counts

from .access import usable_account

# Display order of the folders every account starts with.
SPECIAL_ORDER = ["\\Drafts", "\\Sent", "\\Archive", "\\Junk", "\\Trash"]

# Sidebar icons (static/webmail/icons.svg) by special use; the user's folders get "folder".
SPECIAL_ICONS = {"\\Drafts": "drafts", "\\Sent": "sent", "\\Archive": "archive", "\\Junk": "junk",
                 "\\Trash": "trash"}


@dataclass
class FolderEntry:
    folder: Folder
    label: str
    depth: int
    unread: int

    @property
    def id(self):
        return self.folder.pk

    @property
    def icon(self):
        if self.folder.name == INBOX:
            return "inbox"
        if self.depth == 0:
            return SPECIAL_ICONS.get(self.folder.special_use, "folder")
        return "folder"


def ordered(folders) -> list[Folder]:
    """Folders in the sidebar's order: Inbox, the special-use ones, then the user's by
    name in reading order, each subfolder right under its parent."""
    folders = list(folders)
    special = {folder.name: folder.special_use for folder in folders}

    def rank(top: str):
        if top == INBOX:
            return (0, 0, "")
        if special.get(top) in SPECIAL_ORDER:
            return (1, SPECIAL_ORDER.index(special[top]), "")
        return (2, 0, sort_key(top))

    def key(folder):
        # Children sort right under their parent, whatever group the parent is in; names
        # in reading order (Vietnamese collation, "Dự án 2" before "Dự án 10").
        top, *rest = folder.name.split(DELIMITER)
        return (rank(top), [sort_key(part) for part in rest])

    return sorted(folders, key=key)


def folder_entries(account) -> list[FolderEntry]:
    folders = list_folders(account.pk)
    unread = unseen_counts(folder.pk for folder in folders)
    entries = []
    for folder in ordered(folders):
        label, depth = folder_label(folder), 0
        if label == folder.name:  # the user's own: its last part, indented under its parent
            parts = folder.name.split(DELIMITER)
            label, depth = parts[-1], len(parts) - 1
        entries.append(FolderEntry(folder, label, depth, unread.get(folder.pk, 0)))
    return entries


def account_page(request) -> bool:
    """Is this one of django-allauth's pages (password, two-factor, sessions)?"""
    match = getattr(request, "resolver_match", None)
    return bool(match) and (getattr(match.func, "__module__", "") or "").startswith("allauth.")


def context(request):
    """Template context processor: the sidebar, computed only if a webmail page uses it.

    allauth's account pages are not webmail views, but a mail user reaches them from the
    settings and they show inside the webmail's layout (templates/allauth/layouts/manage.html),
    so they get the account and the sidebar too, with the settings' Security section marked.
    """
    account = getattr(request, "account", None)
    extra = {}
    if account is None and request.user.is_authenticated and account_page(request):
        account = usable_account(request.user)
        extra = {"section": "security"}
    if account is None:
        return {}
    return {"sidebar": SimpleLazyObject(lambda: folder_entries(account)), "mail_account": account, **extra}
