"""Messages as mboxrd (the mbox variant that quotes reversibly) and folder names as safe
file names inside the export's zip.

mboxrd: each message starts with a "From " line (RFC 4155 §2: the envelope sender and an
asctime date), every line matching ^>*From  gets one more ">" so a reader can take it off
again, and lines end in LF, as mbox files do on the systems that read them.
"""
import re
import unicodedata
from datetime import UTC, datetime

FROM_QUOTE = re.compile(rb"^(>*From )", re.MULTILINE)
RETURN_PATH = re.compile(rb"\AReturn-Path:[ \t]*<([^>\r\n]*)>", re.IGNORECASE)
# Characters no common file system takes in a name (Windows is the strictest), and controls.
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_LEVEL_CHARS = 100


def from_line(raw: bytes, internal_date: datetime) -> bytes:
    """RFC 4155 §2: "From " envelope-sender asctime-date; the sender from a leading
    Return-Path (RFC 5321 §4.4), else MAILER-DAEMON, as Dovecot writes it."""
    match = RETURN_PATH.match(raw)
    sender = match.group(1).strip() if match else b""
    if not sender or re.search(rb"\s", sender):
        sender = b"MAILER-DAEMON"
    when = internal_date.astimezone(UTC).strftime("%a %b %d %H:%M:%S %Y").encode()
    return b"From " + sender + b" " + when + b"\n"


def mboxrd(raw: bytes, internal_date: datetime) -> bytes:
    """One message as an mboxrd entry: From_ line, quoted body, LF endings, a blank line after."""
    body = raw.replace(b"\r\n", b"\n")
    body = FROM_QUOTE.sub(rb">\1", body)
    if not body.endswith(b"\n"):
        body += b"\n"
    return from_line(raw, internal_date) + body + b"\n"


def safe_level(level: str) -> str:
    """One level of a folder name as a file name any system accepts."""
    level = unicodedata.normalize("NFC", level)
    level = UNSAFE.sub("_", level).strip().rstrip(". ")[:MAX_LEVEL_CHARS]
    if not level or level.startswith("."):
        level = "_" + level
    if level.split(".")[0].upper() in WINDOWS_RESERVED:
        level = "_" + level
    return level


class FileNames:
    """Safe, distinct paths for an account's folders ("Projects/2026" → mail/Projects/2026.mbox).

    Two names that become the same (on a case-insensitive file system too) get " (2)", " (3)".
    """

    def __init__(self, prefix: str = "mail/"):
        self.prefix = prefix
        self.taken: set[str] = set()

    def name_for(self, folder_name: str, suffix: str = ".mbox") -> str:
        path = "/".join(safe_level(level) for level in folder_name.split("/"))
        candidate, n = path, 1
        while candidate.casefold() in self.taken:
            n += 1
            candidate = f"{path} ({n})"
        self.taken.add(candidate.casefold())
        return f"{self.prefix}{candidate}{suffix}"
