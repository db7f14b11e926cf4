"""An HTML body made safe, with its cid: images pointing at signed part URLs.

The frame that shows the body has an opaque origin (sandbox without allow-same-origin),
so the browser treats its image requests as cross-site and does not send the Lax session
cookie. Inline images are therefore served by a URL that carries its own proof: a signed,
expiring token naming the account, the message and the part (views.inline).

The message page and the frame both need the result (the page to know whether remote
images were blocked, the frame to show it), so it is cached for a few minutes.
"""
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from mailcore.mime.text import decode_part_text

from .parts import content_ids
from .sanitize import Sanitized, sanitize_html

INLINE_SALT = "webmail.reading.inline"
INLINE_MAX_AGE = 24 * 3600
CACHE_SECONDS = 600
_CACHE_VERSION = 1


def inline_token(account_id: int, folder_id: int, uid: int, section: str) -> str:
    return signing.dumps([account_id, folder_id, uid, section], salt=INLINE_SALT, compress=True)


def read_inline_token(token: str):
    """Return (account_id, folder_id, uid, section), or None if forged or expired."""
    try:
        account_id, folder_id, uid, section = signing.loads(token, salt=INLINE_SALT,
                                                            max_age=INLINE_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return account_id, folder_id, uid, str(section)


def _cache_key(message, section, allow_remote):
    return f"webmail:reading:{_CACHE_VERSION}:{message.pk}:{message.blob_id}:{section}:{int(allow_remote)}"


def sanitized_body(loaded, message, section, part, allow_remote: bool) -> Sanitized:
    key = _cache_key(message, section, allow_remote)
    result = cache.get(key)
    if result is not None:
        return result
    sections = content_ids(message.structure)

    def cid_url(content_id):
        target = sections.get(content_id)
        if target is None:
            return None
        token = inline_token(message.account_id, message.folder_id, message.uid, target)
        return reverse("webmail:inline", args=[token])

    result = sanitize_html(decode_part_text(loaded.raw, part), cid_url, allow_remote)
    cache.set(key, result, CACHE_SECONDS)
    return result
