"""Responses for mail content the browser must never treat as a page of ours.

An attachment or a raw message is attacker-written bytes served from our origin. So:
a forced download (or text/plain), X-Content-Type-Options nosniff so the type is not
guessed, and "Content-Security-Policy: sandbox" so that even a browser that renders
it runs it in an opaque origin with no script.
"""
import codecs
from urllib.parse import quote

from django.http import HttpResponse

SANDBOX_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
INLINE_IMAGE_TYPES = frozenset({"image/png", "image/gif", "image/jpeg", "image/webp"})


def content_disposition(kind: str, filename: str) -> str:
    """RFC 6266 §4.3: an ASCII fallback filename and filename* in UTF-8 (RFC 8187)."""
    fallback = "".join(c if 32 <= ord(c) < 127 and c not in '"\\%;' else "_" for c in filename)
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _harden(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP  # the CSP middleware keeps a set header
    response["Cache-Control"] = "private, max-age=3600"
    return response


def download(data: bytes, content_type: str, filename: str, inline=False) -> HttpResponse:
    """Serve a part; inline only for raster images (never SVG: it can hold script)."""
    inline = inline and content_type in INLINE_IMAGE_TYPES
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition("inline" if inline else "attachment",
                                                          filename)
    return _harden(response)


def raw_charset(raw: bytes, fallback: str | None) -> str:
    """The charset to label raw message bytes with: UTF-8 if they are, else the body's."""
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return codecs.lookup(fallback).name if fallback else "windows-1252"
    except LookupError:
        return "windows-1252"


def raw_text(raw: bytes, charset: str, filename: str) -> HttpResponse:
    response = HttpResponse(raw, content_type=f"text/plain; charset={charset}")
    response["Content-Disposition"] = content_disposition("inline", filename)
    return _harden(response)
