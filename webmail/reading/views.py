"""Reading a message: the page, its sandboxed HTML body, parts, raw source, print view."""
from csp.constants import NONE, SELF
from csp.decorators import csp_replace, csp_update
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from mailcore.mime.text import decode_part_bytes
from mailcore.store.errors import MessageNotFound
from mailcore.store.fetch import fetch_raw, get_message
from mailcore.store.listing import neighbours
from mailcore.store.messages import store_flags
from webmail.access import account_required, folder_or_404
from webmail.models import TrustedSender

from . import parts, responses
from .bodies import body_context, remote_allowed
from .htmlbody import read_inline_token, sanitized_body

# The frame's own policy (DESIGN.md: sandboxed frame, strict CSP). No script-src at all,
# styles only inline (the sanitised style attributes), images from our part URLs and
# data:, plus any http(s) image only once the reader allowed remote content.
BODY_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:{remote}; "
            "form-action 'none'; frame-ancestors 'self'; base-uri 'none'")


def _message_or_404(request, folder_id, uid):
    folder = folder_or_404(request, folder_id)
    try:
        return folder, get_message(request.account.pk, folder.pk, uid)
    except MessageNotFound:
        raise Http404 from None


@csp_update({"frame-src": [SELF]})
@account_required
def message_view(request, folder_id, uid):
    folder, message = _message_or_404(request, folder_id, uid)
    loaded = parts.load(message)
    if not message.seen:  # through the store, so IMAP clients see \Seen at once
        store_flags(request.account.pk, folder.pk, [uid], ["\\Seen"], "add")
    body = body_context(request, loaded, message)
    shown_inline = body["html"].cid_used if "html" in body else frozenset()
    newer, older = neighbours(message)
    return render(request, "webmail/reading/message.html", {
        "folder": folder, "message": message, "uid": uid, **body,
        "is_junk": folder.special_use == "\\Junk",
        "to": loaded.addresses("to"), "cc": loaded.addresses("cc"),
        "reply_to": loaded.addresses("reply-to"),
        "attachments": parts.attachments(message.structure, body["body_section"], shown_inline),
        "newer_uid": newer, "older_uid": older,
    })


@xframe_options_sameorigin
@account_required
def body_view(request, folder_id, uid):
    """The sanitised HTML body alone, for the message page's sandboxed iframe."""
    _folder, message = _message_or_404(request, folder_id, uid)
    chosen = parts.choose_body(message.structure)
    if chosen is None or chosen[1]["subtype"] != "html":
        raise Http404
    allow_remote = remote_allowed(request, message)
    result = sanitized_body(parts.load(message), message, *chosen, allow_remote)
    html = render_to_string("webmail/reading/body.html", {"result": result})
    response = HttpResponse(html)
    # Set here, so the CSP middleware leaves it as it is (it never replaces a set header).
    response["Content-Security-Policy"] = BODY_CSP.format(remote=" https: http:" if allow_remote else "")
    response["Referrer-Policy"] = "no-referrer"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@account_required
def part_view(request, folder_id, uid, section):
    _folder, message = _message_or_404(request, folder_id, uid)
    return _serve_part(message, section, inline=False)


def inline_view(request, token):
    """An inline (cid:) image for the body frame, authorised by its signed URL (htmlbody.py)."""
    claims = read_inline_token(token)
    if claims is None:
        raise Http404
    account_id, folder_id, uid, section = claims
    try:
        message = get_message(account_id, folder_id, uid)
    except MessageNotFound:
        raise Http404 from None
    return _serve_part(message, section, inline=True)


def _serve_part(message, section, inline):
    part = parts.find_leaf(message.structure, section)
    if part is None:
        raise Http404
    data = decode_part_bytes(parts.load(message).raw, part)
    return responses.download(data, parts.content_type(part), parts.filename(section, part), inline)


@account_required
def raw_view(request, folder_id, uid):
    """Show original: the message exactly as IMAP serves it, as text/plain."""
    _folder, message = _message_or_404(request, folder_id, uid)
    raw = fetch_raw(message)
    chosen = parts.choose_body(message.structure)
    fallback = (chosen[1].get("params") or {}).get("charset") if chosen else None
    charset = responses.raw_charset(raw, fallback)
    return responses.raw_text(raw, charset, f"message-{uid}.eml")


@csp_replace({"form-action": [NONE], "img-src": [SELF, "data:"]})
@account_required
def print_view(request, folder_id, uid):
    folder, message = _message_or_404(request, folder_id, uid)
    loaded = parts.load(message)
    body = body_context(request, loaded, message)
    return render(request, "webmail/reading/print.html", {
        "folder": folder, "message": message, **body,
        "to": loaded.addresses("to"), "cc": loaded.addresses("cc"),
    })


@require_POST
@account_required
def trust_sender(request, folder_id, uid):
    """Always load remote images from this message's sender (a TrustedSender row)."""
    folder, message = _message_or_404(request, folder_id, uid)
    if message.from_address:
        TrustedSender.objects.get_or_create(account=request.account,
                                            address=message.from_address.lower())
    return redirect("webmail:message", folder.pk, uid)
