"""Where each mailbox's copy goes: folder, flags, forwards, or nowhere.

Three things decide, in this order:
1. The filter stage's verdict. Mail the filter calls junk goes to Junk and the account's
   own rules are not run on it: a "move" rule must not lift spam back into a folder the
   user reads, and a "forward" rule must not send spam on (it would harm the server's
   reputation). The spam verdict wins.
2. The account's own rules (user_rules.py, edited in the panel), in position order.
3. The operator's hooks: HOPTHU_RULE_HOOKS names callables
   `hook(account_id, headers, folder) -> folder` applied in order, each seeing the folder
   chosen so far. They may only choose a folder.

A folder that doesn't exist (deleted since the rule was written) falls back to the
INBOX: a rule must never lose mail.
"""
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from mailcore.store.errors import StoreError
from mailcore.store.folders import folder_id

from .user_rules import MailView, RuleBook, decide


@dataclass(frozen=True)
class CopyPlan:
    folder: str = "INBOX"
    flags: tuple = ()
    forwards: tuple = ()  # outside or local addresses a rule sends a copy on to
    discard: bool = False


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


def plan_copy(account_id: int, view: MailView, book: RuleBook, junk: bool = False) -> CopyPlan:
    """What happens to this account's copy of the message."""
    if junk:  # the spam verdict wins; Junk itself falls back to the INBOX if deleted
        return CopyPlan(folder=choose_folder(account_id, view.headers if has_hooks() else None, "Junk"))
    decision = decide(book.rules_of(account_id), view)
    folder = decision.folder if decision.folder and book.folder_exists(account_id, decision.folder) else "INBOX"
    if has_hooks() and not decision.discard:
        folder = choose_folder(account_id, view.headers, folder)
    return CopyPlan(folder, tuple(decision.flags), tuple(decision.forwards), decision.discard)
