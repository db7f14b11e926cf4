"""Actions on selected messages: one POST endpoint for the list, the reading view and
keyboard shortcuts. Every change goes through mailcore.store, so IMAP sees it at once."""
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from mailcore.store import lookup
from mailcore.store.errors import StoreError
from mailcore.store.listing import folder_uids, thread_uids
from mailcore.store.messages import expunge, move_messages, store_flags
from mailcore.store.models import INBOX, Folder
from webmail.access import account_required, folder_or_404

FLAG_ACTIONS = {
    "read": ("\\Seen", "add"),
    "unread": ("\\Seen", "remove"),
    "flag": ("\\Flagged", "add"),
    "unflag": ("\\Flagged", "remove"),
}
# Actions that move the selection to a given folder.
MOVING = {"archive": "\\Archive", "spam": "\\Junk", "notspam": INBOX}
# Folders whose "delete" removes for good: elsewhere it moves to Trash.
PURGING = ("\\Trash", "\\Junk")


def special_folder(account, special_use: str) -> Folder | None:
    return lookup.special_folder(account.pk, special_use)


def selected_uids(request, folder) -> list[int]:
    """The UIDs posted, plus every message of each posted conversation (thread)."""
    uids = {int(value) for value in request.POST.getlist("uid") if value.isdigit()}
    threads = [value for value in request.POST.getlist("thread") if value][:500]
    if threads:
        uids.update(thread_uids(folder.pk, threads))
    return sorted(uids)


def _move(request, folder, uids, target) -> int:
    if target is None:
        raise StoreError(_("That folder does not exist."))
    return len(move_messages(request.account.pk, folder, uids, target))


def _delete(request, folder, uids) -> int:
    if folder.special_use in PURGING:
        store_flags(request.account.pk, folder, uids, ["\\Deleted"], "add")
        return len(expunge(request.account.pk, folder, uids))
    return _move(request, folder, uids, special_folder(request.account, "\\Trash"))


def perform(request, folder, action: str, uids: list[int]) -> int:
    """Do action on uids in folder; return how many messages it touched."""
    account = request.account
    if action in FLAG_ACTIONS:
        flag, mode = FLAG_ACTIONS[action]
        changed, _failed = store_flags(account.pk, folder, uids, [flag], mode)
        return len(changed)
    if action == "delete":
        return _delete(request, folder, uids)
    if action == "empty":
        if folder.special_use not in PURGING:
            raise StoreError(_("Only Trash and Junk can be emptied."))
        everything = folder_uids(folder.pk)
        store_flags(account.pk, folder, everything, ["\\Deleted"], "add")
        return len(expunge(account.pk, folder))
    if action in MOVING or action == "move":
        return _move(request, folder, uids, destination(request, action))
    raise StoreError(_("Unknown action."))


def destination(request, action: str) -> Folder | None:
    """The folder a moving action takes messages to (None for other actions, or no such folder)."""
    if action in MOVING:
        return special_folder(request.account, MOVING[action])
    if action == "move":
        target_id = request.POST.get("move_to") or request.POST.get("target", "")
        return lookup.folder_by_id(request.account.pk, target_id)
    return None


DONE = {
    "read": lambda n: ngettext("%(n)d message marked read.", "%(n)d messages marked read.", n),
    "unread": lambda n: ngettext("%(n)d message marked unread.", "%(n)d messages marked unread.", n),
    "flag": lambda n: ngettext("%(n)d message flagged.", "%(n)d messages flagged.", n),
    "unflag": lambda n: ngettext("%(n)d message unflagged.", "%(n)d messages unflagged.", n),
    "delete": lambda n: ngettext("%(n)d message deleted.", "%(n)d messages deleted.", n),
    "empty": lambda n: ngettext("%(n)d message deleted.", "%(n)d messages deleted.", n),
    "archive": lambda n: ngettext("%(n)d message archived.", "%(n)d messages archived.", n),
    "spam": lambda n: ngettext("%(n)d message moved to Junk.", "%(n)d messages moved to Junk.", n),
    "notspam": lambda n: ngettext("%(n)d message moved to the Inbox.", "%(n)d messages moved to the Inbox.", n),
    "move": lambda n: ngettext("%(n)d message moved.", "%(n)d messages moved.", n),
}


def posted_action(request) -> str:
    # A "Move to" menu entry is one button, so it names its folder alone (move_to=<id>).
    return "move" if request.POST.get("move_to") else request.POST.get("action", "")


@require_POST
@account_required
def act(request, folder_id):
    folder = folder_or_404(request, folder_id)
    action = posted_action(request)
    uids = selected_uids(request, folder)

    def run():
        if not uids and action != "empty":
            raise StoreError(_("Select at least one message."))
        return perform(request, folder, action, uids)

    return _answer(request, action, run, reverse("webmail:folder", args=[folder.pk]))


def found_by_folder(request) -> list[tuple[Folder, list[int]]]:
    """The posted search results (message=<folder id>:<uid>), grouped by the account's folders;
    ids of folders the account doesn't own are dropped."""
    wanted: dict[int, set[int]] = {}
    for value in request.POST.getlist("message")[:5000]:
        folder_id, _sep, uid = value.partition(":")
        if folder_id.isdigit() and uid.isdigit():
            wanted.setdefault(int(folder_id), set()).add(int(uid))
    grouped = []
    for folder_id, uids in sorted(wanted.items()):
        folder = lookup.folder_by_id(request.account.pk, folder_id)
        if folder is not None:
            grouped.append((folder, sorted(uids)))
    return grouped


@require_POST
@account_required
def act_on_found(request):
    """The folder list's bulk actions on search results, which may span folders: each
    folder's share is done as that folder's own action would do it (delete in Trash
    removes for good, elsewhere moves to Trash)."""
    action = posted_action(request)
    grouped = found_by_folder(request)

    def run():
        if action == "empty":
            raise StoreError(_("Unknown action."))
        if not grouped:
            raise StoreError(_("Select at least one message."))
        target = destination(request, action)
        count = 0
        for folder, uids in grouped:
            if target is not None and folder.pk == target.pk:
                continue  # already there: archiving an archived result changes nothing
            count += perform(request, folder, action, uids)
        return count

    return _answer(request, action, run, reverse("webmail:search"))


def _answer(request, action, run, fallback):
    """Run the action; answer JSON to script, else a message and a redirect to the list."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    try:
        count = run()
    except StoreError as error:
        text = " ".join(error.messages)
        if wants_json:
            return JsonResponse({"error": text}, status=400)
        messages.error(request, text)
    else:
        text = DONE[action](count) % {"n": count}
        if wants_json:
            return JsonResponse({"done": count, "message": text})
        messages.success(request, text)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = fallback
    return redirect(target)
