"""Reading a message: the page, its sandboxed HTML body, parts, raw source, print view."""
from csp.constants import NONE, SELF
from csp.decorators import csp_replace, csp_update
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from mailcore.mime.text import decode_part_bytes, decode_part_text
from mailcore.store.errors import MessageNotFound
from mailcore.store.fetch import fetch_raw, get_message
from mailcore.store.folders import list_folders
from mailcore.store.listing import neighbours
from mailcore.store.messages import store_flags
from webmail.access import account_required, folder_or_404
from webmail.models import TrustedSender, preferences_for
from webmail.sidebar import ordered

from . import parts, responses
from .htmlbody import read_inline_token, sanitized_body
from .plain import render_plain

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


def _remote_allowed(request, message) -> bool:
    if request.GET.get("images") == "1" or preferences_for(request.account).remote_content:
        return True
    return TrustedSender.objects.filter(account=request.account,
                                        address=message.from_address.lower()).exists()


def _body(request, loaded, message):
    """The template context for the body: plain text inline, HTML in a frame."""
    chosen = parts.choose_body(message.structure)
    if chosen is None:
        return {"body_section": None}
    section, part = chosen
    if part["subtype"] == "plain":
        return {"body_section": section, "plain": render_plain(decode_part_text(loaded.raw, part))}
    allow_remote = _remote_allowed(request, message)
    result = sanitized_body(loaded, message, section, part, allow_remote)
    return {"body_section": section, "html": result, "images_allowed": allow_remote,
            "per_message_images": request.GET.get("images") == "1"}


@csp_update({"frame-src": [SELF]})
@account_required
def message_view(request, folder_id, uid):
    folder, message = _message_or_404(request, folder_id, uid)
    loaded = parts.load(message)
    if not message.seen:  # through the store, so IMAP clients see \Seen at once
        store_flags(request.account.pk, folder.pk, [uid], ["\\Seen"], "add")
    body = _body(request, loaded, message)
    shown_inline = body["html"].cid_used if "html" in body else frozenset()
    newer, older = neighbours(message)
    return render(request, "webmail/reading/message.html", {
        "folder": folder, "message": message, "uid": uid, **body,
        "is_junk": folder.special_use == "\\Junk",
        "to": loaded.addresses("to"), "cc": loaded.addresses("cc"),
        "reply_to": loaded.addresses("reply-to"),
        "attachments": parts.attachments(message.structure, body["body_section"], shown_inline),
        "newer_uid": newer, "older_uid": older,
        "move_targets": [other for other in ordered(list_folders(request.account.pk)) if other.pk != folder.pk],
    })


@xframe_options_sameorigin
@account_required
def body_view(request, folder_id, uid):
    """The sanitised HTML body alone, for the message page's sandboxed iframe."""
    _folder, message = _message_or_404(request, folder_id, uid)
    chosen = parts.choose_body(message.structure)
    if chosen is None or chosen[1]["subtype"] != "html":
        raise Http404
    allow_remote = _remote_allowed(request, message)
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
    body = _body(request, loaded, message)
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
