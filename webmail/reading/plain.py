"""A plain text body as HTML: escaped, links clickable, quoted lines marked by depth."""
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

# Scheme required: "www.example" alone stays text, so nothing is guessed into a link.
_URL_RE = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
_QUOTE_RE = re.compile(r"^((?:>\s?)+)")
MAX_QUOTE_DEPTH = 5


def _link(url: str) -> str:
    trimmed = url.rstrip(_TRAILING)
    # Keep a closing parenthesis that closes one opened inside the URL (Wikipedia links).
    while trimmed != url and url[len(trimmed)] == ")" and trimmed.count("(") > trimmed.count(")"):
        trimmed = url[:len(trimmed) + 1]
    rest = url[len(trimmed):]
    link = format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>',
                       trimmed, trimmed)
    return link + escape(rest)


def linkify(line: str) -> str:
    """Escape a line of text and turn http(s)/mailto URLs into links."""
    out, position = [], 0
    for match in _URL_RE.finditer(line):
        out.append(escape(line[position:match.start()]))
        out.append(_link(match.group(0)))
        position = match.end()
    out.append(escape(line[position:]))
    return "".join(out)


def quote_depth(line: str) -> int:
    """How many ">" start the line (RFC 3676 §4.5 quote marks, with or without spaces)."""
    match = _QUOTE_RE.match(line)
    return match.group(1).count(">") if match else 0


def render_plain(text: str):
    """Return the text as safe HTML: one span per quoted line, class quote-N by depth.

    The container keeps white space (CSS white-space: pre-wrap), so no <br> is needed.
    """
    lines = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        depth = min(quote_depth(line), MAX_QUOTE_DEPTH)
        html = linkify(line)
        if depth:
            html = f'<span class="quote quote-{depth}">{html}</span>'
        lines.append(html)
    return mark_safe("\n".join(lines))  # noqa: S308 - every piece was escaped above
