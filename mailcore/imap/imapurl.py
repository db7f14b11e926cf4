"""IMAP URLs that name a message or a part of one (RFC 5092), as CATENATE uses them.

RFC 4469 §4 lets an APPEND take message text from "URL" parts. Only references into
the logged-in user's own mailboxes are resolved (no URLAUTH, RFC 4467), so, like
Dovecot, only relative URLs are accepted: an absolute path "/INBOX;UIDVALIDITY=7/;UID=3"
(relative to imap://user@this-server/) or a path relative to the selected mailbox,
";UID=3/;SECTION=1" (RFC 5092 §7). A full "imap://host/..." URL is refused: without
URLAUTH it could name another user or server.

Anything else is an ImapNo with the BADURL response code (RFC 4469 §5), carrying the
URL as the client sent it.
"""
import re
from dataclasses import dataclass
from urllib.parse import quote, unquote_to_bytes

from .errors import ImapError, ImapNo
from .parser import Cursor

# RFC 5092 §11: the parts of imessagepart after the mailbox.
_UID_RE = re.compile(r"/;UID=", re.IGNORECASE)
_UIDVALIDITY_RE = re.compile(r";UIDVALIDITY=([1-9]\d{0,9})\Z", re.IGNORECASE)
_TAIL_RE = re.compile(
    r";UID=(?P<uid>[1-9]\d{0,9})"
    r"(?:/;SECTION=(?P<section>[^/;]+))?"
    r"(?:/;PARTIAL=(?P<offset>\d{1,10})(?:\.(?P<length>[1-9]\d{0,9}))?)?\Z",
    re.IGNORECASE,
)
_PCT_RE = re.compile(r"%(?![0-9A-Fa-f]{2})")
MAX_NUMBER = 2**32 - 1


@dataclass(frozen=True)
class MessagePartUrl:
    """A message (or a section, or a range of it) in one of the user's mailboxes."""

    mailbox: str  # the Unicode mailbox name
    uid: int
    uidvalidity: int | None = None  # None: not given, any UIDVALIDITY is taken
    section: str = ""  # "" (the whole message), "HEADER", "1.2", "HEADER.FIELDS", ...
    fields: tuple = ()  # the field names of HEADER.FIELDS (.NOT)
    partial: tuple | None = None  # (offset, length or None) of RFC 5092 §6 ";PARTIAL="


def bad_url(url: str, text: str) -> ImapNo:
    # RFC 4469 §6: url-resp-text is any TEXT-CHAR but "]"; the URL is echoed as sent.
    shown = "".join(ch for ch in url if ch not in "]\r\n" and ch.isprintable())
    return ImapNo(text, code=f"BADURL {shown}")


def parse_url(url: str, selected: tuple[str, int] | None) -> MessagePartUrl:
    """Parse a CATENATE URL; `selected` is (mailbox name, UIDVALIDITY) of the selected mailbox.

    Raises ImapNo [BADURL] when the URL is not one this server resolves.
    """
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", url) or url.startswith("//"):
        raise bad_url(url, "Only URLs relative to this server and user are accepted")
    if url.startswith(";"):
        # RFC 5092 §7 / RFC 3986 §5.2: a path relative to the selected mailbox's URL.
        if selected is None:
            raise bad_url(url, "A mailbox-relative URL needs a selected mailbox")
        name, uidvalidity = selected
        url_path = f"/{quote(name.encode(), safe='')};UIDVALIDITY={uidvalidity}/{url}"
    elif url.startswith("/"):
        url_path = url
    else:
        raise bad_url(url, "Expected a URL like /mailbox;UIDVALIDITY=n/;UID=n")
    match = _UID_RE.search(url_path)
    if match is None:
        raise bad_url(url, "The URL names no message (;UID=)")
    mailbox_ref, tail = url_path[1:match.start()], url_path[match.start() + 1:]
    uidvalidity = None
    found = _UIDVALIDITY_RE.search(mailbox_ref)
    if found:
        uidvalidity = _number(url, found.group(1))
        mailbox_ref = mailbox_ref[:found.start()]
    parts = _TAIL_RE.match(tail)
    if parts is None or not mailbox_ref or ";" in mailbox_ref:
        raise bad_url(url, "Not a message part URL (RFC 5092)")
    mailbox = _decode(url, mailbox_ref)
    section, fields = _section(url, parts.group("section"))
    partial = None
    if parts.group("offset") is not None:
        length = parts.group("length")
        partial = (_number(url, parts.group("offset")), _number(url, length) if length else None)
    return MessagePartUrl(mailbox, _number(url, parts.group("uid")), uidvalidity, section, fields, partial)


def _number(url: str, digits: str) -> int:
    value = int(digits)
    if value > MAX_NUMBER:
        raise bad_url(url, "A number in the URL is out of range")
    return value


def _decode(url: str, text: str) -> str:
    """Percent-decoding to UTF-8 (RFC 5092 §8: mailbox names in URLs are UTF-8)."""
    if _PCT_RE.search(text):
        raise bad_url(url, "Bad %-escape in the URL")
    try:
        decoded = unquote_to_bytes(text).decode("utf-8")
    except UnicodeDecodeError as error:
        raise bad_url(url, "The URL is not UTF-8") from error
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded):
        raise bad_url(url, "Control characters in the URL")
    return decoded


def _section(url: str, encoded: str | None) -> tuple[str, tuple]:
    """enc-section: a FETCH BODY[] section, %-encoded (RFC 5092 §11)."""
    if encoded is None:
        return "", ()
    from .commands.fetch import _valid_section  # FETCH's rules; imported late: commands imports us

    cursor = Cursor([_decode(url, encoded).encode()])
    spec = cursor._chars(lambda b: chr(b).isalnum() or b in b".").decode().upper()
    fields: tuple = ()
    try:
        if spec.endswith(("HEADER.FIELDS", "HEADER.FIELDS.NOT")):
            cursor.sp()
            fields = tuple(name.decode("ascii", "replace").upper() for name in cursor.paren_list(cursor.astring))
        cursor.end()
    except ImapError as error:
        raise bad_url(url, "Bad section in the URL") from error
    if not spec or not _valid_section(spec) or (spec.endswith(("FIELDS", "FIELDS.NOT")) and not fields):
        raise bad_url(url, "Bad section in the URL")
    return spec, fields
