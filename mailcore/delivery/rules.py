"""Server-side rules: which folder (and flags) each mailbox's copy goes to.

The hook for Sieve-like user rules (a later issue): HOPTHU_RULE_HOOKS names callables
`hook(account_id, headers, folder) -> folder` applied in order, each seeing the folder
the previous one chose. Without hooks every copy goes to the INBOX, or to Junk when the
filter stage said so. A hook naming a folder that doesn't exist falls back to the INBOX:
a rule must never lose mail.
"""
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from mailcore.store.errors import StoreError
from mailcore.store.folders import folder_id


@cache
def _hooks(paths: tuple) -> tuple:
    return tuple(import_string(path) for path in paths)


def has_hooks() -> bool:
    return bool(getattr(settings, "HOPTHU_RULE_HOOKS", ()))


def choose_folder(account_id: int, headers, default: str = "INBOX") -> str:
    folder = default
    for hook in _hooks(tuple(getattr(settings, "HOPTHU_RULE_HOOKS", ()))):
        folder = hook(account_id, headers, folder) or folder
    if folder != "INBOX":
        try:
            folder_id(account_id, folder)
        except StoreError:
            return "INBOX"
    return folder
