"""The subscription list: folder names a client asked to see (RFC 9051 §6.3.7-8, RFC 3501
§6.3.6-7, RFC 5258 §3.4).

A subscription is a name, not a folder: it outlives the folder's DELETE, since a server
"MUST NOT unilaterally remove an existing mailbox name from the subscription list"
(RFC 3501 §6.3.6), and LIST (SUBSCRIBED) shows such a name as \\NonExistent until the
client unsubscribes. SUBSCRIBE checks that the folder exists (the RFC allows it, and
Dovecot does so), which catches typos. RENAME carries the subscriptions of the folder
and its children to the new names (folders.rename_folder).
"""
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from .errors import FolderNotFound
from .folders import canonical_name
from .models import DELIMITER, Folder, Subscription


@dataclass(frozen=True)
class FolderTree:
    """What LIST and LSUB read: existing folders (name → RFC 6154 special use) and the
    subscribed names, some of which may name no folder."""

    folders: dict
    subscribed: frozenset


def folder_tree(account_id: int) -> FolderTree:
    folders = dict(Folder.objects.filter(account_id=account_id).values_list("name", "special_use"))
    subscribed = frozenset(Subscription.objects.filter(account_id=account_id).values_list("name", flat=True))
    return FolderTree(folders, subscribed)


def subscribe(account_id: int, name: str):
    """Add a folder to the subscription list; the folder must exist (RFC 9051 §6.3.7)."""
    name = canonical_name(name)
    if not Folder.objects.filter(account_id=account_id, name=name).exists():
        raise FolderNotFound(_("There is no folder %(name)s.") % {"name": name})
    Subscription.objects.bulk_create([Subscription(account_id=account_id, name=name)], ignore_conflicts=True)


def unsubscribe(account_id: int, name: str):
    """Remove a name from the list, whether or not its folder exists (RFC 9051 §6.3.8).

    Removing a name that is not on the list succeeds too, as on Dovecot: the client's
    wish holds either way.
    """
    Subscription.objects.filter(account_id=account_id, name=canonical_name(name)).delete()


def subscribe_new(account_id: int, names: list[str]):
    """Subscribe folders just created by the store (no existence check, no name check)."""
    Subscription.objects.bulk_create([Subscription(account_id=account_id, name=name) for name in names],
                                     ignore_conflicts=True)


@transaction.atomic
def rename_subscriptions(account_id: int, old: str, new: str):
    """Carry the subscriptions of old and its children over to new (RENAME)."""
    moved = Subscription.objects.filter(account_id=account_id, name=old) | Subscription.objects.filter(
        account_id=account_id, name__startswith=old + DELIMITER)
    renamed = [new + name[len(old):] for name in moved.values_list("name", flat=True)]
    moved.delete()
    subscribe_new(account_id, renamed)
