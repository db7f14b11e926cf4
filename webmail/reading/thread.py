"""A conversation opened for reading: its messages stacked, oldest first, as Gmail and
Roundcube's thread view show them.

The newest message and every unread one are open; the others are folded to a line (sender,
date, the start of the text) and open in place (<details>, no script needed). Opening the
conversation marks what it opened as read, through the store, so IMAP clients see \\Seen.
Only the newest MAX_BODIES messages carry their bodies; older ones of a very long
conversation are a line with a link to the message alone.
"""
from csp.constants import SELF
from csp.decorators import csp_update
from django.shortcuts import redirect, render

from mailcore.store.fetch import fetch_rows
from mailcore.store.listing import thread_messages
from mailcore.store.messages import store_flags
from webmail.access import account_required, folder_or_404

from . import parts
from .bodies import body_context

MAX_BODIES = 25


def _item(request, row, message, is_open):
    """What the template shows of one message of the conversation."""
    item = {"row": row, "uid": row.uid, "open": is_open, "message": message}
    if message is None:
        return item
    loaded = parts.load(message)
    body = body_context(request, loaded, message)
    shown_inline = body["html"].cid_used if "html" in body else frozenset()
    item.update(body)
    item.update({"to": loaded.addresses("to"), "cc": loaded.addresses("cc"),
                 "attachments": parts.attachments(message.structure, body["body_section"], shown_inline)})
    return item


@csp_update({"frame-src": [SELF]})
@account_required
def thread_view(request, folder_id, thread):
    folder = folder_or_404(request, folder_id)
    rows = thread_messages(folder, thread)
    if not rows:
        return redirect("webmail:folder", folder.pk)
    newest = rows[-1]
    with_bodies = rows[-MAX_BODIES:]
    full = {message.uid: message for message in fetch_rows(folder.pk, sorted(row.uid for row in with_bodies))}
    opened = [row.uid for row in with_bodies if row is newest or not row.seen]
    items = [_item(request, row, full.get(row.uid), row.uid in opened) for row in rows]
    unseen = [uid for uid in opened if uid in full and not full[uid].seen]
    if unseen:  # through the store, so IMAP clients see \Seen at once
        store_flags(request.account.pk, folder.pk, unseen, ["\\Seen"], "add")
    return render(request, "webmail/reading/thread.html", {
        "folder": folder, "thread": thread, "items": items,
        "subject": rows[0].subject, "newest_uid": newest.uid, "unread": len(unseen),
    })
