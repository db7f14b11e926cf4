"""Decoded text of body parts: transfer encodings, charsets, and HTML turned into text."""
import binascii
import codecs
import contextlib
import quopri
import re
from html.parser import HTMLParser

MAX_DECODED_CHARS = 1_000_000  # per message, for search and preview
# PostgreSQL refuses NUL in text and jsonb; lone surrogates can't be encoded as UTF-8.
_NUL_RE = re.compile("\x00+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Return text safe for any database: NUL dropped, lone surrogates replaced."""
    if "\x00" in text:
        text = _NUL_RE.sub("", text)
    return text if text.isascii() else _SURROGATE_RE.sub("\ufffd", text)


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")


def header_text(octets: bytes) -> str:
    """8-bit header octets as text: UTF-8 where they are UTF-8 (RFC 6532), and each
    other byte as Latin-1, the usual legacy of raw 8-bit headers ("Jos\\xe9" is "José").

    Never raises and never leaves a surrogate; NUL is dropped (scrub).
    """
    text = octets.decode("utf-8", "surrogateescape")
    if not text.isascii():
        # surrogateescape keeps each undecodable byte as U+DC80..U+DCFF: read it as Latin-1.
        text = _ESCAPED_BYTE_RE.sub(lambda match: chr(ord(match.group()) - 0xDC00), text)
    return scrub(text)


def decode_part_bytes(raw: bytes, part: dict) -> bytes:
    """Return the part's body with its Content-Transfer-Encoding undone."""
    start, end = part["body"]
    body = raw[start:end]
    encoding = part.get("encoding") or "7bit"
    if encoding == "base64":
        try:
            return binascii.a2b_base64(body)
        except (binascii.Error, ValueError):
            # Tolerate junk and missing padding, as mail readers do.
            cleaned = re.sub(rb"[^A-Za-z0-9+/]", b"", body)
            cleaned = cleaned[: len(cleaned) - len(cleaned) % 4]
            try:
                return binascii.a2b_base64(cleaned)
            except (binascii.Error, ValueError):
                return b""
    if encoding == "quoted-printable":
        return quopri.decodestring(body)
    return body


def decode_part_text(raw: bytes, part: dict) -> str:
    """Return a text part's body as str, trusting its charset where Python knows it."""
    data = decode_part_bytes(raw, part)
    charset = (part.get("params") or {}).get("charset") or "us-ascii"
    try:
        codec = codecs.lookup(charset).name
    except (LookupError, ValueError):  # ValueError: a label with NUL in it
        codec = "utf-8"
    if codec == "ascii":
        codec = "utf-8"  # 8-bit bytes labelled us-ascii are nearly always UTF-8
    try:
        text = data.decode(codec, "replace")
    except (LookupError, UnicodeError):
        # A label naming a codec that is not a charset ("hex", "zlib") raises LookupError;
        # "idna" and "undefined" refuse the "replace" handler. Read it as UTF-8 instead.
        text = data.decode("utf-8", "replace")
    return scrub(text)


class _TextExtractor(HTMLParser):
    """Collect visible text; drop script, style and head, break lines at block tags."""

    _SKIP = {"script", "style", "head", "title", "template", "noscript"}
    _BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
              "blockquote", "pre", "hr", "section", "article", "ul", "ol"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def html_to_text(html: str) -> str:
    """Return the visible text of an HTML document, one line per block."""
    parser = _TextExtractor()
    # HTMLParser is lenient, but never let hostile HTML fail an append.
    with contextlib.suppress(Exception):
        parser.feed(html)
        parser.close()
    text = "".join(parser.chunks)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
