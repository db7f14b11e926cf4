"""What the built-in scorer reads in a message's HTML: hidden text and links.

One pass of the standard library's HTMLParser (lenient, no tree): a stack of open
elements tells whether the text at hand is hidden by its own or an ancestor's style,
and each <a href> collects the text it shows so the scorer can compare the two.
"""
import contextlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Elements without an end tag: never pushed on the stack.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr"}
_SKIP = {"script", "style", "head", "title", "template"}
_DISPLAY_NONE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)")
# font-size 0-2 px/pt (or 0 in any unit): text nobody can read, there for the filters.
_TINY_NUMBER = re.compile(r"font-size\s*:\s*(\d*\.?\d+)\s*(px|pt|em|rem|%)?")
_WHITE = re.compile(r"^(?:#fff(?:fff)?|white|rgb\(\s*255\s*,\s*255\s*,\s*255\s*\))$", re.IGNORECASE)
_COLOR = re.compile(r"(?:^|;|\s)color\s*:\s*([^;!]+)")
_BACKGROUND = re.compile(r"background(?:-color)?\s*:\s*([^;!]+)")
# The text of a link that reads as an address: "www.bank.example", "https://bank.example/login".
_HOST_TEXT = re.compile(r"^(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?:[:/?#]\S*)?$",
                        re.IGNORECASE)


@dataclass
class HTMLSigns:
    hidden_chars: int = 0  # letters and digits in hidden elements
    links: list = field(default_factory=list)  # [(href host, shown text)]


def read_html(html: str) -> HTMLSigns:
    parser = _Reader()
    with contextlib.suppress(Exception):  # hostile HTML must never fail the scan
        parser.feed(html)
        parser.close()
    return parser.signs


def link_host(href: str) -> str:
    """The host of an http(s) link in lower case, or "" for anything else (mailto:, #...)."""
    try:
        parts = urlsplit(href.strip())
        if parts.scheme.lower() not in ("http", "https"):
            return ""
        return (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


def shown_host(text: str) -> str:
    """The host a link's text shows, when the text is an address; "" otherwise."""
    match = _HOST_TEXT.match(" ".join(text.split()))
    return match.group(1).lower() if match else ""


def _font_is_tiny(style: str) -> bool:
    for number, unit in _TINY_NUMBER.findall(style):
        value = float(number)
        if (unit in ("px", "pt") and value <= 2) or (unit in ("em", "rem") and value <= 0.2) or \
                (unit == "%" and value <= 20) or value == 0:
            return True
    return False


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.signs = HTMLSigns()
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, hidden, has a non-white background)
        self.skipping = 0
        self.link: list | None = None  # [host, text chunks] of the open <a>

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skipping += 1
            return
        values = {name: (value or "") for name, value in attrs}
        hidden, background = self._state()
        style = values.get("style", "").lower()
        bg = _BACKGROUND.search(style)
        bg_value = (bg.group(1).strip() if bg else values.get("bgcolor", "").strip())
        if bg_value:
            background = not _WHITE.match(bg_value)
        color_match = _COLOR.search(style)
        color = color_match.group(1).strip() if color_match else values.get("color", "") if tag == "font" else ""
        if _DISPLAY_NONE.search(style) or _font_is_tiny(style) or "hidden" in values:
            hidden = True
        if tag == "font" and values.get("size", "").strip() in ("0", "-4", "-3"):
            hidden = True
        if color and _WHITE.match(color) and not background:
            hidden = True  # white on the (white) page
        if tag == "a" and "href" in values:
            self._close_link()
            self.link = [link_host(values["href"]), []]
        if tag not in _VOID:
            self.stack.append((tag, hidden, background))

    def handle_startendtag(self, tag, attrs):
        if tag == "a":
            return
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag == "a":
            self._close_link()
        for index in range(len(self.stack) - 1, -1, -1):  # close up to the matching open tag
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.skipping:
            return
        if self.link is not None:
            self.link[1].append(data)
        if self._state()[0]:
            self.signs.hidden_chars += sum(1 for char in data if char.isalnum())

    def close(self):
        super().close()
        self._close_link()

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, False)

    def _close_link(self):
        if self.link is not None:
            host, chunks = self.link
            if host:
                self.signs.links.append((host, "".join(chunks)))
            self.link = None
