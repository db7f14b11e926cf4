"""The body a reader sees: plain text inline, HTML sanitised for the sandboxed frame.

One place for the message page, the print view and the conversation view.
"""
from mailcore.mime.text import decode_part_text
from webmail.models import TrustedSender, preferences_for

from . import parts
from .htmlbody import sanitized_body
from .plain import render_plain


def remote_allowed(request, message) -> bool:
    """Load remote images: asked for this once, allowed for all mail, or a trusted sender."""
    if request.GET.get("images") == "1" or preferences_for(request.account).remote_content:
        return True
    return TrustedSender.objects.filter(account=request.account,
                                        address=message.from_address.lower()).exists()


def body_context(request, loaded, message) -> dict:
    """The template context for the body: plain text inline, HTML in a frame."""
    chosen = parts.choose_body(message.structure)
    if chosen is None:
        return {"body_section": None}
    section, part = chosen
    if part["subtype"] == "plain":
        return {"body_section": section, "plain": render_plain(decode_part_text(loaded.raw, part))}
    allow_remote = remote_allowed(request, message)
    result = sanitized_body(loaded, message, section, part, allow_remote)
    return {"body_section": section, "html": result, "images_allowed": allow_remote,
            "per_message_images": request.GET.get("images") == "1"}
