"""The compose editor's HTML, cleaned to what its buttons make, and its text version.

The editor (compose.js) produces bold, italic, underline, lists, links and quotes; the
browser may add paragraphs and line breaks. Anything else a paste brings in is dropped
by bleach, and links keep only http(s) and mailto targets.
"""
import bleach

from mailcore.mime.text import html_to_text

TAGS = {"b", "strong", "i", "em", "u", "ul", "ol", "li", "a", "blockquote", "p", "div", "br", "span"}
ATTRIBUTES = {"a": ["href"]}
PROTOCOLS = {"http", "https", "mailto"}


def sanitize(html: str) -> str:
    """Return html with only the editor's tags; "" when it holds no text."""
    clean = bleach.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, protocols=PROTOCOLS, strip=True,
                         strip_comments=True)
    return clean if html_to_text(clean).strip() else ""


def to_text(html: str) -> str:
    """The plain text alternative of sanitised HTML."""
    return html_to_text(html)

