"""Live updates of the webmail: what changed in the account, told within a second.

poll() answers the open folder's HIGHESTMODSEQ and the unread counts (issue 5 point 7);
the page asks it every few seconds. On PostgreSQL the page also holds a wait() request
open (a long poll, issue 20): it answers as soon as a store notice (store/notices.py,
LISTEN/NOTIFY) names the account, whichever node made the change, or after
WAIT_SECONDS; the page then asks again. An async view: a waiting request holds no
thread of the web server.
"""
import asyncio
import contextlib
import hashlib

from asgiref.sync import sync_to_async
from django.http import JsonResponse

from mailcore.store import notices
from mailcore.store.models import INBOX
from webmail.access import account_required, usable_account
from webmail.sidebar import folder_entries

WAIT_SECONDS = 25  # under the usual 30-60 s idle timeouts of proxies


def live_state(account, folder_id: str) -> dict:
    """The open folder's MODSEQ, every folder's unread count, and a short digest of both."""
    entries = folder_entries(account)
    modseq = next((e.folder.highestmodseq for e in entries if str(e.id) == folder_id), None)
    unread = {e.id: e.unread for e in entries}
    inbox = next((e.unread for e in entries if e.folder.name == INBOX), 0)
    digest = hashlib.sha256(repr((modseq, sorted(unread.items()))).encode()).hexdigest()[:16]
    return {"modseq": modseq, "unread": unread, "inbox_unread": inbox, "state": digest}


@account_required
def poll(request):
    """Live updates: the state now. Two small queries, so polling stays cheap."""
    return JsonResponse(live_state(request.account, request.GET.get("folder", "")))


async def wait(request):
    """Long poll: the state once it differs from the client's `state`, or at WAIT_SECONDS.
    Without store notices (SQLite) it answers {"notices": false} at once: poll() only."""
    user = await request.auser()
    if not user.is_authenticated:
        return JsonResponse({"error": "login"}, status=403)
    account = await sync_to_async(usable_account)(user)
    if account is None:
        return JsonResponse({"error": "no mailbox"}, status=403)
    folder_id, known = request.GET.get("folder", ""), request.GET.get("state", "")
    loop, changed = asyncio.get_running_loop(), asyncio.Event()

    def heard(account_id, _folder_id):  # the notice listener's thread
        if account_id is None or account_id == account.pk:
            loop.call_soon_threadsafe(changed.set)

    if not await sync_to_async(notices.subscribe)(heard):
        return JsonResponse({"notices": False})
    try:
        # Subscribed first, read second: a change in between is in the state or heard.
        state = await sync_to_async(live_state)(account, folder_id)
        if state["state"] == known:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), WAIT_SECONDS)
            state = await sync_to_async(live_state)(account, folder_id)
    finally:
        notices.unsubscribe(heard)
    return JsonResponse({**state, "notices": True})
